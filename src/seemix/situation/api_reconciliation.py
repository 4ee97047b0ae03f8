"""GET /api/v1/analysis/reconciliation: the route's counts reconciled from the figures the caller reads."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest
from ninja import Router

from seemix.analysis.reconciliation import ReportKind
from seemix.analysis.route_data import NODES, ROUTE_BORDERS
from seemix.situation.schemas_reconciliation import ReconciliationOut
from seemix.situation.services import reconciliation as service

router = Router()


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def serialise(outcome: service.RouteReconciliation) -> dict[str, Any]:
    """The outcome as the schema's fields (the command prints from the same)."""
    result, reports = outcome.result, outcome.reports
    answer: dict[str, Any] = {
        "date_from": outcome.date_from,
        "date_to": outcome.date_to,
        "method": service.METHOD,
        "reliability": {},
        "global_before": None,
        "global_after": None,
        "unused": outcome.unused,
        "flows": [],
        "present": [],
        "reports": [],
        "suspects": [],
        "sustained": [],
    }
    if result is None:
        return answer
    network = result.network

    def on(d: int) -> dt.date:
        return outcome.date_from + dt.timedelta(days=int(d))

    answer["reliability"] = {k: round(v, 4) for k, v in result.reliability.items()}
    answer["global_before"] = vars(result.global_before)
    answer["global_after"] = vars(result.global_after)
    for b, border in enumerate(ROUTE_BORDERS):
        days = range(-network.max_lag, network.days)
        answer["flows"].append(
            {
                "border": border.name,
                "origin": border.origin,
                "destination": border.destination,
                "lag": border.lag,
                "days": [on(d) for d in days],
                "flow": [round(float(v), 1) for v in result.flow[b]],
                "se": [round(float(v), 1) for v in result.flow_se[b]],
            }
        )
    for k, node in enumerate(NODES):
        answer["present"].append(
            {
                "node": node,
                "days": [on(d) for d in range(network.days)],
                "present": [round(float(v), 1) for v in result.present[k, 1:]],
                "se": [round(float(v), 1) for v in result.present_se[k, 1:]],
            }
        )
    suspected = result.suspected
    assumed = reports.assumed
    for i in range(len(reports)):
        if assumed is not None and assumed[i]:
            continue
        answer["reports"].append(
            {
                "reporter": str(reports.reporter[i]),
                "kind": service.KIND_NAMES[ReportKind(int(reports.kind[i]))],
                "place": outcome.places[i],
                "date": on(reports.day[i]),
                "reported": _number(reports.value[i]),
                "reconciled": round(float(result.fitted[i]), 1),
                "se": round(float(result.fitted_se[i]), 1),
                "adjustment": _number(round(float(result.adjustment[i]), 1)),
                "z": round(float(result.z[i]), 2),
                "suspected": bool(suspected[i]),
            }
        )
    for suspect in result.suspects:
        i = suspect.index
        answer["suspects"].append(
            {
                "reporter": str(reports.reporter[i]),
                "kind": service.KIND_NAMES[ReportKind(int(reports.kind[i]))],
                "place": outcome.places[i],
                "date": on(reports.day[i]),
                "reported": suspect.value,
                "reference": suspect.reference,
                "reference_label": suspect.reference_label,
                "z": round(suspect.z, 2),
                "threshold": round(suspect.threshold, 2),
                "evidence": suspect.evidence,
            }
        )
    for window in result.sustained:
        first = window.indices[0]
        answer["sustained"].append(
            {
                "reporter": str(reports.reporter[first]),
                "kind": service.KIND_NAMES[ReportKind(int(reports.kind[first]))],
                "place": outcome.places[first],
                "date_from": on(min(reports.day[i] for i in window.indices)),
                "date_to": on(max(reports.day[i] for i in window.indices)),
                "figures": len(window.indices),
                "z": round(window.z, 2),
                "threshold": round(window.threshold, 2),
                "evidence": window.evidence,
            }
        )
    return answer


@router.get(
    "/analysis/reconciliation",
    response=ReconciliationOut,
    tags=["analysis"],
    summary="The route's counts reconciled, with suspected gross errors",
)
def reconciliation(request: HttpRequest, date_from: dt.date, date_to: dt.date) -> Any:
    """Reconciles the daily ARRIVALS, EXITS and PRESENT figures you may read along the 2015-16 route
    (countries as nodes, lags of 0-2 days per border), ``date_from``..``date_to`` inclusive (at most
    366 days): flows and stocks that balance and are not negative, with standard errors; per figure
    the reconciled value and the adjustment; the figures suspected of a gross error, and the weeks
    in which one series sits on one side of the others, with the evidence. Figures you may not
    read take no part."""
    outcome = service.reconcile_route(request.auth, date_from, date_to)  # type: ignore[attr-defined]
    return serialise(outcome)
