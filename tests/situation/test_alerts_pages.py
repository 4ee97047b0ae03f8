# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""The alerts, timelines and capacity pages and the panels: access, buttons, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client

from seemix.core.classification import Classification
from seemix.situation.models import AlertState, SituationAlert
from seemix.situation.services.alerts import raise_alert
from tests.measures.conftest import MODEL_BACKEND, user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

DAY = dt.date(2015, 10, 21)


@pytest.fixture
def seeded(world):
    submit(world["SI"], [("ARRIVALS", d, "SI", 8000, "") for d in days(DAY - dt.timedelta(days=4), 5)])
    raise_alert(
        kind="surge",
        key="s",
        title="Surge in Slovenia",
        detail="",
        day=DAY,
        country="SI",
        participant=world["SI"],
    )
    raise_alert(
        kind="site_capacity", key="r", title="Opatovac nearly full", detail="", day=DAY, country="HR",
        participant=world["HR"], classification=Classification.RESTRICTED,
    )  # fmt: skip


def _client(user_of, who):
    client = Client()
    if who != "anonymous":
        code, role = who.split() if who != "nobody" else (None, None)
        client.force_login(user_of(code, role), backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("path", ["/situation/alerts/", "/situation/timelines/", "/situation/capacity/"])
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("nobody", 403), ("AT observer", 200), ("SI coordinator", 200)]
)
def test_pages_access(path, who, status, user_of, seeded):
    assert _client(user_of, who).get(path, {"date": "2015-10-21"}).status_code == status


@pytest.mark.parametrize("path", ["/situation/alerts/", "/situation/timelines/", "/situation/capacity/"])
def test_pages_carry_the_members_navigation(path, user_of, seeded):
    page = _client(user_of, "AT observer").get(path).content.decode()
    assert 'href="/flows/"' in page
    assert 'href="/situation/"' in page


def test_alerts_page_shows_buttons_to_the_right_roles_only(user_of, seeded):
    page = _client(user_of, "SI coordinator").get("/situation/alerts/").content.decode()
    assert "Surge in Slovenia" in page
    assert "Opatovac nearly full" not in page  # restricted to Croatia
    assert page.count('type="submit" formaction=') == 1
    observer = _client(user_of, "SI observer").get("/situation/alerts/").content.decode()
    assert "formaction=" not in observer


def test_acknowledge_from_the_page(user_of, seeded):
    alert = SituationAlert.objects.get(key="s")
    denied = _client(user_of, "RS coordinator").post(
        f"/situation/alerts/{alert.pk}/acknowledge/", {"note": "x"}
    )
    assert denied.status_code == 403
    hidden = _client(user_of, "SI coordinator").post(
        f"/situation/alerts/{SituationAlert.objects.get(key='r').pk}/resolve/", {"note": "x"}
    )
    assert hidden.status_code == 404
    response = _client(user_of, "SI coordinator").post(
        f"/situation/alerts/{alert.pk}/acknowledge/", {"note": "ok"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED


@pytest.mark.parametrize("path", ["/situation/alerts/", "/situation/timelines/", "/situation/capacity/"])
def test_page_query_counts_are_bounded(path, user_of, seeded, world, django_assert_max_num_queries):
    for i in range(15):
        raise_alert(kind="report_missing", key=f"m{i}", title="t", detail="", day=DAY, country="RS")
    client = _client(user_of, "SI coordinator")
    with django_assert_max_num_queries(30):
        response = client.get(path, {"country": "SI", "date_from": "2015-09-01", "date_to": "2015-10-21"})
    assert response.status_code == 200


def test_panels_render_for_a_country_and_the_region(user_of, seeded, django_assert_max_num_queries):
    user = user_of("SI", "observer")
    template = Template(
        "{% load situation_panels %}{% alerts_panel user day None %}"
        "{% timeline_panel user 'SI' day None %}{% capacity_panel user None day None %}"
    )
    with django_assert_max_num_queries(30):
        html = template.render(Context({"user": user, "day": DAY}))
    assert "Surge in Slovenia" in html
    assert 'id="timeline-spec-si"' in html
    assert "Pledges of the Leaders" in html
    assert "meeting of 25 October 2015" in html
