# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""Reconciliation through the API, the command and the alerts: access, restricted figures, evidence."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from seemix.situation.models import AlertKind, SituationAlert
from seemix.situation.services.reconciliation import reconcile_route
from tests.conftest import api  # noqa: F401
from tests.measures.conftest import caller, user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

START = dt.date(2015, 11, 2)
N = 21
END = START + dt.timedelta(days=N - 1)
BAD_DAY = 10  # Serbia counts this day twice
URL = "/api/v1/analysis/reconciliation"
QUERY = {"date_from": START.isoformat(), "date_to": END.isoformat()}


def _route_flow() -> np.ndarray:
    rng = np.random.default_rng(11)
    return np.round(1000 * (1 + 0.02 * rng.standard_normal(N + 2)))


def _country(world, code: str, values, *, classification: str = "regional", audience=()):
    submit(
        world[code],
        [("ARRIVALS", d, code, int(v), "") for d, v in zip(days(START, N), values, strict=True)],
        classification=classification,
        audience=audience,
    )


@pytest.fixture
def route(world):
    """North Macedonia, Croatia and Slovenia count the same people (Croatia a day after Serbia)."""
    flow = _route_flow()
    _country(world, "MK", flow[1 : N + 1])
    _country(world, "HR", flow[:N])
    _country(world, "SI", flow[:N] * 1.01)
    return flow


def _serbia(world, flow, **visibility):
    values = flow[1 : N + 1].copy()
    values[BAD_DAY] *= 2
    _country(world, "RS", values, **visibility)
    return values


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 401),
        ("signed in, no participant", "nobody", 403),
        ("member of another participant", "AT observer", 200),
        ("member of a reporting participant", "HR reporter", 200),
    ],
)
def test_access(_case, who, status, caller, route):
    response = caller(who).get(URL, QUERY)
    assert response.status_code == status, response.content
    if status == 200:
        body = response.json()
        assert {r["reporter"] for r in body["reports"]} == {"MK", "HR", "SI"}
        assert len(body["reports"]) == 3 * N


def test_a_double_count_is_suspected_with_its_evidence(caller, world, route):
    # given
    reported = _serbia(world, route)
    # when
    body = caller("AT observer").get(URL, QUERY).json()
    # then
    bad_day = (START + dt.timedelta(days=BAD_DAY)).isoformat()
    assert [(s["reporter"], s["kind"], s["place"], s["date"]) for s in body["suspects"]] == [
        ("RS", "entries", "MK-RS", bad_day)
    ]
    suspect = body["suspects"][0]
    assert suspect["reported"] == reported[BAD_DAY]
    assert suspect["evidence"].startswith(
        f"Serbia's entries from North Macedonia on {bad_day} ({reported[BAD_DAY]:,.0f}) exceed what North "
        "Macedonia's balance allows ("
    )
    assert "beyond what reporting noise explains" in suspect["evidence"]
    # the reconciled figure is what the neighbours imply, not the double count
    figure = next(r for r in body["reports"] if r["reporter"] == "RS" and r["date"] == bad_day)
    assert figure["suspected"] is True
    assert figure["reconciled"] == pytest.approx(route[BAD_DAY + 1], rel=0.05)
    assert figure["adjustment"] == pytest.approx(figure["reconciled"] - reported[BAD_DAY], abs=0.2)
    assert all(min(series["present"]) >= 0 for series in body["present"])
    assert all(min(series["flow"]) >= 0 for series in body["flows"])


def test_restricted_figures_neither_appear_in_nor_influence_anothers_results(caller, world, route):
    # given: what Austria reads before Serbia reports
    before = caller("AT observer").get(URL, QUERY).json()
    # when: Serbia reports, RESTRICTED to itself
    _serbia(world, route, classification="restricted")
    after = caller("AT observer").get(URL, QUERY).json()
    own = caller("RS reporter").get(URL, QUERY).json()
    # then: nothing changed for Austria; Serbia's own reconciliation uses them
    assert after == before
    assert "RS" not in {r["reporter"] for r in after["reports"]}
    assert "RS" in {r["reporter"] for r in own["reports"]}
    assert [s["reporter"] for s in own["suspects"]] == ["RS"]


def test_the_period_is_checked(caller, route):
    response = caller("AT observer").get(URL, {"date_from": END.isoformat(), "date_to": START.isoformat()})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "date_to"
    response = caller("AT observer").get(URL, {"date_from": "2015-01-01", "date_to": "2016-03-01"})
    assert response.status_code == 422, response.content
    assert "At most 366 days" in response.json()["errors"][0]["message"]


def test_command_lists_the_suspect_and_raises_one_alert(world, route):
    _serbia(world, route)
    out = io.StringIO()
    for _run in range(2):  # a second run raises nothing new
        call_command("reconcile", "--from", START.isoformat(), "--to", END.isoformat(), stdout=out)
    text = out.getvalue()
    bad_day = (START + dt.timedelta(days=BAD_DAY)).isoformat()
    assert f"Reconciled {4 * N} figures from {START} to {END}" in text
    assert f"- Serbia's entries from North Macedonia on {bad_day}" in text
    alert = SituationAlert.objects.get()
    assert alert.kind == AlertKind.RECONCILIATION
    assert alert.key == f"reconciliation:RS:entries:MK-RS:{bad_day}"
    assert alert.day.isoformat() == bad_day
    assert alert.participant == world["RS"]
    assert alert.classification == "regional"
    assert alert.detail.startswith(f"Serbia's entries from North Macedonia on {bad_day}")


def test_an_alert_from_restricted_figures_is_restricted_to_their_readers(world, route):
    _serbia(world, route, classification="restricted", audience=[world["HR"]])
    reconcile_route(None, START, END, raise_alerts=True)
    alert = SituationAlert.objects.get()
    assert alert.classification == "restricted"
    assert alert.participant == world["RS"]
    assert list(alert.audience.all()) == [world["HR"]]


def test_command_as_a_user_reads_only_what_they_may(world, route, user_of):
    _serbia(world, route, classification="restricted")
    observer = user_of("AT", "observer")
    out = io.StringIO()
    call_command(
        "reconcile",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--user",
        observer.username,
        stdout=out,
    )
    assert f"Reconciled {3 * N} figures" in out.getvalue()
    assert "Suspected gross errors: 0." in out.getvalue()
    with pytest.raises(CommandError, match="No active user 'nobody-at-all'"):
        call_command(
            "reconcile", "--from", START.isoformat(), "--to", END.isoformat(), "--user", "nobody-at-all"
        )


def test_reconciliation_on_the_demo_data(db):
    from seemix.demo.flows import load_demo_flows
    from seemix.demo.reference import load_reference

    load_reference()
    load_demo_flows()
    outcome = reconcile_route(None, dt.date(2015, 10, 1), dt.date(2015, 10, 31), raise_alerts=True)
    result = outcome.result
    # every figure of October has its place on the route (GR twice: islands and mainland)
    assert outcome.unused == 0
    assert set(outcome.reports.reporter[~outcome.reports.assumed]) == {
        "GR",
        "MK",
        "RS",
        "HR",
        "HU",
        "SI",
        "AT",
    }
    assert result.present.min() >= 0
    assert result.flow.min() >= 0
    # Slovenia's N/A of 3 October is no figure at all
    slovenia = (outcome.reports.reporter == "SI") & (outcome.reports.day == 2)
    assert not slovenia.any()
    assert len(outcome.alerts) == len(result.suspects) + len(result.sustained)
    assert all(a.kind == AlertKind.RECONCILIATION for a in outcome.alerts)
    # early October: Serbia counted fewer than Croatia, Hungary and Austria, each day within the
    # noise, the week beyond it
    serbia = SituationAlert.objects.get(key="reconciliation:RS:entries:MK-RS:2015-10-02..2015-10-07")
    assert serbia.detail.startswith(
        "Serbia's entries from North Macedonia from 2015-10-02 to 2015-10-07 (6 figures) were on average "
    )
    assert " below what North Macedonia's balance implies" in serbia.detail
