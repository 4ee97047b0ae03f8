"""A correction's breakdown sums are checked with the figures it carries over from the earlier revision.

Revision 1 of Serbia's report of 10 January 2016 holds, at Šid, arrivals 100 of which 60 Syrians and
30 Afghans. A correction gives only some figures; the others are kept (carried over), so the
breakdown is checked as the new revision will hold it. The same rule on every way in: the service
(the API and the web form call it), the row path of `seemix import`, and its staged path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from seemix.flows.inputs import ObservationInput, SourceLocation
from seemix.flows.models import Observation, Report
from seemix.flows.services import ImportRejected, correct_report, submit_observations
from tests.flows.staged_helpers import both, same, write

DAY = date(2016, 1, 10)


def row(value: int | None, nationality: str = "", number: int = 2, place: str = "RS-SID") -> ObservationInput:
    return ObservationInput(
        SourceLocation("fix.csv", "", number),
        DAY,
        "ARRIVALS",
        place,
        value,
        breakdown="nationality" if nationality else "",
        breakdown_value=nationality,
    )


@pytest.fixture
def first_revision(flows_world: dict[str, Any]) -> Report:
    submit_observations(
        actor=None,
        participant=flows_world["RS"],
        rows=[row(100), row(60, "SY", 3), row(30, "AF", 4), row(7, "", 5, place="RS-MIRATOVAC")],
    )
    return Report.objects.get()


def reasons(rows: list[ObservationInput], report: Report) -> list[tuple[Any, ...]]:
    with pytest.raises(ImportRejected) as rejected:
        correct_report(report, actor=None, rows=rows)
    return [(p.location.row, p.field, p.value, p.message) for p in rejected.value.problems]


def test_a_new_breakdown_figure_is_summed_with_the_kept_ones_against_the_kept_total(
    first_revision: Report,
) -> None:
    assert reasons([row(50, "AF")], first_revision) == [
        (2, "value", "50", "The nationality breakdown sums to 110, above the total 100 kept from revision 1; "
         "1 of the figures summed is kept from revision 1."),
    ]  # fmt: skip
    assert Observation.objects.filter(revision__number=2).count() == 0


def test_a_new_total_is_checked_against_the_breakdown_it_keeps(first_revision: Report) -> None:
    assert reasons([row(80, number=7)], first_revision) == [
        (7, "value", "80", "The nationality breakdown sums to 90, above the total 80; 2 of the figures "
         "summed are kept from revision 1."),
    ]  # fmt: skip


def test_a_new_total_with_part_of_the_breakdown_sums_the_rest_from_the_earlier_revision(
    first_revision: Report,
) -> None:
    assert reasons([row(90, number=2), row(35, "AF", 3)], first_revision) == [
        (2, "value", "90", "The nationality breakdown sums to 95, above the total 90; 1 of the figures "
         "summed is kept from revision 1."),
    ]  # fmt: skip


def test_a_consistent_correction_is_written_with_the_kept_figures(first_revision: Report) -> None:
    result = correct_report(first_revision, actor=None, rows=[row(120), row(50, "AF", 3)])
    assert result.problems == []
    kept = Observation.objects.filter(revision__number=2).order_by("breakdown_value", "value")
    assert [(o.breakdown_value, o.value) for o in kept] == [("", 7), ("", 120), ("AF", 50), ("SY", 60)]


def test_figures_the_correction_replaces_or_marks_missing_are_not_summed_from_the_earlier_revision(
    first_revision: Report,
) -> None:
    # SY replaced by 10, AF marked not available: 10 <= 100 whatever revision 1 said.
    result = correct_report(first_revision, actor=None, rows=[row(10, "SY"), row(None, "AF", 3)])
    assert result.accepted == 2
    assert result.problems == []


def test_another_place_or_day_of_the_earlier_revision_does_not_count(first_revision: Report) -> None:
    result = correct_report(first_revision, actor=None, rows=[row(5, place="RS-MIRATOVAC")])
    assert result.accepted == 1


@pytest.mark.parametrize(
    ("lines", "written"),
    [
        (["2016-01-10,ARRIVALS,RS-SID,50,,nationality,AF,,"], False),
        (["2016-01-10,ARRIVALS,RS-SID,80,,,,,"], False),
        (["2016-01-10,ARRIVALS,RS-SID,90,,,,,", "2016-01-10,ARRIVALS,RS-SID,35,,nationality,AF,,"], False),
        (["2016-01-10,ARRIVALS,RS-SID,120,,,,,", "2016-01-10,ARRIVALS,RS-SID,50,,nationality,AF,,"], True),
        # A report of another day in the same file is checked set-wise, beside the corrected one.
        (["2016-01-10,ARRIVALS,RS-SID,50,,nationality,AF,,", "2016-01-11,ARRIVALS,RS-SID,5,,,,,",
          "2016-01-11,ARRIVALS,RS-SID,6,,nationality,AF,,"], False),
    ],
)  # fmt: skip
def test_a_correcting_file_gets_the_same_check_on_both_import_paths(
    first_revision: Report, flows_world: dict[str, Any], tmp_path: Path, lines: list[str], written: bool
) -> None:
    staged, rows = both(flows_world["RS"], write(tmp_path, lines))
    same(staged, rows)
    assert staged["written"] is written
    if not written:
        assert "kept from revision 1" in staged["problems"][0]["message"]
    else:
        assert staged["revisions"] == [("daily", "2016-01-10", 2, "submitted", 4)]
