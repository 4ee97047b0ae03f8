"""CAP in: partner systems POST CAP 1.2 alerts; valid ones are kept, invalid ones refused with the
schema's line and message, duplicates are idempotent, and a Private alert stays with its poster."""

from __future__ import annotations

from pathlib import Path

import pytest

from seemix.core.models import AuditEntry
from seemix.measures.models import Alert

EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "cap"
    / "examples_ibm_cap"
    / "cap_amber_alert_example.xml"
)

VALID = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>RS-MUP-2015-0915-1</identifier>
  <sender>mup@rs.example</sender>
  <sent>2015-09-15T08:00:00+02:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>{scope}</scope>
  {extra}
  <info>
    <category>Security</category>
    <event>Large group at the border</event>
    <urgency>Immediate</urgency>
    <severity>Moderate</severity>
    <certainty>Observed</certainty>
    <headline>About 5,000 people waiting at Horgos</headline>
    <area>
      <areaDesc>Horgos</areaDesc>
      <polygon>46.15,19.95 46.18,19.95 46.18,20.0 46.15,20.0 46.15,19.95</polygon>
      <geocode><valueName>ISO3166-1</valueName><value>RS</value></geocode>
    </area>
  </info>
</alert>
"""

INVALID = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>RS-1</identifier>
  <sender>mup@rs.example</sender>
  <sent>2015-09-15T08:00:00+02:00</sent>
  <status>Actual</status>
  <msgType>Warning</msgType>
  <scope>Public</scope>
</alert>
"""


def _post(client, body: str | bytes, content_type: str = "application/cap+xml"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.client.post(
        "/api/v1/alerts/cap", data=data, content_type=content_type, headers=client.headers
    )


def test_a_valid_alert_is_kept(caller, world):
    # given
    serbia = caller("RS reporter")
    # when
    response = _post(serbia, VALID.format(scope="Public", extra=""))
    # then
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": Alert.objects.get().pk,
        "sender": "mup@rs.example",
        "identifier": "RS-MUP-2015-0915-1",
        "sent": "2015-09-15T08:00:00+02:00",
        "duplicate": False,
    }
    alert = serbia.get(f"/api/v1/alerts/{response.json()['id']}").json()
    assert (alert["participant"], alert["msg_type"], alert["scope"], alert["classification"]) == (
        "RS",
        "Alert",
        "Public",
        "public",
    )
    assert alert["headline"] == "About 5,000 people waiting at Horgos"
    assert alert["areas"][0]["geocodes"] == [{"name": "ISO3166-1", "value": "RS"}]
    assert AuditEntry.objects.filter(action="measures.alert_received").count() == 1


def test_the_cap_specifications_own_example_is_accepted(caller, world):
    # when
    response = _post(caller("HU coordinator"), EXAMPLE.read_bytes(), "application/xml")
    # then
    assert response.status_code == 201


def test_an_invalid_alert_is_refused_with_the_schema_error(caller, world):
    # given
    serbia = caller("RS reporter")
    before = (Alert.objects.count(), AuditEntry.objects.count())
    # when
    response = _post(serbia, INVALID)
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "body"
    assert error["code"] == "cap_schema"
    assert error["message"].startswith("line 7: ")
    assert "msgType" in error["message"]
    assert "Warning" in error["message"]
    assert (Alert.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (
            "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</ident",
            1,
            "Not well-formed XML",
        ),
        ("<alert xmlns='urn:other'/>", 1, "The root element must be"),
        ('<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<alert>&e;</alert>', 2, "root element"),
    ],
)
def test_malformed_or_hostile_xml_is_refused(caller, world, body, line, fragment):
    # when
    response = _post(caller("RS reporter"), body)
    # then
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert message.startswith(f"line {line}: ")
    assert fragment in message
    assert "root:" not in response.content.decode()
    assert Alert.objects.count() == 0


def test_the_same_message_twice_is_stored_once(caller, world):
    # given
    serbia = caller("RS reporter")
    first = _post(serbia, VALID.format(scope="Public", extra=""))
    # when
    again = _post(serbia, VALID.format(scope="Public", extra=""))
    # the same triple, the sent time written in UTC
    same_instant = _post(
        serbia, VALID.format(scope="Public", extra="").replace("08:00:00+02:00", "06:00:00+00:00")
    )
    # then
    assert again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert same_instant.status_code == 200
    assert Alert.objects.count() == 1


def test_another_content_type_is_415(caller, world):
    # when
    response = _post(caller("RS reporter"), VALID.format(scope="Public", extra=""), "text/plain")
    # then
    assert response.status_code == 415
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("nobody", 403), ("RS observer", 403), ("RS coordinator", 201)]
)
def test_who_may_post(caller, world, who, status):
    # given
    client = caller(who)
    # when
    if who == "nobody":
        response = client.client.post(
            "/api/v1/alerts/cap",
            data=VALID.format(scope="Public", extra="").encode(),
            content_type="application/cap+xml",
        )
    else:
        response = _post(client, VALID.format(scope="Public", extra=""))
    # then
    assert response.status_code == status
    assert Alert.objects.count() == (1 if status == 201 else 0)


def test_a_private_alert_is_read_by_its_poster_only(caller, world):
    # given
    serbia = caller("RS reporter")
    posted = _post(serbia, VALID.format(scope="Private", extra="<addresses>hu@example</addresses>")).json()
    # when
    mine = serbia.get(f"/api/v1/alerts/{posted['id']}")
    theirs = caller("AL coordinator").get(f"/api/v1/alerts/{posted['id']}")
    listed = caller("AL coordinator").get("/api/v1/alerts").json()
    # then
    assert mine.status_code == 200
    assert mine.json()["classification"] == "restricted"
    assert theirs.status_code == 404
    assert listed["items"] == []
