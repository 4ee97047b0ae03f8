"""Who may open and act on the measures pages. Anonymous visitors sign in first; a user without a
membership gets 403; another participant cannot see a draft, nor a RESTRICTED measure it was not sent
(404, and it is listed nowhere); a reporter drafts but neither notifies nor acknowledges (403); the
issuer's coordinator acts. A refused request writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from seemix.measures import services
from seemix.measures.models import Measure, MeasureStatus, Recipient
from tests.measures.conftest import MODEL_BACKEND, closure_data, counts


@pytest.fixture
def browser(user_of):
    """browser("HU coordinator" | "nobody" | "anonymous") -> a test client signed in as a new user."""

    def make(who: str) -> Client:
        client = Client()
        if who == "anonymous":
            return client
        code, role = who.split() if who != "nobody" else (None, None)
        client.force_login(user_of(code, role), backend=MODEL_BACKEND)
        return client

    return make


@pytest.fixture
def notified(world):
    """Hungary's REGIONAL closure, notified to its computed addressees (Serbia among them)."""
    measure = services.create_measure(actor=None, issuer=world["HU"], data=closure_data())
    services.notify_measure(measure, actor=None)
    return measure


@pytest.fixture
def restricted(restricted_closure):
    """Hungary's RESTRICTED closure, notified to Serbia and the secretariat only."""
    services.notify_measure(restricted_closure, actor=None)
    return restricted_closure


DRAFT_FORM = {
    "type": "closure",
    "title": "Closure",
    "description": "Closed.",
    "planned_start": "2030-01-01T00:00",
    "path": "planned",
    "classification": "regional",
}
LIST_PAGES = ["/measures/", "/measures/inbox/", "/measures/compliance/"]


@pytest.mark.parametrize("path", [*LIST_PAGES, "/measures/new/", "/measures/1/", "/measures/1/review/"])
def test_anonymous_visitor_is_sent_to_the_login_page(path, browser, world):
    # when
    response = browser("anonymous").get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", [*LIST_PAGES, "/measures/new/", "{notified}", "{notified}update/"])
def test_user_without_membership_is_refused(path, browser, notified):
    # when
    response = browser("nobody").get(path.format(notified=f"/measures/{notified.pk}/"))
    # then
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["RS coordinator", "HR reporter", "RCC analyst", "AT observer", "HU coordinator"]
)
@pytest.mark.parametrize("path", LIST_PAGES)
def test_members_read_the_list_pages(path, who, browser, notified):
    # when
    response = browser(who).get(path)
    # then
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("HU analyst", 403), ("RS observer", 403), ("HU reporter", 200), ("HU coordinator", 200)],
)
def test_only_reporters_and_coordinators_open_the_draft_form(who, status, browser, world):
    # when
    response = browser(who).get("/measures/new/")
    # then
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("nobody", 403), ("HU analyst", 403)])
def test_drafting_needs_a_reporter_or_coordinator(who, status, browser, world):
    # given
    before = counts()
    # when
    response = browser(who).post("/measures/new/", DRAFT_FORM | {"issuer": world["HU"].pk})
    # then
    assert response.status_code == status
    assert counts() == before


def test_a_participant_drafts_only_its_own_measures(browser, world):
    # when: Serbia's coordinator names Hungary as the issuer
    response = browser("RS coordinator").post("/measures/new/", DRAFT_FORM | {"issuer": world["HU"].pk})
    # then: the issuer is fixed to Serbia, its only participant
    assert response.status_code == 302
    assert list(Measure.objects.values_list("issuer__code", flat=True)) == ["RS"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nobody", 403),
        ("RS coordinator", 404),
        ("HU analyst", 200),
        ("HU reporter", 200),
        ("HU coordinator", 200),
    ],
)
def test_a_draft_is_seen_only_by_its_issuers_members(who, status, browser, draft_closure):
    # when
    review = browser(who).get(f"/measures/{draft_closure.pk}/review/")
    detail = browser(who).get(f"/measures/{draft_closure.pk}/")
    # then
    assert review.status_code == status
    assert detail.status_code == status


def test_a_draft_is_not_listed_for_another_participant(browser, draft_closure):
    # when
    pages = [browser("RS coordinator").get(path).content.decode() for path in LIST_PAGES]
    # then
    assert all("Closure of the border with Serbia" not in html for html in pages)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("nobody", 403), ("RS coordinator", 404), ("HU analyst", 403), ("HU reporter", 200)],
)
def test_editing_a_draft(who, status, browser, draft_closure):
    # when
    response = browser(who).get(f"/measures/{draft_closure.pk}/edit/")
    # then
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("nobody", 403),
        ("RS coordinator", 404),
        ("HU analyst", 403),
        ("HU reporter", 403),
        ("HU coordinator", 302),
    ],
)
def test_notifying_needs_the_issuers_coordinator(who, status, browser, draft_closure):
    # given
    before = counts()
    # when
    response = browser(who).post(f"/measures/{draft_closure.pk}/notify/")
    # then
    assert response.status_code == status
    draft_closure.refresh_from_db()
    if who == "HU coordinator":
        assert response["Location"] == f"/measures/{draft_closure.pk}/"
        assert draft_closure.status == MeasureStatus.NOTIFIED
    else:
        assert draft_closure.status == MeasureStatus.DRAFT
        assert counts() == before
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "status"), [("RS coordinator", 404), ("HU reporter", 403), ("HU analyst", 403)]
)
def test_choosing_the_addressees_needs_the_issuers_coordinator(who, status, browser, draft_closure):
    # given
    before = counts()
    # when
    response = browser(who).post(f"/measures/{draft_closure.pk}/review/", {"addressees": ["RS"]})
    # then
    assert response.status_code == status
    assert counts() == before


def test_a_reporter_sees_the_review_without_the_notify_button(browser, draft_closure):
    # when
    html = browser("HU reporter").get(f"/measures/{draft_closure.pk}/review/").content.decode()
    # then
    assert "Only a coordinator of Hungary can choose the addressees and notify this measure." in html
    assert f'action="/measures/{draft_closure.pk}/notify/"' not in html


@pytest.mark.parametrize(
    ("who", "status"), [("RS coordinator", 404), ("HU analyst", 403), ("HU reporter", 302)]
)
def test_deleting_a_draft(who, status, browser, draft_closure):
    # given
    before = counts()
    # when
    response = browser(who).post(f"/measures/{draft_closure.pk}/delete/")
    # then
    assert response.status_code == status
    assert Measure.objects.filter(pk=draft_closure.pk).exists() == (status != 302)
    if status != 302:
        assert counts() == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("update/", {"title": "Changed", "description": "x", "type": "closure", "path": "planned"}),
        ("in-force/", {"at": ""}),
        ("cancel/", {"note": "No"}),
        ("lift/", {"at": ""}),
    ],
)
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("nobody", 403), ("RS coordinator", 403), ("HU reporter", 403), ("HU analyst", 403)],
)
def test_changes_after_notification_need_the_issuers_coordinator(
    who, status, action, data, browser, notified
):
    # given
    before = counts()
    # when
    response = browser(who).post(f"/measures/{notified.pk}/{action}", data)
    # then
    assert response.status_code == status
    notified.refresh_from_db()
    assert notified.status == MeasureStatus.NOTIFIED
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "status"), [("RS coordinator", 403), ("HU reporter", 403), ("HU coordinator", 200)]
)
def test_the_update_form(who, status, browser, notified):
    # when
    response = browser(who).get(f"/measures/{notified.pk}/update/")
    # then
    assert response.status_code == status


# --- RESTRICTED measures: neither readable nor discoverable by those it was not sent to --------------


@pytest.mark.parametrize("who", ["HR coordinator", "AT coordinator", "GR analyst"])
@pytest.mark.parametrize("suffix", ["", "update/", "review/", "edit/"])
def test_a_restricted_measure_is_not_found_by_others(who, suffix, browser, restricted):
    # when
    response = browser(who).get(f"/measures/{restricted.pk}/{suffix}")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["update/", "in-force/", "cancel/", "lift/", "notify/", "delete/"])
def test_a_restricted_measure_cannot_be_acted_on_by_others(action, browser, restricted):
    # given
    before = counts()
    # when
    response = browser("HR coordinator").post(f"/measures/{restricted.pk}/{action}", {"note": "x", "at": ""})
    # then
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("path", [*LIST_PAGES, "/measures/?status=notified", "/measures/?issuer=HU"])
def test_a_restricted_measure_is_listed_nowhere_for_others(path, browser, restricted):
    # when
    html = browser("HR coordinator").get(path).content.decode()
    # then
    assert "Closure of the border with Serbia" not in html
    assert f"/measures/{restricted.pk}/" not in html
    assert "Hungary <span" not in html  # no row of Hungary on the compliance page either


@pytest.mark.parametrize("who", ["RS analyst", "RCC observer", "HU analyst"])
def test_a_restricted_measure_is_read_by_its_issuer_and_addressees(who, browser, restricted):
    # when
    response = browser(who).get(f"/measures/{restricted.pk}/")
    listed = browser(who).get("/measures/").content.decode()
    # then
    assert response.status_code == 200
    assert "Closure of the border with Serbia" in listed


# --- acknowledgement -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("nobody", 403),
        ("HR coordinator", 404),
        ("HU coordinator", 404),
        ("RS reporter", 403),
        ("RS analyst", 403),
        ("RS coordinator", 302),
    ],
)
def test_acknowledging_needs_a_coordinator_of_the_addressee(who, status, browser, restricted):
    # given
    recipient = Recipient.objects.get(participant__code="RS")
    before = counts()
    # when
    response = browser(who).post(f"/measures/inbox/{recipient.pk}/acknowledge/", {"comment": "Noted"})
    # then
    assert response.status_code == status
    if who == "RS coordinator":
        assert response["Location"] == "/measures/inbox/"
        assert counts()["Acknowledgement"] == before["Acknowledgement"] + 1
    else:
        assert counts() == before


def test_a_reporter_sees_the_inbox_without_acknowledge_buttons(browser, restricted):
    # when
    html = browser("RS reporter").get("/measures/inbox/").content.decode()
    # then
    assert "Closure of the border with Serbia" in html
    assert "A coordinator of Serbia acknowledges it." in html
    assert "/acknowledge/" not in html


@pytest.mark.parametrize(
    "path",
    ["/measures/1/notify/", "/measures/1/cancel/", "/measures/1/lift/", "/measures/inbox/1/acknowledge/"],
)
def test_actions_answer_only_post(path, browser, world):
    # when
    response = browser("HU coordinator").get(path)
    # then
    assert response.status_code == 405


def test_an_unknown_measure_is_not_found(browser, world):
    # when
    response = browser("HU coordinator").get("/measures/999999/")
    # then
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
