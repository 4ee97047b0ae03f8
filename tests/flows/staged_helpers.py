"""Helpers of the staged import tests: run one file through both import paths and compare."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from seemix.flows.models import Observation, Report, ReportRevision, Submission
from seemix.flows.readers.importing import import_file
from seemix.flows.staged_import import import_csv
from seemix.flows.validation import Validator

HEADER = "date,indicator,place,value,counterpart,breakdown,breakdown_value,estimate,provisional\n"
TODAY = date(2016, 3, 1)


def stored() -> list[tuple[Any, ...]]:
    return sorted(
        Observation.objects.values_list(
            "revision__report__period_start",
            "revision__number",
            "indicator__code",
            "date",
            "country_id",
            "crossing_point__code",
            "site__code",
            "border_section__code",
            "counterpart_country_id",
            "breakdown",
            "breakdown_value",
            "value",
            "is_estimate",
            "is_provisional",
        ),
        key=repr,
    )


def outcome(
    participant: Any, path: Path, *, staged: bool, rollback: bool = True, **options: Any
) -> dict[str, Any]:
    """What one path does with the file: its path, problems, result and the rows then stored."""
    used: list[str] = []
    with transaction.atomic():
        validator = Validator(participant, today=TODAY)
        if staged:
            done = import_csv(
                path, actor=None, participant=participant, validator=validator, on_path=used.append, **options
            )
        else:
            done = import_file(path, actor=None, participant=participant, validator=validator, **options)
            used.append("rows")
        result = done.result
        seen = {
            "path": used[0],
            "written": done.written,
            "rows_read": done.rows_read,
            "problems": [p.as_dict() for p in done.problems],
            "accepted": result.accepted if result else None,
            "rejected": result.rejected if result else None,
            "revisions": [
                (r["periodicity"], r["period_start"], r["number"], r["status"], r["observations"])
                for r in (result.revisions if result else [])
            ],
            "stored": stored(),
            "counts": (Report.objects.count(), ReportRevision.objects.count(), Submission.objects.count()),
        }
        transaction.set_rollback(rollback)
    return seen


def both(participant: Any, path: Path, **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    staged = outcome(participant, path, staged=True, **options)
    rows = outcome(participant, path, staged=False, **options)
    return staged, rows


def same(staged: dict[str, Any], rows: dict[str, Any], *, path: str = "staged") -> None:
    assert staged["path"] == path
    assert rows["path"] == "rows"
    assert {**staged, "path": "rows"} == rows


def write(tmp_path: Path, lines: list[str], header: str = HEADER, name: str = "figures.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path
