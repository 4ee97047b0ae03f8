"""Pages of flows: the day's grid, the upload, reports and their revisions, the neighbours' figures,
the reporting status and the downloads. Each view parses, asks a query or a service, renders."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from seemix.core.access import Principal
from seemix.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from seemix.directory.models import Participant
from seemix.directory.principals import principal_for_user
from seemix.flows import queries, services, status
from seemix.flows.api_exports import export_response
from seemix.flows.exports import FORMATS
from seemix.flows.forms import (
    GRID_FILE,
    ObservationFilterForm,
    SharingForm,
    UploadForm,
    build_grid,
    read_grid,
)
from seemix.flows.inputs import Problem, Severity, SourceLocation
from seemix.flows.models import Channel, Indicator, Observation, Periodicity, ReportRevision, RevisionStatus
from seemix.flows.readers.importing import import_file
from seemix.flows.services.submission import SUBMITTERS, ImportRejected, period_key
from seemix.gazetteer import queries as gazetteer_queries

PAGE_SIZE = 100


def _principal(request: HttpRequest) -> Principal:
    """The signed-in member; 403 for a user without any membership (as the API answers)."""
    principal = principal_for_user(request.user)
    if not (principal.is_member or principal.is_platform_admin):
        raise PermissionDenied
    return principal


def _page(
    request: HttpRequest, template: str, principal: Principal, nav: str, **context: Any
) -> HttpResponse:
    return render(request, template, {"principal": principal, "can_read": True, "nav": nav, **context})


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def submitter_participants(principal: Principal) -> list[Participant]:
    """The participants whose figures the principal may submit (reporter or coordinator)."""
    ids = {g.participant_id for g in principal.grants if g.role in SUBMITTERS}
    return list(Participant.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def _submitter_of(principal: Principal, code: str) -> Participant:
    participant = Participant.objects.filter(code=code, is_active=True).first()
    if participant is None:
        raise Http404
    if not principal.has_role(participant.pk, *SUBMITTERS):
        raise PermissionDenied
    return participant


def _problem_rows(problems: list[Problem]) -> list[Problem]:
    return sorted(
        problems, key=lambda p: (p.severity != Severity.ERROR, p.location.sheet, p.location.row or 0)
    )


# --- the day's grid ------------------------------------------------------------------------------


@require_GET
@login_required
def grid_start(request: HttpRequest) -> HttpResponse:
    """The grid of the user's (first) participant for yesterday, the usual day to report."""
    principal = _principal(request)
    own = submitter_participants(principal)
    if not own:
        raise PermissionDenied
    day = timezone.localdate() - timedelta(days=1)
    return redirect("flows:grid", code=own[0].code, day=day.isoformat())


def _grid_state(participant: Participant, day: date) -> tuple[ReportRevision | None, ReportRevision | None]:
    """(the open draft, the current submitted revision) of the participant's report of ``day``."""
    revisions = ReportRevision.objects.filter(
        report__participant=participant, report__periodicity=Periodicity.DAILY, report__period_start=day
    )
    draft = revisions.filter(status=RevisionStatus.DRAFT).first()
    current = revisions.filter(status=RevisionStatus.SUBMITTED, superseded_at__isnull=True).first()
    return draft, current


def _initial_values(revision: ReportRevision | None) -> dict[tuple[str, str], int | None]:
    if revision is None:
        return {}
    rows = Observation.objects.filter(revision=revision, breakdown="").values_list(
        "crossing_point__code", "site__code", "border_section__code", "country_id", "indicator__code", "value"
    )
    return {
        (str(cp or site or section or country), indicator): value
        for cp, site, section, country, indicator, value in rows
    }


@require_http_methods(["GET", "POST"])
@login_required
def grid(request: HttpRequest, code: str, day: str) -> HttpResponse:
    principal = _principal(request)
    participant = _submitter_of(principal, code)
    the_day = _date(day)
    if the_day is None:
        raise Http404
    draft, current = _grid_state(participant, the_day)
    base = draft or current
    indicators = list(
        Indicator.objects.filter(periodicity=Periodicity.DAILY, is_active=True).order_by("code")
    )
    crossing_points = list(gazetteer_queries.crossing_points_for(principal, country=participant.code))
    sites = list(gazetteer_queries.sites_for(principal, country=participant.code))
    the_grid = build_grid(participant, the_day, indicators, crossing_points, sites, _initial_values(base))
    initial: dict[str, Any] = (
        {"classification": base.classification, "source_note": base.source_note} if base else {}
    )
    if base is not None:
        initial["audience"] = list(base.audience.all())
    sharing = SharingForm(request.POST or None, participant=participant, initial=initial)
    if request.method == "POST" and sharing.is_valid():
        inputs, problems = read_grid(
            the_grid, request.POST, estimate=sharing.cleaned_data["estimate"],
            provisional=sharing.cleaned_data["provisional"],
        )  # fmt: skip
        if problems:
            the_grid.attach(problems)
        elif not inputs and not (draft and "submit" in request.POST):
            the_grid.other_problems.append(
                Problem(SourceLocation(file=GRID_FILE), "rows", "", _("Fill in at least one figure."))
            )
        else:
            done = _save_grid(
                request, principal, participant, the_day, inputs, sharing.cleaned_data, draft, the_grid
            )
            if done:
                return redirect("flows:grid", code=participant.code, day=the_day.isoformat())
    return _page(
        request, "flows/grid.html", principal, "flows-grid",
        grid=the_grid, sharing=sharing, draft=draft, current=current, participant=participant,
        previous_day=(the_day - timedelta(days=1)).isoformat(),
        next_day=(the_day + timedelta(days=1)).isoformat(),
        own=submitter_participants(principal),
    )  # fmt: skip


def _save_grid(
    request: HttpRequest,
    principal: Principal,
    participant: Participant,
    day: date,
    inputs: list[Any],
    options: dict[str, Any],
    draft: ReportRevision | None,
    the_grid: Any,
) -> bool:
    submit = "submit" in request.POST
    sharing = {
        "classification": options["classification"],
        "audience": list(options["audience"]) if options["classification"] == "restricted" else [],
        "source_note": options["source_note"],
    }
    try:
        result = None
        if inputs and (draft is not None or not submit):
            result = services.submit_observations(
                actor=principal, participant=participant, rows=inputs, channel=Channel.FORM, as_draft=True,
                period=period_key(Periodicity.DAILY, day), **sharing,
            )  # fmt: skip
        if submit and (draft is not None):
            draft.refresh_from_db()
            services.submit_draft(draft, actor=principal)
        elif submit:
            result = services.submit_observations(
                actor=principal, participant=participant, rows=inputs, channel=Channel.FORM,
                period=period_key(Periodicity.DAILY, day), **sharing,
            )  # fmt: skip
    except ImportRejected as rejected:
        the_grid.attach(rejected.problems)
        return False
    except Forbidden:
        raise PermissionDenied from None
    except (InvalidInput, Conflict) as error:
        the_grid.other_problems.append(Problem(SourceLocation(file=GRID_FILE), "report", "", error.detail))
        return False
    warnings = [p for p in (result.problems if result else []) if p.severity == Severity.WARNING]
    if submit:
        messages.success(request, _("The report of %(day)s is submitted.") % {"day": day.isoformat()})
    else:
        messages.success(
            request,
            _("The draft of %(day)s is saved; submit it when it is complete.") % {"day": day.isoformat()},
        )
    for warning in warnings:
        messages.warning(request, f"{warning.location}: {warning.message}")
    return True


# --- upload --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    own = submitter_participants(principal)
    if not own:
        raise PermissionDenied
    chosen = own[0]
    if request.method == "POST" and request.POST.get("participant"):
        chosen = _submitter_of(principal, request.POST["participant"])
    form = UploadForm(request.POST or None, request.FILES or None, participant=chosen)
    problems: list[Problem] = []
    outcome: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        problems, outcome = _import_upload(principal, chosen, form.cleaned_data)
    return _page(
        request, "flows/upload.html", principal, "flows-upload",
        form=form, own=own, chosen=chosen, problems=_problem_rows(problems), outcome=outcome,
        errors=sum(1 for p in problems if p.severity == Severity.ERROR),
    )  # fmt: skip


def _import_upload(
    principal: Principal, participant: Participant, data: dict[str, Any]
) -> tuple[list[Problem], dict[str, Any] | None]:
    uploaded = data["file"]
    suffix = Path(uploaded.name).suffix.lower()[:8]
    with tempfile.NamedTemporaryFile(suffix=suffix) as spool:
        for chunk in uploaded.chunks():
            spool.write(chunk)
        spool.flush()
        # The same import path as `seemix import`: the reader's problems go to the one validator,
        # so row-by-row acceptance rejects only the unreadable rows, and all-or-nothing writes nothing.
        try:
            imported = import_file(
                spool.name, actor=principal, participant=participant, sheet=data["sheet"] or None,
                label=uploaded.name, row_by_row=data["row_by_row"], channel=Channel.UPLOAD,
                classification=data["classification"],
                audience=list(data["audience"]) if data["classification"] == "restricted" else [],
                source_note=data["source_note"], estimate=data["estimate"], provisional=data["provisional"],
            )  # fmt: skip
        except Forbidden:
            raise PermissionDenied from None
        except (InvalidInput, Conflict) as error:
            return [Problem(SourceLocation(file=uploaded.name), "file", "", error.detail)], None
    result = imported.result
    if not imported.written or result is None:
        return _merged(imported.problems, []), None
    outcome = {"accepted": result.accepted, "rejected": result.rejected, "revisions": result.revisions}
    return _merged(imported.problems, []), outcome


def _merged(first: list[Problem], second: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for problem in [*first, *second]:
        if problem not in seen:
            seen.add(problem)
            out.append(problem)
    return out


# --- reports --------------------------------------------------------------------------------------


@require_GET
@login_required
def reports(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    periodicity = request.GET.get("periodicity") or None
    participant = request.GET.get("participant") or None
    if periodicity is not None and periodicity not in Periodicity.values:
        messages.error(
            request,
            _("%(value)r is not a periodicity: daily or monthly. Every report is shown.")
            % {"value": periodicity},
        )
        periodicity = None
    try:
        found = queries.reports_visible_to(principal, periodicity=periodicity, participant=participant)
    except InvalidInput as invalid:
        messages.error(request, "; ".join(e.message for e in invalid.errors))
        found = queries.reports_visible_to(principal)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request, "flows/reports.html", principal, "flows-reports", page=page, periodicity=periodicity or "",
        participant=participant or "", periodicities=Periodicity.choices,
        can_submit=bool(submitter_participants(principal)),
    )  # fmt: skip


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    as_of_text = (request.GET.get("as_of") or "").strip()
    as_of = _as_of(request, as_of_text)
    try:
        found = queries.report_for(principal, pk)
        revisions = list(queries.revisions_of(principal, found))
    except NotFound:
        raise Http404 from None
    shown = _shown_revision(revisions, as_of)
    observations = (
        list(
            Observation.objects.filter(revision=shown)
            .select_related("indicator", "crossing_point", "site", "border_section", "revision__participant")
            .order_by(
                "indicator__code", "crossing_point__code", "site__code", "breakdown", "breakdown_value", "pk"
            )
        )
        if shown
        else []
    )
    export_query = (
        f"participant={found.participant.code}&date_from={found.period_start}&date_to={_period_end(found)}"
    )
    return _page(
        request, "flows/report.html", principal, "flows-reports",
        report=found, revisions=revisions, shown=shown, observations=observations, as_of=as_of_text,
        formats=FORMATS.values(), export_query=export_query,
        can_correct=_can_correct(principal, found),
    )  # fmt: skip


def _as_of(request: HttpRequest, text: str) -> datetime | None:
    """The moment the report is to be shown as of (in the page's time zone when none is written);
    None, with a message, when ``text`` is not a date and time."""
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed but not in the calendar: 2016-13-45 10:00
        moment = None
    if moment is None:
        messages.error(
            request,
            _("%(text)r is not a date and time: write it as YYYY-MM-DD HH:MM. The current revision is shown.")
            % {"text": text},
        )
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _can_correct(principal: Principal, found: Any) -> bool:
    return found.periodicity == Periodicity.DAILY and principal.has_role(found.participant_id, *SUBMITTERS)


def _shown_revision(revisions: list[ReportRevision], as_of: Any) -> ReportRevision | None:
    """The revision that was the report's state at ``as_of``; else the current one, else the latest."""
    submitted = [r for r in revisions if r.status == RevisionStatus.SUBMITTED]
    if as_of is not None:
        return next(
            (
                r
                for r in submitted
                if r.submitted_at <= as_of and (r.superseded_at is None or r.superseded_at > as_of)
            ),
            None,
        )
    current = next((r for r in submitted if r.superseded_at is None), None)
    return current or (revisions[-1] if revisions else None)


def _period_end(found: Any) -> date:
    if found.periodicity == Periodicity.MONTHLY:
        return status.next_month(found.period_start) - timedelta(days=1)
    return found.period_start


# --- the neighbours' figures and downloads -------------------------------------------------------


@require_GET
@login_required
def observations(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    form = ObservationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Figures for filters other than those asked would mislead: the errors, and no figures.
        errors = [
            f"{form.fields[name].label}: {' '.join(problems)}" for name, problems in form.errors.items()
        ]
        return _page(
            request, "flows/observations.html", principal, "flows-observations",
            form=form, rows=None, errors=errors, formats=FORMATS.values(), export_query="",
        )  # fmt: skip
    filters = form.filters() if form.is_bound else {}
    if not filters.get("date_from") and not filters.get("date_to"):
        # The week up to the latest period the user can see, so that a page opened on an archive
        # (or after a quiet week) shows figures rather than nothing.
        today = timezone.localdate()
        latest = queries.reports_visible_to(principal).aggregate(latest=Max("period_start"))["latest"]
        end = min(latest, today) if latest else today
        filters["date_from"], filters["date_to"] = end - timedelta(days=6), end
    errors: list[str] = []
    try:
        found = queries.observations_visible_to(principal, **filters)
        page = Paginator(
            found.order_by("-date", "revision__participant__code", "indicator__code", "pk"), PAGE_SIZE
        )
        rows = page.get_page(request.GET.get("page"))
    except InvalidInput as invalid:
        errors = [f"{e.field}: {e.message}" for e in invalid.errors]
        rows = None
    query = urlencode(filters)
    return _page(
        request, "flows/observations.html", principal, "flows-observations",
        form=form, rows=rows, errors=errors, formats=FORMATS.values(), export_query=query,
    )  # fmt: skip


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The download behind the pages' menus (the same as GET /api/v1/observations/export)."""
    principal = _principal(request)
    form = ObservationFilterForm(request.GET)
    if not form.is_valid():
        raise Http404
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    try:
        return export_response(principal, fmt, form.filters())
    except InvalidInput as invalid:
        messages.error(request, "; ".join(f"{e.field}: {e.message}" for e in invalid.errors))
        return redirect(reverse("flows:observations") + "?" + request.GET.urlencode())
    except DomainError:
        raise Http404 from None


# --- reporting status -----------------------------------------------------------------------------


@require_GET
@login_required
def reporting_status(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    periodicity = request.GET.get("periodicity", Periodicity.DAILY)
    if periodicity not in Periodicity.values:
        periodicity = Periodicity.DAILY
    errors: list[str] = []
    try:
        the_grid = status.reporting_status(
            principal,
            periodicity=periodicity,
            date_from=_date(request.GET.get("date_from")),
            date_to=_date(request.GET.get("date_to")),
        )
    except Forbidden:
        raise PermissionDenied from None
    except InvalidInput as invalid:
        errors = [e.message for e in invalid.errors]
        the_grid = status.reporting_status(principal, periodicity=periodicity)
    return _page(
        request, "flows/status.html", principal, "flows-status",
        grid=the_grid, errors=errors, periodicity=periodicity, periodicities=Periodicity.choices,
    )  # fmt: skip
