"""The flows API's typed inputs and outputs."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from seemix.core.classification import Classification
from seemix.flows.inputs import ObservationInput, SourceLocation
from seemix.flows.models import Channel, Observation, Periodicity, ReportRevision

# --- indicators -----------------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    unit: str
    periodicity: Periodicity
    allowed_breakdowns: list[str]
    needs_counterpart: bool
    source: str
    is_active: bool


class IndicatorIn(Schema):
    code: str = Field(..., max_length=24, examples=["FRAN-8"])
    name: str = Field(..., max_length=200)
    definition: str
    unit: str = Field("persons", max_length=40)
    periodicity: Periodicity
    allowed_breakdowns: list[str] = []
    needs_counterpart: bool = False
    source: str = Field("", max_length=300)
    is_active: bool = True


class IndicatorPatch(Schema):
    name: str | None = Field(None, max_length=200)
    definition: str | None = None
    unit: str | None = Field(None, max_length=40)
    allowed_breakdowns: list[str] | None = None
    needs_counterpart: bool | None = None
    source: str | None = Field(None, max_length=300)
    is_active: bool | None = None


# --- submissions ----------------------------------------------------------------------------------


class ObservationIn(Schema):
    date: date | None
    indicator: str = Field(..., max_length=100, examples=["ARRIVALS"])
    place: str = Field(
        ...,
        max_length=200,
        description="Crossing point, site, border section or country: code or name",
        examples=["RS-MIRATOVAC"],
    )
    value: int | None = Field(..., description="null: not available (never read as zero)")
    counterpart: str = Field("", max_length=100, description="Country code: the destination of exits")
    breakdown: str = Field(
        "", max_length=40, description="'' (total), nationality, sex, age_group, unaccompanied_minors"
    )
    breakdown_value: str = Field("", max_length=40)
    estimate: bool = False
    provisional: bool = False

    def as_input(self, number: int) -> ObservationInput:
        return ObservationInput(
            location=SourceLocation(row=number),
            date=self.date,
            indicator=self.indicator,
            place=self.place,
            value=self.value,
            counterpart=self.counterpart,
            breakdown=self.breakdown,
            breakdown_value=self.breakdown_value,
            estimate=self.estimate,
            provisional=self.provisional,
        )


class SubmissionIn(Schema):
    participant: str | None = Field(None, description="Participant code; the token's participant if omitted")
    classification: Classification = Classification.REGIONAL
    audience: list[str] = Field([], description="Participant codes that may read a RESTRICTED report")
    source_note: str = Field("", max_length=2000)
    note: str = Field("", max_length=2000)
    draft: bool = Field(False, description="Save as a draft, to be submitted later")
    observations: list[ObservationIn] = Field(..., max_length=100_000)


class CorrectionIn(Schema):
    classification: Classification | None = Field(None, description="The previous revision's if omitted")
    audience: list[str] | None = None
    source_note: str | None = Field(None, max_length=2000)
    note: str = Field("", max_length=2000, description="Why the report is corrected")
    observations: list[ObservationIn] = Field(..., max_length=100_000)


class ProblemOut(Schema):
    file: str
    sheet: str
    row: int | None
    column: str
    field: str
    value: str
    message: str
    severity: str
    suggestion: str


class RevisionSummaryOut(Schema):
    report: int
    revision: int
    number: int
    periodicity: str
    period_start: date
    status: str
    observations: int


class SubmissionOut(Schema):
    submission: int | None
    accepted: int
    rejected: int
    revisions: list[RevisionSummaryOut]
    problems: list[ProblemOut]


# --- reports --------------------------------------------------------------------------------------


class RevisionOut(Schema):
    number: int
    status: str
    classification: Classification
    audience: list[str]
    source_note: str
    note: str
    channel: Channel
    created_by: str | None
    created_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    superseded_at: datetime | None
    change_seq: int | None
    observation_count: int

    @staticmethod
    def resolve_audience(obj: ReportRevision) -> list[str]:
        return sorted(p.code for p in obj.audience.all())

    @staticmethod
    def resolve_created_by(obj: ReportRevision) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_submitted_by(obj: ReportRevision) -> str | None:
        return obj.submitted_by.get_username() if obj.submitted_by else None


class ReportOut(Schema):
    id: int
    participant: str
    periodicity: Periodicity
    period_start: date
    created_at: datetime

    @staticmethod
    def resolve_participant(obj: Any) -> str:
        return str(obj.participant.code)


class ReportDetailOut(ReportOut):
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_revisions(obj: Any) -> list[Any]:
        return list(obj.revisions_list)  # the principal's visible revisions, set by the endpoint


class ObservationOut(Schema):
    id: int
    report: int
    revision: int
    participant: str
    date: date
    indicator: str
    country: str
    place_type: str
    place: str
    counterpart: str | None
    breakdown: str
    breakdown_value: str
    value: int | None
    estimate: bool
    provisional: bool

    @staticmethod
    def resolve_report(obj: Observation) -> int:
        return obj.revision.report_id

    @staticmethod
    def resolve_revision(obj: Observation) -> int:
        return obj.revision.number

    @staticmethod
    def resolve_participant(obj: Observation) -> str:
        return str(obj.revision.participant.code)

    @staticmethod
    def resolve_indicator(obj: Observation) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_country(obj: Observation) -> str:
        return str(obj.country_id)

    @staticmethod
    def resolve_place_type(obj: Observation) -> str:
        return _place(obj)[0]

    @staticmethod
    def resolve_place(obj: Observation) -> str:
        return _place(obj)[1]

    @staticmethod
    def resolve_counterpart(obj: Observation) -> str | None:
        return obj.counterpart_country_id  # type: ignore[return-value]

    @staticmethod
    def resolve_estimate(obj: Observation) -> bool:
        return obj.is_estimate

    @staticmethod
    def resolve_provisional(obj: Observation) -> bool:
        return obj.is_provisional


def _place(obj: Observation) -> tuple[str, str]:
    if obj.crossing_point_id:
        return "crossing_point", obj.crossing_point.code
    if obj.site_id:
        return "site", obj.site.code
    if obj.border_section_id:
        return "border_section", obj.border_section.code
    return "country", str(obj.country_id)


class RevisionDetailOut(RevisionOut):
    observations: list[ObservationOut]

    @staticmethod
    def resolve_observations(obj: Any) -> list[Any]:
        return list(obj.observations_list)  # set by the endpoint


class ChangeOut(ObservationOut):
    change_seq: int
    submitted_at: datetime

    @staticmethod
    def resolve_change_seq(obj: Observation) -> int:
        return int(obj.revision.change_seq or 0)

    @staticmethod
    def resolve_submitted_at(obj: Observation) -> datetime:
        return obj.revision.submitted_at  # type: ignore[return-value]


class ChangesOut(Schema):
    items: list[ChangeOut]
    next_cursor: str = Field(..., description="Pass as ?since= to continue after the last item")
