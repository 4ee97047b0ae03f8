"""The regional timeline of measures and the compliance with the advance-notice target."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from seemix.core.pages import pages
from seemix.directory import queries as directory_queries
from seemix.measures import charts, compliance, queries
from seemix.measures.forms import (
    ComplianceFilterForm,
    TimelineFilterForm,
)
from seemix.measures.models import Measure, MeasureStatus
from seemix.measures.services.drafts import DRAFTERS
from seemix.measures.views.common import (
    PAGE_SIZE,
    page_principal,
    participants_with,
    render_page,
)

# --- the region ------------------------------------------------------------------------------------


def _overlaps(measure: Measure, start: date | None, end: date | None) -> bool:
    """Whether the measure (from its first notification to its end) touches the period [start, end]."""
    begins = timezone.localtime(measure.first_notified_at or measure.effective_start).date()
    finish = charts.measure_end(measure)
    ends = timezone.localtime(finish).date() if finish else None
    if end is not None and begins > end:
        return False
    return start is None or ends is None or ends >= start


@require_GET
@pages
def timeline(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    issuers = directory_queries.participants_for(principal).filter(is_active=True).order_by("name")
    form = TimelineFilterForm(
        request.GET or None,
        issuers=issuers,
        statuses=[(value, str(label)) for value, label in MeasureStatus.choices],
    )
    filters: dict[str, Any] = {}
    start = end = None
    if form.is_valid():
        filters = {k: form.cleaned_data[k] or None for k in ("issuer", "type", "status")}
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    measures = [m for m in queries.measures_visible_to(principal, **filters) if _overlaps(m, start, end)]
    first, last = charts.period_of([m for m in measures if m.status in charts.CHARTED], start, end)
    spec = charts.timeline_chart(measures, first, last)
    table = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "measures/timeline.html",
        principal,
        "timeline",
        form=form,
        spec=spec,
        measures=table,
        total=len(measures),
        charted=sum(1 for m in measures if m.status in charts.CHARTED),
        query=query.urlencode(),
        can_draft=bool(participants_with(principal, *DRAFTERS)),
    )


@require_GET
@pages
def compliance_page(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    today = timezone.localdate()
    # By default the whole record, from the first measure to the last planned one (or today): the
    # demo's 2015-16 measures are the point of this page.
    starts = (
        queries.measures_visible_to(principal)
        .order_by("planned_start")
        .values_list("planned_start", flat=True)
    )
    first, last = starts.first(), starts.last()
    start = timezone.localtime(first).date() if first else date(today.year, 1, 1)
    end = max(today, timezone.localtime(last).date()) if last else today
    form = ComplianceFilterForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    report = compliance.compliance_for(principal, start=start, end=end)
    return render_page(
        request,
        "measures/compliance.html",
        principal,
        "compliance",
        form=form,
        report=report,
        start=start,
        end=end,
        short_hours=settings.SEEMIX_ADVANCE_NOTICE_DAYS * 24,
    )
