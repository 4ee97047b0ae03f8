# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""The alerts API: who sees which alert, who may acknowledge and resolve, the CAP and Atom forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from lxml import etree

from seemix.core.classification import Classification
from seemix.situation.models import AlertState, AlertStateChange, SituationAlert
from seemix.situation.services.alerts import raise_alert
from tests.conftest import api  # noqa: F401
from tests.measures.conftest import assert_valid_cap, caller, user_of, world  # noqa: F401

DAY = dt.date(2015, 10, 21)


@pytest.fixture
def alerts(world) -> dict[str, SituationAlert]:
    regional = raise_alert(
        kind="surge",
        key="surge:SI:2015-10-21",
        title="Surge in Slovenia",
        detail="12,616 arrivals",
        day=DAY,
        country="SI",
        participant=world["SI"],
    )
    restricted = raise_alert(
        kind="site_capacity",
        key="site:HR-OPATOVAC:2015-10-21",
        title="Opatovac at 95%",
        detail="3,800 present for 4,000 places",
        day=DAY,
        country="HR",
        participant=world["HR"],
        classification=Classification.RESTRICTED,
        audience=[world["SI"]],
    )
    return {"regional": regional, "restricted": restricted}


@pytest.mark.parametrize(
    ("_case", "who", "status", "keys"),
    [
        ("anonymous", "anonymous", 401, None),
        ("signed in, no participant", "nobody", 403, None),
        ("other participant", "RS observer", 200, ["surge:SI:2015-10-21"]),
        ("audience", "SI observer", 200, ["site:HR-OPATOVAC:2015-10-21", "surge:SI:2015-10-21"]),
        ("owner", "HR reporter", 200, ["site:HR-OPATOVAC:2015-10-21", "surge:SI:2015-10-21"]),
    ],
)
def test_list_alerts_access(_case, who, status, keys, caller, alerts):
    response = caller(who).get("/api/v1/situation/alerts", {"date": "2015-10-21"})
    assert response.status_code == status, response.content
    if keys is not None:
        assert sorted(item["key"] for item in response.json()["items"]) == keys


def test_restricted_alert_is_404_to_others(caller, alerts):
    pk = alerts["restricted"].pk
    assert caller("RS coordinator").get(f"/api/v1/situation/alerts/{pk}").status_code == 404
    assert caller("RS coordinator").get(f"/api/v1/situation/alerts/{pk}/cap.xml").status_code == 404
    response = caller("RS coordinator").post(f"/api/v1/situation/alerts/{pk}/acknowledge", {"note": "x"})
    assert response.status_code == 404
    assert AlertStateChange.objects.filter(alert_id=pk).count() == 1


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 401),
        ("other participant", "RS coordinator", 403),
        ("right participant, wrong role", "SI reporter", 403),
        ("coordinator of the participant", "SI coordinator", 200),
        ("analyst of the participant", "SI analyst", 200),
    ],
)
def test_acknowledge_access(_case, who, status, caller, alerts):
    pk = alerts["regional"].pk
    response = caller(who).post(f"/api/v1/situation/alerts/{pk}/acknowledge", {"note": "on it"})
    assert response.status_code == status, response.content
    alert = SituationAlert.objects.get(pk=pk)
    if status == 200:
        assert response.json()["state"] == "acknowledged"
        assert [h["new_state"] for h in response.json()["history"]] == ["open", "acknowledged"]
        assert response.json()["history"][1]["note"] == "on it"
        assert alert.state == AlertState.ACKNOWLEDGED
    else:
        assert alert.state == AlertState.OPEN
        assert AlertStateChange.objects.filter(alert=alert).count() == 1


def test_resolve_then_acknowledge_is_a_conflict(caller, alerts):
    client = caller("SI coordinator")
    pk = alerts["regional"].pk
    assert (
        client.post(f"/api/v1/situation/alerts/{pk}/resolve", {"note": "over"}).json()["state"] == "resolved"
    )
    response = client.post(f"/api/v1/situation/alerts/{pk}/acknowledge", {"note": ""})
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")


def test_state_filter_and_as_of(caller, alerts):
    client = caller("SI coordinator")
    pk = alerts["regional"].pk
    before = dt.datetime.now(dt.UTC).isoformat()
    client.post(f"/api/v1/situation/alerts/{pk}/acknowledge", {"note": ""})
    now = client.get("/api/v1/situation/alerts", {"state": "acknowledged"}).json()["items"]
    assert [a["id"] for a in now] == [pk]
    then = client.get("/api/v1/situation/alerts", {"as_of": before}).json()["items"]
    assert {a["id"]: a["state"] for a in then}[pk] == "open"
    bad = client.get("/api/v1/situation/alerts", {"state": "closed"})
    assert bad.status_code == 422
    assert "state" in bad.json()["detail"]


def test_list_query_count_is_bounded(caller, alerts, world, django_assert_max_num_queries):
    client = caller("SI observer")
    for i in range(20):
        raise_alert(kind="report_missing", key=f"k{i}", title="t", detail="", day=DAY, country="RS")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/situation/alerts", {"limit": 100})
    assert response.json()["count"] == 22


def test_cap_message_is_valid_and_private_for_a_restricted_alert(caller, alerts):
    pk = alerts["restricted"].pk
    response = caller("SI observer").get(f"/api/v1/situation/alerts/{pk}/cap.xml")
    assert response.status_code == 200
    root = assert_valid_cap(response.content)
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert root.findtext("cap:scope", namespaces=ns) == "Private"
    from seemix.measures.cap import host

    addresses = sorted(root.findtext("cap:addresses", namespaces=ns).split())
    assert addresses == [f"HR@{host()}", f"SI@{host()}"]


@pytest.mark.parametrize(
    ("who", "keys"),
    [
        ("anonymous", []),
        ("RS observer", ["surge:SI:2015-10-21"]),
        ("SI observer", ["site:HR-OPATOVAC:2015-10-21", "surge:SI:2015-10-21"]),
    ],
)
def test_atom_feed_holds_what_the_reader_may_see(who, keys, caller, alerts):
    response = caller(who).get("/api/v1/situation/alerts.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    terms = sorted(c.get("term") for c in feed.findall("a:entry/a:category", atom))
    assert terms == sorted(
        {"surge:SI:2015-10-21": "surge", "site:HR-OPATOVAC:2015-10-21": "site_capacity"}[k] for k in keys
    )
    for content in feed.findall("a:entry/a:content", atom):
        assert_valid_cap(etree.tostring(content[0]))


def test_atom_feed_rejects_a_bad_token(api: Any, alerts):
    from tests.conftest import ApiClient

    assert ApiClient("not-a-token").get("/api/v1/situation/alerts.atom").status_code == 401
