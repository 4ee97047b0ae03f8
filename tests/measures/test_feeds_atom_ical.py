"""The Atom feeds of CAP alerts and the iCalendar feeds: they parse, hold what the caller may read
and nothing else (a RESTRICTED measure stays out of a non-addressee's feed), and follow RFC 5545."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree

from seemix.measures import services
from seemix.measures.feeds import escape_text, fold
from tests.measures.conftest import NOW, assert_valid_cap, closure_data

ATOM = {"a": "http://www.w3.org/2005/Atom", "cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture
def three_measures(world, restricted_closure):
    """Hungary's measures: one PUBLIC, one REGIONAL, one RESTRICTED (to RS and RCC), all notified."""
    public = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(title="Public; closure, with commas", classification="public"),
    )
    regional = services.create_measure(
        actor=None, issuer=world["HU"], data=closure_data(title="Regional closure")
    )
    for measure in (public, regional, restricted_closure):
        services.notify_measure(measure, actor=None, now=NOW)
    return {"public": public, "regional": regional, "restricted": restricted_closure}


def _entries(response) -> list[str]:
    root = etree.fromstring(response.content)
    return sorted(e.text.split(": ", 1)[1] for e in root.findall("a:entry/a:title", ATOM))


@pytest.mark.parametrize(
    ("who", "titles"),
    [
        ("anonymous", ["Public; closure, with commas"]),
        ("AL coordinator", ["Public; closure, with commas", "Regional closure"]),
        (
            "RS observer",
            ["Closure of the border with Serbia", "Public; closure, with commas", "Regional closure"],
        ),
        (
            "HU observer",
            ["Closure of the border with Serbia", "Public; closure, with commas", "Regional closure"],
        ),
    ],
)
def test_the_atom_feed_holds_what_the_caller_may_read(caller, world, three_measures, who, titles):
    # when
    response = caller(who).get("/api/v1/feeds/HU/alerts.atom")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert _entries(response) == titles


def test_each_entry_carries_its_cap_alert_which_validates(caller, world, three_measures):
    # when
    response = caller("RS observer").get("/api/v1/feeds/HU/alerts.atom")
    # then
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.find(tag, ATOM) is not None
    entries = root.findall("a:entry", ATOM)
    assert len(entries) == 3
    for entry in entries:
        content = entry.find("a:content", ATOM)
        assert content.get("type") == "application/cap+xml"
        (alert,) = list(content)
        assert_valid_cap(etree.tostring(alert))
        assert entry.find("a:id", ATOM).text == alert.find("cap:identifier", ATOM).text


def test_a_refused_token_is_401_not_anonymous(world, three_measures):
    # given
    from django.test import Client

    # when
    response = Client().get("/api/v1/feeds/HU/alerts.atom", headers={"Authorization": "Bearer smx_nope_nope"})
    # then
    assert response.status_code == 401


def test_an_unknown_participant_is_404(caller, world):
    assert caller("anonymous").get("/api/v1/feeds/XX/alerts.atom").status_code == 404


@pytest.mark.parametrize(
    ("who", "code", "status", "count"),
    [
        ("anonymous", "RS", 401, None),
        ("nobody", "RS", 403, None),
        ("AL coordinator", "RS", 404, None),
        ("RS observer", "RS", 200, 3),
        ("AL coordinator", "AL", 200, 0),
    ],
)
def test_the_inbox_feed_is_for_the_participants_members(
    caller, world, three_measures, who, code, status, count
):
    # when
    response = caller(who).get(f"/api/v1/feeds/{code}/inbox.atom")
    # then
    assert response.status_code == status
    if count is not None:
        assert len(etree.fromstring(response.content).findall("a:entry", ATOM)) == count


@pytest.mark.parametrize(
    ("who", "summaries"),
    [
        ("anonymous", ["[HU] Public\\; closure\\, with commas"]),
        ("AL coordinator", ["[HU] Public\\; closure\\, with commas", "[HU] Regional closure"]),
        (
            "RS observer",
            [
                "[HU] Closure of the border with Serbia",
                "[HU] Public\\; closure\\, with commas",
                "[HU] Regional closure",
            ],
        ),
    ],
)
def test_the_calendar_holds_what_the_caller_may_read(caller, world, three_measures, who, summaries):
    # when
    for path in ("/api/v1/feeds/measures.ics", "/api/v1/feeds/HU/measures.ics"):
        response = caller(who).get(path)
        # then
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        lines = _unfold(response.content)
        assert (
            sorted(line.removeprefix("SUMMARY:") for line in lines if line.startswith("SUMMARY:"))
            == summaries
        )


def _unfold(content: bytes) -> list[str]:
    return content.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_the_calendar_follows_rfc_5545(caller, world, three_measures):
    # given
    services.update_measure(
        three_measures["regional"],
        actor=None,
        data=closure_data(
            title="Regional closure",
            description="Ünnepélyes lezárás — " * 20 + "\nsecond line; with, punctuation\\",
            planned_end=NOW + timedelta(days=40),
        ),
        now=NOW + timedelta(hours=1),
    )
    # when
    response = caller("RS observer").get("/api/v1/feeds/HU/measures.ics")
    # then
    raw = response.content
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    for line in physical:
        line.decode("utf-8")  # whole UTF-8 characters: the fold splits none
    lines = _unfold(raw)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 3
    start = (NOW + timedelta(days=10)).strftime("%Y%m%dT%H%M%SZ")
    end = (NOW + timedelta(days=40)).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert f"DTEND:{end}" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Ünnepélyes"))
    assert "\\nsecond line\\; with\\, punctuation\\\\" in description
    assert any(line.startswith("UID:measure-") and line.endswith("@127.0.0.1") for line in lines)


def test_fold_and_escape():
    # given
    line = "DESCRIPTION:" + "é" * 80
    # when
    folded = fold(line).encode("utf-8").split(b"\r\n")
    # then
    assert [len(part) for part in folded] == [74, 75, 25]
    assert all(part.startswith(b" ") for part in folded[1:])
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
