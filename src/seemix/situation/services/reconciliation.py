"""Reconcile the daily counts along the route for a reader, and raise an alert per suspected report.

What is read: the current daily figures the acting principal may read (``timeline_series.daily_sums``
through ``flows.queries.current_revisions``), so a RESTRICTED report the reader may not see neither
appears in nor influences the result. How they land on the route (the 2015-16 Western Balkans route
of ``seemix.analysis.route_data``, countries as nodes):

- ARRIVALS of a country from a counterpart with a border of the route between them: the entries
  across that border (Greece's arrivals from Turkey: across the sea to the islands);
- ARRIVALS of a country as a whole: the entries across the border the route reaches it by (Greece:
  from the islands to the mainland; Austria: across both of its borders of the route);
- EXITS of a country towards a counterpart across a border of the route: the exits across it;
- PRESENT of a country (its sites summed): the people present at the end of the day.

Figures the route has no place for are counted in ``unused`` and left out. Reliabilities are
learnt from the figures, robustly (``analysis.reconciliation.learn_reliability``: reports far off
are left out of the learning, not of the tests). The non-negative estimate is the QP of
``analysis.reconciliation.solver.solve_nonnegative``: a dual Newton method when every figure counts
one flow or stock, Clarabel otherwise, as whenever Austria's arrivals as a whole (the sum over both
of its borders of the route) are among the figures. The alert of a suspected
report carries the classification of every figure read (they all shape the estimate its evidence
quotes), so a RESTRICTED figure makes every alert of that run readable only by its readers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from seemix.analysis.reconciliation import Reconciliation, ReportKind, Reports, reconcile
from seemix.analysis.route_data import ASSUMPTION, NODES, ROUTE_BORDERS, route_network
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import Participant
from seemix.flows.queries import require_reader
from seemix.situation.models import AlertKind, SituationAlert
from seemix.situation.services.alerts import raise_alert
from seemix.situation.timeline_series import Cell, Sources, daily_sums

MAX_DAYS = 366
FALSE_ALARMS = 0.05  # the measurement test at a family-wise 5 %
METHOD = (
    "seemix.analysis.reconciliation: weighted least squares under the route's balance (lags of 0-2 days), "
    "non-negative (QP: dual Newton method, or Clarabel where a figure spans two borders); reliabilities "
    "learnt robustly from the figures; global test and measurement test "
    "with serial elimination, and a weekly test of sustained discrepancies; each country assumed to hold "
    "about a day of its arrivals where it reports no one present"
)
KIND_NAMES = {
    ReportKind.EXIT: "exits",
    ReportKind.ENTRY: "entries",
    ReportKind.ENTRIES: "entries",
    ReportKind.EXITS: "exits",
    ReportKind.PRESENT: "present",
}


@dataclass
class RouteReconciliation:
    date_from: dt.date
    date_to: dt.date
    result: Reconciliation | None  # None: no figure to reconcile
    reports: Reports
    places: list[str]  # per report: the border ("RS-HR") or the node it counts
    revisions: list[set[int]]  # per report: the revisions it was summed from
    sources: Sources
    unused: int = 0
    alerts: list[SituationAlert] = field(default_factory=list)


def _border_index() -> dict[tuple[str, str], int]:
    return {(b.origin, b.destination): i for i, b in enumerate(ROUTE_BORDERS)}


def _arrivals_target(country: str, counterpart: str | None) -> tuple[ReportKind, int] | None:
    borders = _border_index()
    if counterpart:
        # Greece's arrivals from Turkey land on the islands.
        destination = "GR-ISL" if (country, counterpart) == ("GR", "TR") else country
        if (counterpart, destination) in borders:
            return ReportKind.ENTRY, borders[(counterpart, destination)]
        return None
    if country not in NODES:
        inbound = [i for i, b in enumerate(ROUTE_BORDERS) if b.destination == country]
        return (ReportKind.ENTRY, inbound[0]) if len(inbound) == 1 else None
    inbound = [i for i, b in enumerate(ROUTE_BORDERS) if b.destination == country and b.origin in NODES]
    if len(inbound) == 1:
        return ReportKind.ENTRY, inbound[0]
    return (ReportKind.ENTRIES, NODES.index(country)) if inbound else None


def _validate_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise InvalidInput(FieldError("date_to", _("The last day comes before the first.")))
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise InvalidInput(
            FieldError("date_to", _("At most %(days)s days are reconciled at once.") % {"days": MAX_DAYS})
        )


def _collect(
    principal: Principal | None, date_from: dt.date, date_to: dt.date
) -> tuple[list[tuple[ReportKind, int, int, float, str, str, set[int]]], Sources, int]:
    by = ("country_id", "counterpart_country_id")
    rows, unused = [], 0
    sources = Sources()
    borders = _border_index()
    for indicator in ("ARRIVALS", "EXITS", "PRESENT"):
        sums, found = daily_sums(indicator, date_from, date_to, by, principal=principal)
        sources.revisions.update(found.revisions)
        sources.audiences.update(found.audiences)
        for (country, counterpart), by_day in sums.items():
            target: tuple[ReportKind, int] | None = None
            if indicator == "ARRIVALS":
                target = _arrivals_target(country, counterpart)
            elif indicator == "EXITS" and (country, counterpart) in borders:
                target = ReportKind.EXIT, borders[(country, counterpart)]
            elif indicator == "PRESENT" and not counterpart and country in NODES:
                target = ReportKind.PRESENT, NODES.index(country)
            if target is None:
                unused += len(by_day)
                continue
            kind, index = target
            place = ROUTE_BORDERS[index].name if kind in (ReportKind.ENTRY, ReportKind.EXIT) else NODES[index]
            for day, cell in by_day.items():
                rows.append(_row(kind, index, (day - date_from).days, cell, country, place))
    return rows, sources, unused


def _row(kind: ReportKind, index: int, day: int, cell: Cell, country: str, place: str):
    return kind, index, day, float(cell.value), country, place, set(cell.revisions)


def _transit_assumptions(rows, days: int) -> list:
    """A country that reports no one present is assumed to hold about a day of its arrivals."""
    counted = {index for kind, index, *_rest in rows if kind == ReportKind.PRESENT}
    extra = []
    for node_index, node in enumerate(NODES):
        if node_index in counted:
            continue
        arrivals = np.full(days, np.nan)
        for kind, index, day, value, *_rest in rows:
            into = ROUTE_BORDERS[index].destination if kind == ReportKind.ENTRY else None
            if (kind == ReportKind.ENTRY and into == node) or (
                kind == ReportKind.ENTRIES and index == node_index
            ):
                arrivals[day] = value if np.isnan(arrivals[day]) else arrivals[day] + value
        if np.isnan(arrivals).all():
            continue
        level = _rolling_median(arrivals)
        for day in range(days):
            extra.append((ReportKind.PRESENT, node_index, day, level[day], ASSUMPTION, node, set()))
    return extra


def _rolling_median(values: np.ndarray, half: int = 3) -> np.ndarray:
    out = np.empty_like(values)
    for i in range(len(values)):
        window = values[max(0, i - half) : i + half + 1]
        window = window[~np.isnan(window)]
        out[i] = np.median(window) if window.size else np.nan
    known = np.flatnonzero(~np.isnan(out))
    return np.interp(np.arange(len(values)), known, out[known])


def reconcile_route(
    principal: Principal | None,
    date_from: dt.date,
    date_to: dt.date,
    *,
    raise_alerts: bool = False,
    false_alarms: float = FALSE_ALARMS,
) -> RouteReconciliation:
    """Reconcile the figures ``principal`` may read (None: the system, every current figure)."""
    if principal is not None:
        require_reader(principal)
    _validate_period(date_from, date_to)
    days = (date_to - date_from).days + 1
    rows, sources, unused = _collect(principal, date_from, date_to)
    rows += _transit_assumptions(rows, days) if rows else []
    rows.sort(key=lambda r: (r[4] == ASSUMPTION, int(r[0]), r[1], r[2], r[4]))
    kinds = np.array([int(r[0]) for r in rows], dtype=int)
    assumed = np.array([r[4] == ASSUMPTION for r in rows], dtype=bool)
    reports = Reports(
        kinds,
        np.array([r[1] for r in rows], dtype=int),
        np.array([r[2] for r in rows], dtype=int),
        np.array([r[3] for r in rows], dtype=float),
        np.array([r[4] for r in rows], dtype=object),
        scale=np.where(assumed, np.maximum(np.array([r[3] for r in rows], dtype=float), 1.0), np.nan),
        assumed=assumed,
    )
    outcome = RouteReconciliation(
        date_from, date_to, None, reports, [r[5] for r in rows], [r[6] for r in rows], sources, unused
    )
    if not (~assumed).any():
        return outcome
    outcome.result = reconcile(
        route_network(days), reports, learn=True, start=date_from, false_alarms=false_alarms
    )
    if raise_alerts:
        outcome.alerts = _raise_alerts(outcome)
    return outcome


def _raise_alerts(outcome: RouteReconciliation) -> list[SituationAlert]:
    every = set().union(*outcome.revisions) if outcome.revisions else set()
    classification, owner, audience = outcome.sources.visibility(every)
    participants = {p.pk: p for p in Participant.objects.filter(pk__in={owner, *audience} - {None})}
    by_code = {p.code: p for p in Participant.objects.filter(code__in=set(outcome.reports.reporter))}
    alerts = []
    reports = outcome.reports
    for suspect in outcome.result.suspects:
        i = suspect.index
        day = outcome.date_from + dt.timedelta(days=int(reports.day[i]))
        reporter = str(reports.reporter[i])
        kind = KIND_NAMES[ReportKind(int(reports.kind[i]))]
        place = outcome.places[i]
        restricted = classification == Classification.RESTRICTED
        alerts.append(
            raise_alert(
                kind=AlertKind.RECONCILIATION,
                key=f"reconciliation:{reporter}:{kind}:{place}:{day.isoformat()}",
                title=_("Suspected gross error: %(reporter)s's %(kind)s at %(place)s on %(day)s")
                % {"reporter": reporter, "kind": kind, "place": place, "day": day.isoformat()},
                detail=suspect.evidence,
                day=day,
                evidence={
                    "reported": suspect.value,
                    "reference": suspect.reference,
                    "reference_label": suspect.reference_label,
                    "z": round(suspect.z, 2),
                    "threshold": round(suspect.threshold, 2),
                    "place": place,
                    "date_from": outcome.date_from.isoformat(),
                    "date_to": outcome.date_to.isoformat(),
                },
                country=reporter,
                participant=participants.get(owner) if restricted else by_code.get(reporter),
                classification=classification,
                audience=[participants[pk] for pk in audience if pk in participants],
            )
        )
    for window in outcome.result.sustained:
        first = window.indices[0]
        days = [outcome.date_from + dt.timedelta(days=int(reports.day[i])) for i in window.indices]
        reporter = str(reports.reporter[first])
        kind = KIND_NAMES[ReportKind(int(reports.kind[first]))]
        place = outcome.places[first]
        restricted = classification == Classification.RESTRICTED
        alerts.append(
            raise_alert(
                kind=AlertKind.RECONCILIATION,
                key=f"reconciliation:{reporter}:{kind}:{place}:{min(days).isoformat()}..{max(days).isoformat()}",
                title=_("Sustained discrepancy: %(reporter)s's %(kind)s at %(place)s, %(first)s to %(last)s")
                % {
                    "reporter": reporter,
                    "kind": kind,
                    "place": place,
                    "first": min(days).isoformat(),
                    "last": max(days).isoformat(),
                },
                detail=window.evidence,
                day=max(days),
                evidence={
                    "z": round(window.z, 2),
                    "threshold": round(window.threshold, 2),
                    "share": None if not np.isfinite(window.share) else round(window.share, 4),
                    "figures": len(window.indices),
                    "place": place,
                },
                country=reporter,
                participant=participants.get(owner) if restricted else by_code.get(reporter),
                classification=classification,
                audience=[participants[pk] for pk in audience if pk in participants],
            )
        )
    return alerts
