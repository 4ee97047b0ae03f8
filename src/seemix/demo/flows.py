"""The demo's flow data: the real daily arrivals along the Western Balkans route, Oct 2015 - Apr 2016.

``load_demo_flows()`` reads the shipped file (data/PROVENANCE.md says where it comes from and why
each column lands where it does) with the import's own row reader and cell parsers, and submits each
country's column as that participant's daily reports through ``submit_observations``: the same
validation as every other way in. Empty and ``N/A`` cells give no observation (missing stays
missing, never zero). A second run finds the demo submissions and changes nothing.

When each figure became known is not on record. The demo assumes what the practice of 2015-16 was:
a day's figures were published the next morning. So each demo revision is dated the day after its
period at 10:00 UTC (``REPORTED_AT``), and the picture "as known at" a moment of 2015-16 shows what
would have been known then. The audit rows keep the real time of loading.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows.inputs import ObservationInput, SourceLocation
from seemix.flows.models import Channel, ReportRevision
from seemix.flows.readers.problems import ProblemLog
from seemix.flows.readers.textfile import TextRows
from seemix.flows.readers.values import parse_count, parse_date
from seemix.flows.services import ImportRejected, load_indicators, submit_observations

DATA_FILE = Path(__file__).resolve().parent / "data" / "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"
INDICATOR = "ARRIVALS"
SOURCE_NOTE = (
    "IFRC Europe 2015 situational awareness dashboard (UNHCR data portal and national police figures), "
    "SimonbJohnson/europe-15-situational-awareness @ adc54de; see seemix/demo/data/PROVENANCE.md."
)


@dataclass(frozen=True)
class Series:
    column: str
    participant: str
    place: str
    counterpart: str = ""


SERIES = [
    # The islands' figure is sea arrivals from Turkey: the flow across the Greece-Turkey border.
    Series("greekislands", "GR", "GR-TR", "TR"),
    Series("mainlandgreece", "GR", "GR"),
    Series("fyrom", "MK", "MK"),
    Series("serbia", "RS", "RS"),
    Series("croatia", "HR", "HR"),
    Series("hungary", "HU", "HU"),
    Series("slovenia", "SI", "SI"),
    Series("austria", "AT", "AT"),
    Series("germany", "DE", "DE"),
]


@dataclass
class DemoFlowsSummary:
    accepted: dict[str, int] = field(default_factory=dict)  # participant code -> observations
    reports: dict[str, int] = field(default_factory=dict)  # participant code -> daily reports
    skipped: bool = False  # the demo flows were already loaded


def _observations(path: Path, participant: str, series: list[Series]) -> Iterator[ObservationInput]:
    rows = TextRows(path, label=path.name, participant=participant, log=ProblemLog())
    rows.open()
    try:
        iterator = iter(rows)
        _row, header = next(iterator)
        position = {name: i for i, name in enumerate(header)}
        for row, cells in iterator:
            if not any(cells):
                continue
            day = parse_date(cells[position["date"]]).value
            for one in series:
                text = cells[position[one.column]]
                value = parse_count(text, participant).value
                if value is None:
                    continue
                yield ObservationInput(
                    location=SourceLocation(file=path.name, row=row, column=one.column),
                    date=day,
                    indicator=INDICATOR,
                    place=one.place,
                    value=value,
                    counterpart=one.counterpart,
                    raw={one.column: text},
                )
    finally:
        rows.close()


def load_demo_flows(path: Path = DATA_FILE) -> DemoFlowsSummary:
    """Submit the shipped daily arrivals as the reports of GR, MK, RS, HR, HU, SI, AT and DE."""
    summary = DemoFlowsSummary()
    if ReportRevision.objects.filter(channel=Channel.DEMO).exists():
        summary.skipped = True
        return summary
    load_indicators(actor=None)
    by_participant: dict[str, list[Series]] = {}
    for one in SERIES:
        by_participant.setdefault(one.participant, []).append(one)
    for code, series in by_participant.items():
        participant = Participant.objects.get(code=code)
        try:
            result = submit_observations(
                actor=None,
                participant=participant,
                rows=_observations(path, code, series),
                channel=Channel.DEMO,
                classification=Classification.PUBLIC,
                source_note=SOURCE_NOTE,
            )
        except ImportRejected as rejected:
            first = "; ".join(f"{p.location}: {p.message}" for p in rejected.problems[:5])
            raise RuntimeError(f"the demo flows of {code} were rejected: {first}") from rejected
        summary.accepted[code] = result.accepted
        summary.reports[code] = len(result.revisions)
    _date_as_reported()
    return summary


# A day's figures were published the next morning (see the module's docstring).
REPORTED_AT = time(10, 0, tzinfo=UTC)


def _date_as_reported() -> None:
    demo = ReportRevision.objects.filter(channel=Channel.DEMO)
    for day in demo.values_list("report__period_start", flat=True).distinct():
        reported = datetime.combine(day + timedelta(days=1), REPORTED_AT)
        # update(), not save(): these rows were written moments ago by this loader, and only their
        # timestamps are set to the assumed time of reporting.
        demo.filter(report__period_start=day).update(created_at=reported, submitted_at=reported)
