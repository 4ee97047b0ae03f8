# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""Simulating a measure: the API, the page, the command, and the demo's closure of March 2016."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from datetime import UTC, datetime

import altair as alt
import pytest
from django.core.management import call_command
from django.test import Client

from seemix.gazetteer.models import ReceptionSite
from seemix.gazetteer.services import record_site_capacity
from seemix.measures import services as measure_services
from seemix.situation.services import scenarios
from tests.conftest import api  # noqa: F401
from tests.measures.conftest import (  # noqa: F401
    MODEL_BACKEND,
    caller,
    closure_data,
    restricted_closure,
    user_of,
    world,
)
from tests.situation.alerts_helpers import days, submit

URL = "/api/v1/analysis/scenarios"
CLOSED = datetime(2016, 3, 9, 11, 0, tzinfo=UTC)
ISLANDS = 2000  # persons a day reaching the Greek islands in the test's figures


@pytest.fixture
def arrivals(world):
    """Greece's ARRIVALS across GR-TR (the islands), 2000 a day for the four weeks before 9 Mar 2016."""
    start = dt.date(2016, 2, 10)
    submit(world["GR"], [("ARRIVALS", d, "GR-TR", ISLANDS, "TR") for d in days(start, 28)])


@pytest.fixture
def route_closure(world):
    """North Macedonia closes its border with Greece on 9 Mar 2016 (REGIONAL, notified)."""
    data = closure_data(
        title="North Macedonia: transit closed",
        planned_start=CLOSED,
        border_sections=("GR-MK",),
        crossing_points=(),
        original_language="",
        original_title="",
    )
    measure = measure_services.create_measure(actor=None, issuer=world["MK"], data=data)
    measure_services.notify_measure(measure, actor=None, now=CLOSED - dt.timedelta(days=2), deliver=False)
    return measure


def test_closure_strands_people_in_greece_and_the_baseline_does_not(world, arrivals, route_closure, user_of):
    # given a reader in Serbia
    from seemix.directory.principals import principal_for_user

    principal = principal_for_user(user_of("RS", "observer"))
    # when the closure is simulated for 28 days
    outcome = scenarios.simulate_measure(principal, route_closure.pk, horizon=28)
    # then the run starts 14 days before and the whole closed-off flow waits in Greece
    assert outcome.scenario.start_date == dt.date(2016, 2, 24)
    assert outcome.scenario.days == 42
    greece = next(p for p in outcome.places if p.code == "GR")
    assert outcome.places[0].code == "GR"
    # 28 days of 2000 a day from the start (the mean of the figures carried forward), minus the
    # two days the islands to Idomeni take for those who arrived last, plus those on their way on day 0
    assert greece.stranded == pytest.approx(28 * ISLANDS, rel=0.02)
    assert greece.baseline_stranded == 0.0
    assert greece.capacity is None
    assert greece.pledged == 50_000
    assert outcome.summary.startswith(f"By 5 Apr 2016, about {round(greece.stranded, -2):,.0f} people")
    above = round(greece.present - 50_000, -2)
    assert (
        "No capacity is recorded for its sites; against the 50,000 places pledged there (Leaders' Meeting, "
        f"25 October 2015), {above:,.0f} would be above them." in outcome.summary
    )
    # Germany ends the modelled route: its count is of those who reached it, said as such
    germany = next(p for p in outcome.places if p.code == "DE")
    assert germany.end_of_route
    assert not greece.end_of_route
    assert outcome.summary.endswith(
        f"About {round(germany.present, -2):,.0f} would have reached the end of the modelled route (Germany) "
        f"since 24 Feb 2016, against {round(germany.baseline_present, -2):,.0f} without the measure."
    )
    assert germany.baseline_present > germany.present > 0
    # Idomeni is the place where they wait
    idomeni = [n.name for n in outcome.scenario.nodes].index("crossing_point:GR-IDOMENI")
    assert outcome.result.stranded[-1, idomeni] == pytest.approx(greece.stranded)


def test_summary_against_the_sites_capacity(world, arrivals, route_closure, user_of):
    from seemix.directory.principals import principal_for_user

    # given 10,000 places recorded for Moria before the closure
    record_site_capacity(
        ReceptionSite.objects.get(code="GR-MORIA"),
        actor=None,
        capacity=10_000,
        valid_from=dt.date(2016, 1, 1),
        source="test",
    )
    principal = principal_for_user(user_of("RS", "observer"))
    outcome = scenarios.simulate_measure(principal, route_closure.pk, horizon=28)
    greece = next(p for p in outcome.places if p.code == "GR")
    assert greece.capacity == 10_000
    assert greece.above_capacity == pytest.approx(greece.present - 10_000)
    assert (
        f"{round(greece.above_capacity, -2):,.0f} above the sites' capacity (10,000 places)"
        in outcome.summary
    )


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 401),
        ("signed in without membership", "nobody", 403),
        ("observer of another participant", "AL observer", 200),
        ("coordinator of the issuer", "MK coordinator", 200),
    ],
)
def test_api_access_to_a_regional_measure(_case, who, status, caller, arrivals, route_closure):
    response = caller(who).post(URL, {"measure_id": route_closure.pk, "horizon": 10})
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["measure_id"] == route_closure.pk
        assert body["measure_start"] == "2016-03-09"
        assert body["days"] == 24
        assert body["places"][0]["code"] == "GR"
        assert len(body["with_measures"]["nodes"]) == 24 * len(body["nodes"])


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("participant not entitled to see it", "AL coordinator", 404),
        ("addressee", "RS observer", 200),
        ("issuer's coordinator", "HU coordinator", 200),
    ],
)
def test_api_access_to_a_restricted_measure(_case, who, status, caller, arrivals, restricted_closure):
    measure_services.notify_measure(restricted_closure, actor=None)
    response = caller(who).post(URL, {"measure_id": restricted_closure.pk, "horizon": 5})
    assert response.status_code == status, response.content


def test_api_missing_measure_is_404_and_both_or_neither_is_422(caller, world):
    assert caller("RS observer").post(URL, {"measure_id": 999999}).status_code == 404
    assert caller("RS observer").post(URL, {}).status_code == 422
    response = caller("RS observer").post(URL, {"measure_id": 1, "scenario": {}})
    assert response.status_code == 422


def test_api_runs_a_json_scenario_and_names_what_is_wrong(caller, world):
    scenario = {
        "days": 3,
        "nodes": [{"name": "A", "kind": "entry"}, {"name": "B"}, {"name": "C", "kind": "sink"}],
        "edges": [{"source": "A", "target": "B", "travel_days": 0}, {"source": "B", "target": "C"}],
        "inflow": {"A": [100]},
        "measures": [{"kind": "closure", "start_day": 0, "end_day": 2, "edges": [["B", "C"]]}],
    }
    response = caller("RS observer").post(URL, {"scenario": scenario})
    assert response.status_code == 200
    stranded = [r["stranded"] for r in response.json()["with_measures"]["nodes"] if r["node"] == "B"]
    assert stranded == [100.0, 100.0, 0.0]
    scenario["edges"][1]["target"] = "Z"
    response = caller("RS observer").post(URL, {"scenario": scenario})
    assert response.status_code == 422
    assert "edges row 1: target: unknown node 'Z'" in json.dumps(response.json())


def _page(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_page_access(world, arrivals, route_closure, restricted_closure, user_of):
    measure_services.notify_measure(restricted_closure, actor=None)
    page = f"/situation/measures/{route_closure.pk}/simulate/"
    restricted_page = f"/situation/measures/{restricted_closure.pk}/simulate/"
    response = _page(None).get(page)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
    assert _page(user_of(None, None)).get(page).status_code == 403
    assert _page(user_of("AL", "coordinator")).get(restricted_page).status_code == 404
    assert _page(user_of("RS", "observer")).get(restricted_page).status_code == 200
    response = _page(user_of("MK", "coordinator")).get(page + "?horizon=28")
    assert response.status_code == 200
    text = response.content.decode()
    assert "By 5 Apr 2016, about" in text
    specs = {}
    for name, width in (("scenario-map-with-spec", 52), ("scenario-map-without-spec", 52),
                        ("scenario-timeline-spec", 72)):  # fmt: skip
        found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', text, re.S)
        spec = specs[name] = json.loads(found[1])
        datasets = spec.pop("datasets", None)
        alt.TopLevelSpec.validate(spec)  # raises if the Vega-Lite schema rejects it
        spec["datasets"] = datasets
        title = spec["title"]["text"]
        assert (title if isinstance(title, str) else title[-1]).endswith("(persons)")
        # subtitle lines short enough for the narrowest layout (Vega-Lite cuts, never wraps, a title)
        subtitle = spec["title"]["subtitle"]
        assert " ".join(subtitle).endswith(
            "Source: seemix simulation: gazetteer route, ARRIVALS reports you may read, the measure."
        )
        assert max(len(line) for line in subtitle) <= width
    # the two maps: same circles' scale, Idomeni drawn with the measure only, Germany (the end of
    # the route, a cumulative count) not drawn but listed in words
    with_map, without_map = specs["scenario-map-with-spec"], specs["scenario-map-without-spec"]
    assert with_map["title"]["text"] == "With the measure (persons)"
    assert without_map["title"]["text"] == "Without the measure (persons)"
    places = with_map["datasets"]["places"]
    assert places == without_map["datasets"]["places"]
    assert [(r["run"], r["place"]) for r in places if r["present"] > 1000] == [("with", "Idomeni")]
    assert all(r["place"] != "Germany" for r in places)

    def size_scale(spec):
        return spec["layer"][1]["encoding"]["size"]["scale"]

    assert size_scale(with_map) == size_scale(without_map) == {
        "domain": [0, max(r["present"] for r in places)], "range": [0, 1500]
    }  # fmt: skip
    assert "Not drawn, the end of the modelled route" in text
    reached = (
        r"Germany: [1-9][\d,]* persons reached it from 24 Feb 2016 to 5 Apr 2016 with the measure, "
        r"[\d,]+ without\."
    )
    assert re.search(reached, text)
    # the timeline and the table say what Germany's figure is
    countries = {r["country"] for r in specs["scenario-timeline-spec"]["layer"][0]["data"]["values"]}
    assert "Germany: reached the end of the route (cumulative)" in countries
    assert "Greece" in countries
    table = text[text.index('<table id="scenario-places">') : text.index("</table>")]
    end_rows = table[table.index('<tbody id="scenario-end-places">') :]
    assert "Reached the end of the modelled route from 24 Feb 2016 to 5 Apr 2016 (cumulative)" in end_rows
    assert '<th scope="row">Germany</th>' in end_rows
    assert '<th scope="row">Greece</th>' not in end_rows
    assert "Natural Earth" in text
    assert "http://" not in text.replace("http://www.w3.org", "")  # nothing from another host


def test_command_runs_a_json_file_and_a_flee_folder(tmp_path, db):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "name": "fork",
                "days": 2,
                "nodes": [{"name": "A", "kind": "entry"}, {"name": "B", "kind": "sink", "capacity": 30}],
                "edges": [{"source": "A", "target": "B", "travel_days": 0}],
                "inflow": {"A": [100]},
            }
        )
    )
    out = io.StringIO()
    call_command("simulate", str(path), "--out", str(tmp_path / "tables"), stdout=out)
    text = out.getvalue()
    assert "fork: 2 days, 2 places, 1 legs, 0 measures" in text
    assert "By 1, nobody would be stranded along the route." in text
    assert (tmp_path / "tables" / "with_measures_nodes.csv").read_text().splitlines()[0] == (
        "day,node,arrivals,departures,present,stranded,shortfall,left,capacity"
    )
    path.write_text('{"days": 2}')
    with pytest.raises(Exception, match="missing field"):
        call_command("simulate", str(path), stdout=io.StringIO())


def test_the_demos_march_2016_closure_builds_up_in_greece(db):
    # given the demo's reference data, figures and measures
    from django.contrib.auth import get_user_model

    from seemix.demo.flows import load_demo_flows
    from seemix.demo.reference import load_reference
    from seemix.directory.models import Membership
    from seemix.directory.principals import principal_for_user
    from seemix.measures.demo import load_demo_measures
    from seemix.measures.models import Measure

    load_reference()
    load_demo_flows()
    load_demo_measures()
    closure = Measure.objects.get(issuer__code="MK", planned_start__date=dt.date(2016, 3, 9), type="closure")
    user = get_user_model().objects.create_user(username="mk-c", password="x-very-long-pw-1")
    Membership.objects.create(user=user, participant=closure.issuer, role="coordinator")
    # when a coordinator simulates it
    outcome = scenarios.simulate_measure(principal_for_user(user), closure.pk)
    # then the flow piles up at Idomeni, and not without the measure
    greece = outcome.places[0]
    assert greece.code == "GR"
    assert greece.stranded > 40_000
    assert greece.baseline_stranded == 0.0
    idomeni = [n.name for n in outcome.scenario.nodes].index("crossing_point:GR-IDOMENI")
    assert outcome.result.stranded[-1, idomeni] == pytest.approx(greece.stranded)
    assert outcome.summary.startswith("By 19 Apr 2016, about ")
    assert "stranded in Greece" in outcome.summary
    assert "places pledged there" in outcome.summary
    # the page shows it
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get(f"/situation/measures/{closure.pk}/simulate/")
    assert response.status_code == 200
    assert outcome.summary.replace("'", "&#x27;") in response.content.decode()


def test_the_maps_frame_grows_to_hold_people_beyond_the_region_and_the_end_of_the_route_is_not_drawn(db):
    # given people held in Bavaria (west of the region's frame, 12.8°E), on their way to Germany's centre
    import pandas as pd

    from seemix.analysis.simulation import Edge, Measure, Node, Scenario
    from seemix.gazetteer import maps
    from seemix.situation import views_scenarios

    scenario = Scenario(
        nodes=[
            Node("A", kind="entry", country="AT", longitude=16.4, latitude=48.2, label="Vienna"),
            Node("B", country="DE", longitude=11.5, latitude=48.1, label="Munich"),
            Node("C", kind="sink", country="DE", longitude=9.7, latitude=51.4, label="Germany"),
        ],
        edges=[Edge("A", "B", 0), Edge("B", "C", 0)],
        days=3,
        inflow=pd.DataFrame({"A": [100.0, 0.0, 0.0]}),
        start_date=dt.date(2016, 3, 1),
        measures=[Measure("closure", 0, None, edges=(("B", "C"),))],
    )
    outcome = scenarios.run(scenario)
    # when the maps are built
    rows, ends = views_scenarios.map_rows(outcome)
    spec = views_scenarios.map_spec({"type": "FeatureCollection", "features": []}, outcome, rows, "with")
    # then Munich is drawn, inside a frame grown a degree beyond it; the sink is listed, not drawn
    assert [(r["run"], r["place"], r["present"]) for r in rows] == [("with", "Munich", 100)]
    assert ends == [{"place": "Germany", "with": 0, "without": 100}]
    ring = spec["projection"]["fit"]["geometry"]["coordinates"][0]
    _, south, east, _ = maps.REGION_EXTENT
    north = 48.1 + 1  # Munich's latitude, a degree to spare, beyond the region's 48.9°N
    assert ring == [[10.5, south], [10.5, north], [east, north], [east, south], [10.5, south]]
    # the circles' legend ticks: one significant digit; none at all when nobody is drawn
    assert spec["layer"][1]["encoding"]["size"]["legend"]["values"] == [20, 50, 100]
    empty = views_scenarios.map_spec({"type": "FeatureCollection", "features": []}, outcome, [], "with")
    assert empty["layer"][1]["encoding"]["size"]["legend"] is None
    # a country with a place along the route is not the end of the route, though it holds the sink
    germany = next(p for p in outcome.places if p.code == "DE")
    assert not germany.end_of_route
