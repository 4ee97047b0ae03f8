"""Flows API: the indicator catalogue, reports and their revisions, observations and the change feed.

Read by members of any participant (what each may see is decided per revision by classification);
figures are submitted by the reporters and coordinators of their own participant; indicators are
written by platform administrators. A submission that fails validation answers 422 problem+json
whose ``errors`` list every problem with its row, column, field, value, reason and suggestion, and
writes nothing.
"""

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.pagination import paginate

from seemix.core.access import Principal, require_platform_admin
from seemix.core.errors import FieldError, InvalidInput, NotFound
from seemix.core.pagination import Page
from seemix.core.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE
from seemix.core.request_context import current_request_id
from seemix.directory.models import Participant
from seemix.flows import queries, services
from seemix.flows.models import Channel, Indicator, Periodicity
from seemix.flows.schemas import (
    ChangesOut,
    CorrectionIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    ObservationOut,
    ReportDetailOut,
    ReportOut,
    RevisionDetailOut,
    RevisionOut,
    SubmissionIn,
    SubmissionOut,
)
from seemix.flows.services import ImportRejected, SubmissionResult

router = Router()

INDICATORS = ["indicators"]
REPORTS = ["reports"]
OBSERVATIONS = ["observations"]
ROW_BY_ROW = "Keep the rows without errors and report every rejected row (default: all or nothing)."


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def _rejected(request: HttpRequest, exc: ImportRejected) -> HttpResponse:
    """422 problem+json listing every problem, located (core.problems' shape, with more members)."""
    body = {
        "type": PROBLEM_TYPE_BASE + "invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": exc.detail,
        "instance": request.path,
        "request_id": current_request_id(),
        "errors": [
            {**p.as_dict(), "reason": p.message, "code": "invalid" if p.severity == "error" else "warning"}
            for p in exc.problems
        ],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=422, content_type=PROBLEM_CONTENT_TYPE)


def _answer(request: HttpRequest, submit: Callable[[], SubmissionResult]) -> Any:
    try:
        result = submit()
    except ImportRejected as exc:
        return _rejected(request, exc)
    if result.accepted == 0 and not result.replayed:
        return _rejected(request, ImportRejected(result.problems))
    return Status(200 if result.replayed else 201, result.as_dict())


def _participants(codes: list[str], field: str) -> list[Participant]:
    found = {p.code: p for p in Participant.objects.filter(code__in=[c.upper() for c in codes])}
    missing = [c for c in codes if c.upper() not in found]
    if missing:
        raise InvalidInput(
            FieldError(field, _("There is no participant %(codes)s.") % {"codes": ", ".join(missing)})
        )
    return [found[c.upper()] for c in codes]


def _submitting_participant(principal: Principal, code: str | None) -> Participant:
    if code is not None:
        return _participants([code], "participant")[0]
    own = {g.participant_id for g in principal.grants if g.role in services.submission.SUBMITTERS}
    if len(own) != 1:
        raise InvalidInput(FieldError("participant", _("Name the participant you submit for (its code).")))
    return Participant.objects.get(pk=own.pop())


# --- indicators -----------------------------------------------------------------------------------


@router.get("/indicators", response=list[IndicatorOut], tags=INDICATORS)
@paginate(Page)
def list_indicators(request: HttpRequest, periodicity: Periodicity | None = None) -> Any:
    queries.require_reader(_principal(request))
    indicators = Indicator.objects.order_by("periodicity", "code")
    return indicators if periodicity is None else indicators.filter(periodicity=periodicity)


def _indicator(request: HttpRequest, code: str) -> Indicator:
    queries.require_reader(_principal(request))
    try:
        return Indicator.objects.get(code=code.upper())
    except Indicator.DoesNotExist:
        raise NotFound("indicator", code) from None


@router.get("/indicators/{code}", response=IndicatorOut, tags=INDICATORS)
def get_indicator(request: HttpRequest, code: str) -> Any:
    return _indicator(request, code)


@router.post(
    "/indicators", response={201: IndicatorOut}, tags=INDICATORS, summary="Add an indicator (administrators)"
)
def create_indicator(request: HttpRequest, payload: IndicatorIn) -> Any:
    values = payload.dict()
    indicator = services.create_indicator(actor=_principal(request), **values)
    return Status(201, indicator)


@router.patch(
    "/indicators/{code}",
    response=IndicatorOut,
    tags=INDICATORS,
    summary="Change an indicator (administrators)",
)
def update_indicator(request: HttpRequest, code: str, payload: IndicatorPatch) -> Any:
    principal = _principal(request)
    require_platform_admin(principal)
    return services.update_indicator(
        _indicator(request, code), actor=principal, **payload.dict(exclude_unset=True)
    )


# --- reports --------------------------------------------------------------------------------------


@router.get("/reports", response=list[ReportOut], tags=REPORTS)
@paginate(Page)
def list_reports(
    request: HttpRequest,
    participant: str | None = None,
    periodicity: Periodicity | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Any:
    return queries.reports_visible_to(
        _principal(request),
        participant=participant,
        periodicity=periodicity,
        date_from=date_from,
        date_to=date_to,
    )


@router.post(
    "/reports", response={200: SubmissionOut, 201: SubmissionOut}, tags=REPORTS, summary="Submit figures"
)
def submit_reports(
    request: HttpRequest,
    payload: SubmissionIn,
    row_by_row: bool = False,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),  # type: ignore[arg-type]
) -> Any:
    """Submit observations (one report per day or month they fall in; a report already submitted
    gets a new revision). A retry with the same Idempotency-Key returns the first answer (200)."""
    principal = _principal(request)
    participant = _submitting_participant(principal, payload.participant)
    services.require_submitter(principal, participant)
    audience = _participants(payload.audience, "audience")
    rows = (o.as_input(i) for i, o in enumerate(payload.observations, start=1))
    return _answer(
        request,
        lambda: services.submit_observations(
            actor=principal,
            participant=participant,
            rows=rows,
            channel=Channel.API,
            classification=payload.classification,
            audience=audience,
            source_note=payload.source_note,
            note=payload.note,
            row_by_row=row_by_row,
            idempotency_key=idempotency_key,
            as_draft=payload.draft,
        ),
    )


@router.get("/reports/{report_id}", response=ReportDetailOut, tags=REPORTS)
def get_report(request: HttpRequest, report_id: int) -> Any:
    principal = _principal(request)
    report = queries.report_for(principal, report_id)
    report.revisions_list = list(queries.revisions_of(principal, report))  # type: ignore[attr-defined]
    return report


@router.get("/reports/{report_id}/revisions/{number}", response=RevisionDetailOut, tags=REPORTS)
def get_revision(request: HttpRequest, report_id: int, number: int) -> Any:
    principal = _principal(request)
    revision = queries.revision_for(principal, queries.report_for(principal, report_id), number)
    revision.observations_list = list(  # type: ignore[attr-defined]
        revision.observations.select_related(
            "indicator",
            "crossing_point",
            "site",
            "border_section",
            "revision__report",
            "revision__participant",
        ).order_by(*queries.FIGURE_ORDER)
    )
    return revision


@router.post(
    "/reports/{report_id}/revisions",
    response={200: SubmissionOut, 201: SubmissionOut},
    tags=REPORTS,
    summary="Correct a report (a new revision)",
)
def correct_report(
    request: HttpRequest,
    report_id: int,
    payload: CorrectionIn,
    row_by_row: bool = False,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),  # type: ignore[arg-type]
) -> Any:
    """The rows given replace the same figures of the current revision; the others are kept. A row
    whose value is null marks its figure as not available."""
    principal = _principal(request)
    report = queries.report_for(principal, report_id)
    services.require_submitter(principal, report.participant)
    previous = report.revisions.filter(status="submitted").order_by("-number").first()
    audience = (
        _participants(payload.audience, "audience")
        if payload.audience is not None
        else (list(previous.audience.all()) if previous else [])
    )
    classification = payload.classification or (previous.classification if previous else "regional")
    source_note = (
        payload.source_note if payload.source_note is not None else (previous.source_note if previous else "")
    )
    rows = (o.as_input(i) for i, o in enumerate(payload.observations, start=1))
    return _answer(
        request,
        lambda: services.correct_report(
            report,
            actor=principal,
            rows=rows,
            channel=Channel.API,
            classification=classification,
            audience=audience,
            source_note=source_note,
            note=payload.note,
            row_by_row=row_by_row,
            idempotency_key=idempotency_key,
        ),
    )


@router.post(
    "/reports/{report_id}/draft/submit", response=RevisionOut, tags=REPORTS, summary="Submit the draft"
)
def submit_draft(request: HttpRequest, report_id: int) -> Any:
    principal = _principal(request)
    draft = queries.draft_for(principal, queries.report_for(principal, report_id))
    return services.submit_draft(draft, actor=principal)


# --- observations ---------------------------------------------------------------------------------


@router.get("/observations", response=list[ObservationOut], tags=OBSERVATIONS)
@paginate(Page)
def list_observations(
    request: HttpRequest,
    indicator: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    participant: str | None = None,
    place: str | None = None,
    breakdown: str | None = None,
    breakdown_value: str | None = None,
    periodicity: Periodicity | None = None,
    as_of: datetime | None = None,
) -> Any:
    """The current figures (or those of ``as_of``) of the reports you may read. ``indicator`` takes
    codes separated by commas; ``place`` a crossing point, site, border section or country."""
    return queries.observations_visible_to(
        _principal(request),
        indicator=indicator,
        date_from=date_from,
        date_to=date_to,
        participant=participant,
        place=place,
        breakdown=breakdown,
        breakdown_value=breakdown_value,
        periodicity=periodicity,
        as_of=as_of,
    )


@router.get("/observations/changes", response=ChangesOut, tags=OBSERVATIONS, summary="Change feed")
def observation_changes(request: HttpRequest, since: str = "0", limit: int = 1000) -> Any:
    """Observations of every revision submitted after the cursor ``since``, in the order they were
    committed, with the cursor to continue from. Each revision is a report's complete state: replace
    what you hold of that report by its rows. A revision committed after your call never gets a
    number at or below a cursor you have already been given, so following ``next_cursor`` misses
    nothing."""
    if not 1 <= limit <= queries.FEED_LIMIT_MAX:
        raise InvalidInput(FieldError("limit", _("Between 1 and %(max)d.") % {"max": queries.FEED_LIMIT_MAX}))
    changes = queries.changes_since(_principal(request), since, limit)
    return {"items": changes.items, "next_cursor": str(changes.next_cursor)}
