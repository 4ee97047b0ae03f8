"""POST /api/v1/analysis/scenarios: what a measure (or a scenario given as JSON) would do along the
route, beside the same run without it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from seemix.analysis.simulation import ScenarioError
from seemix.analysis.simulation.jsonio import result_rows, scenario_from_json
from seemix.core.errors import FieldError, InvalidInput
from seemix.measures import queries as measure_queries
from seemix.situation.schemas_scenarios import ScenarioIn, ScenarioOut
from seemix.situation.services import scenarios as service

router = Router()


def scenario_answer(outcome: service.ScenarioRun) -> dict[str, Any]:
    scenario = outcome.scenario
    with_rows, without_rows = result_rows(outcome.result), result_rows(outcome.baseline)
    return {
        "name": scenario.name,
        "measure_id": outcome.measure.pk if outcome.measure else None,
        "measure_start": outcome.start,
        "first_day": scenario.start_date,
        "days": scenario.days,
        "summary": outcome.summary,
        "places": outcome.places,
        "assumptions": outcome.assumptions,
        "not_modelled": outcome.not_modelled,
        "sources": list(outcome.sources),
        "nodes": [
            {
                "name": n.name,
                "label": n.label or n.name,
                "kind": n.kind,
                "country": n.country,
                "latitude": n.latitude,
                "longitude": n.longitude,
            }
            for n in scenario.nodes
        ],
        "with_measures": {"nodes": with_rows["nodes"], "edges": with_rows["edges"]},
        "without_measures": {"nodes": without_rows["nodes"], "edges": without_rows["edges"]},
    }


@router.post(
    "/analysis/scenarios",
    response=ScenarioOut,
    tags=["analysis"],
    summary="Simulate a measure, or a scenario given as JSON, with and without its measures",
)
def simulate_scenario(request: HttpRequest, body: ScenarioIn) -> Any:
    """Give ``measure_id`` (a measure you may read: the scenario is built from its scope and dates,
    the gazetteer's route and the arrivals you may read) or ``scenario`` (JSON), not both. The answer
    holds, per day and place, arrivals, departures, persons present and stranded and the shortfall
    against capacity, per day and leg the flow, both with and without the measures."""
    principal = request.auth  # type: ignore[attr-defined]
    measure_queries.require_reader(principal)
    if (body.measure_id is None) == (body.scenario is None):
        raise InvalidInput([FieldError("measure_id", _("Give either measure_id or scenario."))])
    if body.measure_id is not None:
        outcome = service.simulate_measure(principal, body.measure_id, horizon=body.horizon)
    else:
        try:
            outcome = service.run(scenario_from_json(body.scenario))
        except ScenarioError as error:
            raise InvalidInput([FieldError("scenario", str(error))]) from None
    return scenario_answer(outcome)
