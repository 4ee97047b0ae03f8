"""The regional timeline of measures: a Vega-Lite specification built with Altair.

Drawn in the browser by static/seemix/js/charts.js with the locally built Vega bundle, as the
gazetteer's map is. Each measure is a row (grouped by issuer), with a bar from its effective start to
its end (lifted, planned end, or "until further notice", drawn to the edge of the period), coloured
by type; a thin grey bar before it spans the notice given, from the first notification to the
start, so that a measure notified after the fact has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import altair as alt
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.measures.models import Measure, MeasureStatus, MeasureType

ROW_HEIGHT = 26
LABEL_LENGTH = 48
NOTICE_COLOUR = "#9aa7b4"
# One colour per type, distinguishable in print and for the common colour-vision deficiencies
# (Okabe–Ito, with two darker additions).
TYPE_COLOURS = {
    MeasureType.BORDER_CONTROL: "#0072B2",
    MeasureType.CLOSURE: "#D55E00",
    MeasureType.ENTRY_RESTRICTION: "#CC79A7",
    MeasureType.PROCEDURE: "#009E73",
    MeasureType.RECEPTION_CAPACITY: "#56B4E9",
    MeasureType.BARRIER: "#000000",
    MeasureType.RETURN_OPERATION: "#E69F00",
    MeasureType.VISA_REGIME: "#6A3D9A",
    MeasureType.ASYLUM_PROCEDURE: "#8C564B",
    MeasureType.OTHER: "#7F7F7F",
}
CHARTED = (MeasureStatus.NOTIFIED, MeasureStatus.IN_FORCE, MeasureStatus.LIFTED)


def _iso(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


def _label(value: datetime | None, fallback: str) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else fallback


def measure_end(measure: Measure) -> datetime | None:
    return measure.ended_at or measure.planned_end


def period_of(measures: Iterable[Measure], start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """The chart's time span: the filter's dates, else from the first start to the last end (or today)."""
    measures = list(measures)
    tz = timezone.get_current_timezone()
    if start is not None:
        first = datetime.combine(start, time.min, tzinfo=tz)
    else:
        starts = [m.first_notified_at or m.effective_start for m in measures]
        first = min(starts) if starts else timezone.now() - timedelta(days=30)
    if end is not None:
        last = datetime.combine(end, time.max, tzinfo=tz)
    else:
        ends = [measure_end(m) or m.effective_start for m in measures]
        last = max([*ends, timezone.now()])
        # An open-ended measure is drawn for a week at least, so that a bar shows beyond its start.
        open_starts = [m.effective_start + timedelta(days=7) for m in measures if measure_end(m) is None]
        last = max([last, *open_starts])
        last += max((last - first) * 0.03, timedelta(days=1))
    return first, max(last, first + timedelta(days=1))


def timeline_rows(measures: Iterable[Measure], until: datetime) -> list[dict[str, Any]]:
    rows = []
    charted = sorted(
        (m for m in measures if m.status in CHARTED), key=lambda m: (m.issuer.name, m.effective_start)
    )
    for m in charted:
        end = measure_end(m)
        lead = m.lead_time
        title = m.title if len(m.title) <= LABEL_LENGTH else m.title[: LABEL_LENGTH - 1] + "…"
        rows.append(
            {
                "id": m.pk,
                # One row per measure; the id keeps two measures of the same title apart.
                "row": f"{m.issuer.code} · {title} #{m.pk}",
                "title": m.title,
                "issuer": m.issuer.name,
                "type": str(MeasureType(m.type).label),
                "type_key": m.type,
                "status": str(MeasureStatus(m.status).label),
                "notified": _iso(m.first_notified_at) if m.first_notified_at else None,
                "start": _iso(m.effective_start),
                "end": _iso(end if end and end < until else until),
                "start_label": _label(m.effective_start, ""),
                "end_label": _label(end, _("until further notice")),
                "lead_days": round(lead.total_seconds() / 86400, 1) if lead is not None else None,
                "url": reverse("measures:detail", args=[m.pk]),
            }
        )
    return rows


def timeline_chart(measures: Iterable[Measure], first: datetime, last: datetime) -> dict[str, Any] | None:
    """The Vega-Lite specification of the timeline, or None when there is nothing to draw."""
    rows = timeline_rows(measures, last)
    if not rows:
        return None
    order = [r["row"] for r in rows]
    present = [t for t in MeasureType if any(r["type_key"] == t.value for r in rows)]
    domain = [str(t.label) for t in present]
    colours = [TYPE_COLOURS[t] for t in present]
    x_scale = alt.Scale(domain=[_iso(first), _iso(last)], type="utc")
    # The label drops the "#id" that only keeps rows apart.
    y = alt.Y(
        "row:N",
        title=None,
        sort=order,
        axis=alt.Axis(
            labelLimit=340, labelFontSize=12, labelExpr="replace(datum.label, regexp(' #[0-9]+$'), '')"
        ),
    )
    tooltip = [
        alt.Tooltip("title:N", title=_("Measure")),
        alt.Tooltip("issuer:N", title=_("Issuer")),
        alt.Tooltip("type:N", title=_("Type")),
        alt.Tooltip("status:N", title=_("Status")),
        alt.Tooltip("start_label:N", title=_("Start")),
        alt.Tooltip("end_label:N", title=_("End")),
        alt.Tooltip("lead_days:Q", title=_("Notice given (days)")),
    ]
    base = alt.Chart(alt.Data(values=rows))
    notice = (
        base.transform_filter("datum.notified != null && datum.notified < datum.start")
        .mark_bar(color=NOTICE_COLOUR, height=4, clip=True)
        .encode(x=alt.X("notified:T", scale=x_scale, title=None), x2="start:T", y=y, tooltip=tooltip)
    )
    bars = base.mark_bar(height=ROW_HEIGHT * 0.6, cornerRadius=2, opacity=0.85, clip=True).encode(
        x=alt.X(
            "start:T",
            scale=x_scale,
            title=None,
            axis=alt.Axis(format="%d %b %Y", labelAngle=0, grid=True, tickCount=8),
        ),
        x2="end:T",
        y=y,
        color=alt.Color(
            "type:N",
            title=_("Type"),
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=360, symbolType="square"),
        ),
        href="url:N",
        tooltip=tooltip,
    )
    chart = (
        alt.layer(notice, bars)
        .properties(
            width="container",
            height=ROW_HEIGHT * len(rows),
            description=_("Timeline of the measures of the region, by issuing participant."),
        )
        .configure(font="system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif")
        .configure_view(stroke=None)
        .configure_axis(labelColor="#1b2733", domainColor="#c5ced6", gridColor="#e3e8ec")
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
