"""The typed answer of GET /api/v1/analysis/reconciliation."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class GlobalTestOut(Schema):
    statistic: float
    dof: float
    p_value: float


class FlowOut(Schema):
    border: str
    origin: str
    destination: str
    lag: int
    days: list[date]  # the day people left the origin
    flow: list[float]
    se: list[float]


class PresentOut(Schema):
    node: str
    days: list[date]
    present: list[float]
    se: list[float]


class ReconciledReportOut(Schema):
    reporter: str
    kind: str
    place: str
    date: date
    reported: float | None  # None: reported as not available
    reconciled: float
    se: float
    adjustment: float | None
    z: float
    suspected: bool


class SuspectOut(Schema):
    reporter: str
    kind: str
    place: str
    date: date
    reported: float
    reference: float
    reference_label: str
    z: float
    threshold: float
    evidence: str


class SustainedOut(Schema):
    reporter: str
    kind: str
    place: str
    date_from: date
    date_to: date
    figures: int
    z: float
    threshold: float
    evidence: str


class ReconciliationOut(Schema):
    date_from: date
    date_to: date
    method: str
    reliability: dict[str, float]  # reporter -> relative standard error used
    global_before: GlobalTestOut | None
    global_after: GlobalTestOut | None
    unused: int  # figures read that the route has no place for
    flows: list[FlowOut]
    present: list[PresentOut]
    reports: list[ReconciledReportOut]
    suspects: list[SuspectOut]
    sustained: list[SustainedOut]  # weeks in which one series sits on one side of the others
