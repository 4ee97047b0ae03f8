"""The alert rules, run for one day (``run_alert_rules``). Each rule reads the figures and measures
of that day and raises an alert per thing it finds (``raise_alert``: once per kind and key, so a
rule run twice, or for an overlapping period, raises nothing new).

The rules (docs/situation.md repeats them for readers):

- surge: a country's arrivals of the day above max(SURGE_FACTOR x median, median + SURGE_MAD x MAD)
  of its previous SURGE_WINDOW days, with at least SURGE_MIN_POINTS figures in the window and a
  jump of at least SURGE_MIN_JUMP persons (the floor keeps small counts quiet);
- site capacity: a site's persons present at the end of the day above SITE_THRESHOLD of its
  capacity valid that day (gazetteer SiteCapacity);
- count disagreement: across a border section A-B, A's exits towards B and B's arrivals from A on
  the same day differ by more than max(DISAGREE_MIN, DISAGREE_SHARE x the larger count);
- short lead time: a measure first notified that day with less lead time than the target
  (SEEMIX_ADVANCE_NOTICE_DAYS, measures.compliance);
- unacknowledged: an addressee that had not acknowledged a notification by its deadline (no
  acknowledgement, or one made after it), for the deadlines falling on the day (and before the run);
- report missing: a participant that submitted a daily report in the previous REPORTING_WINDOW
  days has none for the day.

An alert derived from figures carries their classification: a RESTRICTED figure makes a RESTRICTED
alert visible to the figure's participant and audience only (timeline_series.Sources.visibility).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.gazetteer.models import BorderSection, ReceptionSite, SiteCapacity
from seemix.measures.compliance import advance_notice
from seemix.measures.models import Acknowledgement, Measure, Recipient
from seemix.situation.models import AlertKind, SituationAlert
from seemix.situation.services.alerts import raise_alert
from seemix.situation.timeline_series import Sources, daily_sums, system_revisions

SURGE_WINDOW = 14
SURGE_MIN_POINTS = 5
SURGE_FACTOR = 2.0
SURGE_MAD = 4.0
SURGE_MIN_JUMP = 500
SITE_THRESHOLD = 0.9
DISAGREE_MIN = 100
DISAGREE_SHARE = 0.10
REPORTING_WINDOW = 7


def _participants_by_code() -> dict[str, Participant]:
    return {p.code: p for p in Participant.objects.filter(is_active=True)}


def _raise_derived(
    sources: Sources, revision_ids: set[int], default_participant: Participant | None, **kwargs: Any
) -> SituationAlert:
    classification, owner, audience = sources.visibility(revision_ids)
    participant = default_participant
    if classification == Classification.RESTRICTED:
        participant = Participant.objects.get(pk=owner) if owner else None
    return raise_alert(
        classification=classification,
        participant=participant,
        audience=list(Participant.objects.filter(pk__in=audience)),
        **kwargs,
    )


def surge_threshold(history: np.ndarray) -> tuple[float, float, float] | None:
    """(median, MAD, threshold) of a window of figures, or None with too few of them."""
    if len(history) < SURGE_MIN_POINTS:
        return None
    median = float(np.median(history))
    mad = float(np.median(np.abs(history - median)))
    return median, mad, max(SURGE_FACTOR * median, median + SURGE_MAD * mad, median + SURGE_MIN_JUMP)


def _surge_detail(value: int, median: float, threshold: float) -> str:
    figures = {
        "value": f"{value:,}",
        "median": f"{median:,.0f}",
        "n": SURGE_WINDOW,
        "threshold": f"{threshold:,.0f}",
    }
    if not median:
        # No ratio to a median of zero: say what the days before were instead.
        return (
            _(
                "%(value)s arrivals where the median of the previous %(n)d days was 0 "
                "(flagged above %(threshold)s)."
            )
            % figures
        )
    return _(
        "%(value)s arrivals against a median of %(median)s over the previous %(n)d days "
        "(%(ratio)s times; flagged above %(threshold)s)."
    ) % {**figures, "ratio": f"{value / median:.1f}"}


def surge_alerts(day: dt.date) -> list[SituationAlert]:
    start = day - dt.timedelta(days=SURGE_WINDOW)
    series, sources = daily_sums("ARRIVALS", start, day)
    people = _participants_by_code()
    alerts = []
    for (country,), cells in sorted(series.items()):
        if day not in cells:
            continue
        history = np.array([cells[d].value for d in sorted(cells) if d < day], dtype=float)
        found = surge_threshold(history)
        value = cells[day].value
        if found is None or value <= found[2]:
            continue
        median, mad, threshold = found
        alerts.append(
            _raise_derived(
                sources,
                cells[day].revisions,
                people.get(country),
                kind=AlertKind.SURGE,
                key=f"surge:{country}:{day.isoformat()}",
                title=_("Surge of arrivals in %(country)s: %(value)s on %(day)s")
                % {"country": country, "value": f"{value:,}", "day": day.isoformat()},
                detail=_surge_detail(value, median, threshold),
                day=day,
                evidence={"value": value, "median": median, "mad": mad, "threshold": threshold},
                country=country,
            )
        )
    return alerts


def capacity_on(day: dt.date, site_ids: Iterable[int]) -> dict[int, int]:
    """{site: capacity valid on the day} (the latest SiteCapacity valid from that day or before)."""
    out: dict[int, int] = {}
    rows = SiteCapacity.objects.filter(site_id__in=list(site_ids), valid_from__lte=day).order_by(
        "site_id", "valid_from", "pk"
    )
    for site_id, capacity in rows.values_list("site_id", "capacity"):
        out[site_id] = capacity
    return out


def site_capacity_alerts(day: dt.date) -> list[SituationAlert]:
    series, sources = daily_sums("PRESENT", day, day, ("site_id",), where=Q(site_id__isnull=False))
    capacities = capacity_on(day, [key[0] for key in series])
    sites = ReceptionSite.objects.in_bulk([key[0] for key in series])
    people = _participants_by_code()
    alerts = []
    for (site_id,), cells in sorted(series.items()):
        capacity, present = capacities.get(site_id), cells[day].value
        if not capacity or present <= SITE_THRESHOLD * capacity:
            continue
        site = sites[site_id]
        share = present / capacity
        alerts.append(
            _raise_derived(
                sources,
                cells[day].revisions,
                people.get(site.country_id),
                kind=AlertKind.SITE_CAPACITY,
                key=f"site:{site.code}:{day.isoformat()}",
                title=_("%(site)s at %(share)s of its capacity on %(day)s")
                % {"site": site.name_latin, "share": f"{share:.0%}", "day": day.isoformat()},
                detail=_("%(present)s persons present for %(capacity)s places.")
                % {"present": f"{present:,}", "capacity": f"{capacity:,}"},
                day=day,
                evidence={"present": present, "capacity": capacity, "share": round(share, 4)},
                country=site.country_id,
                site=site,
            )
        )
    return alerts


def disagreement_alerts(day: dt.date) -> list[SituationAlert]:
    by = ("country_id", "counterpart_country_id")
    exits, exit_sources = daily_sums("EXITS", day, day, by)
    arrivals, arrival_sources = daily_sums("ARRIVALS", day, day, by)
    sources = exit_sources
    sources.revisions.update(arrival_sources.revisions)
    sources.audiences.update(arrival_sources.audiences)
    alerts = []
    for section in BorderSection.objects.order_by("code"):
        a, b = section.country_a_id, section.country_b_id
        for origin, destination in ((a, b), (b, a)):
            out_cell = exits.get((origin, destination), {}).get(day)
            in_cell = arrivals.get((destination, origin), {}).get(day)
            if out_cell is None or in_cell is None:
                continue
            gap = abs(out_cell.value - in_cell.value)
            tolerance = max(DISAGREE_MIN, DISAGREE_SHARE * max(out_cell.value, in_cell.value))
            if gap <= tolerance:
                continue
            alerts.append(
                _raise_derived(
                    sources,
                    out_cell.revisions | in_cell.revisions,
                    None,
                    kind=AlertKind.COUNT_DISAGREEMENT,
                    key=f"counts:{origin}>{destination}:{day.isoformat()}",
                    title=_("Counts disagree across %(section)s on %(day)s")
                    % {"section": section.code, "day": day.isoformat()},
                    detail=_(
                        "%(origin)s counted %(exits)s exits towards %(destination)s, %(destination)s "
                        "counted %(arrivals)s arrivals from %(origin)s: a difference of %(gap)s "
                        "(tolerance %(tolerance)s)."
                    )
                    % {
                        "origin": origin,
                        "destination": destination,
                        "exits": f"{out_cell.value:,}",
                        "arrivals": f"{in_cell.value:,}",
                        "gap": f"{gap:,}",
                        "tolerance": f"{tolerance:,.0f}",
                    },
                    day=day,
                    evidence={"exits": out_cell.value, "arrivals": in_cell.value, "tolerance": tolerance},
                    border_section=section,
                )
            )
    return alerts


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def _measure_visibility(measure: Measure) -> dict[str, Any]:
    if measure.classification == Classification.RESTRICTED:
        return {"classification": Classification.RESTRICTED, "audience": list(measure.audience.all())}
    return {"classification": Classification.REGIONAL}


def short_lead_time_alerts(day: dt.date) -> list[SituationAlert]:
    start, end = _day_bounds(day)
    target = advance_notice()
    alerts = []
    measures = Measure.objects.filter(first_notified_at__gte=start, first_notified_at__lt=end)
    for measure in measures.select_related("issuer").order_by("pk"):
        lead = measure.lead_time
        if lead is None or lead >= target:
            continue
        hours = lead.total_seconds() / 3600
        alerts.append(
            raise_alert(
                kind=AlertKind.SHORT_LEAD_TIME,
                key=f"lead:{measure.pk}",
                title=_("%(issuer)s notified a measure %(hours)s hours before it takes effect")
                % {"issuer": measure.issuer.code, "hours": f"{hours:.0f}"},
                detail=_("%(title)s. The target is %(days)d days of advance notice.")
                % {"title": measure.title, "days": target.days},
                day=day,
                evidence={"lead_time_hours": round(hours, 1), "target_days": target.days},
                measure_id=measure.pk,
                participant=measure.issuer,
                country=measure.issuer.code if measure.issuer.is_state else None,
                **_measure_visibility(measure),
            )
        )
    return alerts


def unacknowledged_alerts(day: dt.date, now: dt.datetime) -> list[SituationAlert]:
    start, end = _day_bounds(day)
    cutoff = min(end, now)
    silent = (
        Recipient.objects.filter(
            notification__requires_acknowledgement=True,
            acknowledge_by__gte=start,
            acknowledge_by__lt=cutoff,
        )
        # Acknowledged in time: not silent. A late acknowledgement still leaves the deadline missed,
        # so that a run for a past day finds what a run on that day found.
        .exclude(
            Exists(
                Acknowledgement.objects.filter(
                    recipient=OuterRef("pk"), acknowledged_at__lte=OuterRef("acknowledge_by")
                )
            )
        )
        .select_related("participant", "notification__measure__issuer")
        .order_by("pk")
    )
    alerts = []
    for recipient in silent:
        deadline = recipient.acknowledge_by
        if deadline is None:  # excluded by the query; tells the type checker
            continue
        measure = recipient.notification.measure
        visibility = _measure_visibility(measure)
        if "audience" in visibility:
            visibility["audience"] = [*visibility["audience"], measure.issuer]
        alerts.append(
            raise_alert(
                kind=AlertKind.UNACKNOWLEDGED,
                key=f"unack:{recipient.pk}",
                title=_("%(addressee)s has not acknowledged %(issuer)s's notification")
                % {"addressee": recipient.participant.code, "issuer": measure.issuer.code},
                detail=_("%(title)s. Due by %(deadline)s.")
                % {
                    "title": measure.title,
                    "deadline": deadline.strftime("%Y-%m-%d %H:%M UTC"),
                },
                day=deadline.date(),
                evidence={"recipient": recipient.pk, "acknowledge_by": deadline.isoformat()},
                measure_id=measure.pk,
                participant=recipient.participant,
                **visibility,
            )
        )
    return alerts


def report_missing_alerts(day: dt.date) -> list[SituationAlert]:
    reported = system_revisions().filter(report__periodicity="daily")
    recent = set(
        reported.filter(
            report__period_start__range=(
                day - dt.timedelta(days=REPORTING_WINDOW),
                day - dt.timedelta(days=1),
            )
        ).values_list("participant_id", flat=True)
    )
    on_day = set(reported.filter(report__period_start=day).values_list("participant_id", flat=True))
    alerts = []
    for participant in Participant.objects.filter(pk__in=recent - on_day).order_by("code"):
        alerts.append(
            raise_alert(
                kind=AlertKind.REPORT_MISSING,
                key=f"missing:{participant.code}:{day.isoformat()}",
                title=_("No daily report from %(participant)s for %(day)s")
                % {"participant": participant.code, "day": day.isoformat()},
                detail=_("%(participant)s reported daily in the previous %(n)d days.")
                % {"participant": participant.name, "n": REPORTING_WINDOW},
                day=day,
                evidence={"reporting_window_days": REPORTING_WINDOW},
                participant=participant,
                country=participant.code if participant.is_state else None,
            )
        )
    return alerts


RULES: dict[str, Callable[..., list[SituationAlert]]] = {
    AlertKind.SURGE: surge_alerts,
    AlertKind.SITE_CAPACITY: site_capacity_alerts,
    AlertKind.COUNT_DISAGREEMENT: disagreement_alerts,
    AlertKind.SHORT_LEAD_TIME: short_lead_time_alerts,
    AlertKind.REPORT_MISSING: report_missing_alerts,
}


def run_alert_rules(day: dt.date, *, now: dt.datetime | None = None) -> dict[str, list[SituationAlert]]:
    """Run every rule for ``day``: {kind: the alerts of that day's findings (new or raised before)}.

    The worker calls it once a day for the day before (a day's reports are complete by then).
    """
    now = now or timezone.now()
    found = {kind: rule(day) for kind, rule in RULES.items()}
    found[AlertKind.UNACKNOWLEDGED] = unacknowledged_alerts(day, now)
    return found
