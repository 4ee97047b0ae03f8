"""The measures pages end to end: draft, review who will be notified and the notice, notify; the
addressee's inbox and acknowledgement; a measure's page with its timeline; update, bring into force,
lift, cancel; the regional timeline and the compliance page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from seemix.measures import services
from seemix.measures.models import Acknowledgement, Measure, MeasureStatus, Notification, Recipient
from tests.measures.conftest import MODEL_BACKEND, NOW, closure_data


@pytest.fixture
def signed_in(user_of):
    """signed_in("HU coordinator") -> a test client signed in as a new user with that role."""

    def make(who: str) -> Client:
        code, role = who.split() if who != "nobody" else (None, None)
        client = Client()
        client.force_login(user_of(code, role), backend=MODEL_BACKEND)
        return client

    return make


def text(response) -> str:
    """The page's visible text, whitespace collapsed (tags removed)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def form_data(**overrides):
    start = (NOW + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "type": "closure",
        "title": "Closure of the green border with Serbia",
        "description": "The green border is closed; crossing only at the transit zones of Röszke and Tompa.",
        "original_language": "hu",
        "original_title": "A szerb zöldhatár lezárása",
        "original_description": "",
        "legal_basis": "Act CXL of 2015",
        "reasons": "Mass influx",
        "border_sections": ["HU-RS"],
        "crossing_points": [],
        "nationalities": "",
        "categories_of_persons": "",
        "planned_start": start,
        "planned_end": "",
        "persons_affected_per_day": "5000",
        "expected_of_others": "Serbia: direct persons to the transit zones.",
        "path": "planned",
        "immediate_justification": "",
        "classification": "regional",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_drafts_a_closure_and_sees_who_will_be_notified(signed_in, world):
    # given
    hungary = signed_in("HU coordinator")
    # when
    response = hungary.post("/measures/new/", form_data())
    # then
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/measures/{measure.pk}/review/"
    assert measure.status == MeasureStatus.DRAFT
    assert measure.issuer.code == "HU"
    assert measure.persons_affected_per_day == 5000
    assert list(measure.border_sections.values_list("code", flat=True)) == ["HU-RS"]
    assert not Notification.objects.exists()

    # when: the review step
    page = hungary.get(response["Location"])
    # then: the computed addressees are ticked, with why, and the notice it gives is shown
    html = page.content.decode()
    assert page.status_code == 200
    ticked = sorted(re.findall(r'name="addressees" value="([A-Z]+)" id="[^"]+" checked', html))
    assert ticked == sorted(measure.addressees.values_list("participant__code", flat=True))
    assert {"RS", "RCC", "HR"} <= set(ticked)
    assert "HU" not in ticked
    body = text(page)
    assert "Neighbour on an affected border section" in body
    assert "9 days" in body
    assert "This meets the regional target." in body
    assert "Notify now" in body


def test_review_warns_when_the_notice_is_below_the_regional_target(signed_in, world, draft_closure):
    # given: a planned start 3 days ahead (the target is 7)
    services.update_draft(
        draft_closure, actor=None, data=closure_data(planned_start=NOW + timedelta(days=3, hours=2))
    )
    # when
    page = signed_in("HU coordinator").get(f"/measures/{draft_closure.pk}/review/")
    # then
    body = text(page)
    assert "Less than the 7 days the region agreed." in body
    assert "3 days" in body


def test_review_refuses_the_planned_path_for_a_measure_that_has_started(signed_in, world, draft_closure):
    # given
    Measure.objects.filter(pk=draft_closure.pk).update(planned_start=NOW - timedelta(hours=1))
    hungary = signed_in("HU coordinator")
    # when
    page = hungary.get(f"/measures/{draft_closure.pk}/review/")
    response = hungary.post(f"/measures/{draft_closure.pk}/notify/", follow=True)
    # then
    assert "This measure cannot be notified on the planned path." in text(page)
    assert re.search(r'<button class="button" type="submit" disabled>Notify now', page.content.decode())
    assert "immediate path" in text(response)
    assert not Notification.objects.exists()


def test_form_errors_name_the_field_and_write_nothing(signed_in, world):
    # given
    hungary = signed_in("HU coordinator")
    # when
    response = hungary.post(
        "/measures/new/",
        form_data(title="", path="immediate", immediate_justification="", border_sections=["HU-XX"]),
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_title_error"><li>This field is required.</li>', html)
    assert "Select a valid choice. HU-XX is not one of the available choices." in html
    assert not Measure.objects.exists()


def test_service_validation_comes_back_on_the_form(signed_in, world):
    # when: the immediate path without its reason (the service's rule)
    response = signed_in("HU coordinator").post(
        "/measures/new/", form_data(path="immediate", immediate_justification="")
    )
    # then
    assert response.status_code == 200
    assert re.search(
        r'id="id_immediate_justification_error"><li>The immediate path needs the reason',
        response.content.decode(),
    )
    assert not Measure.objects.exists()


def test_coordinator_edits_the_addressees_then_notifies(signed_in, world, draft_closure):
    # given
    hungary = signed_in("HU coordinator")
    # when
    saved = hungary.post(f"/measures/{draft_closure.pk}/review/", {"addressees": ["RS", "HR", "AT"]})
    notified = hungary.post(f"/measures/{draft_closure.pk}/notify/")
    # then
    assert saved.status_code == 302
    assert notified.status_code == 302
    assert notified["Location"] == f"/measures/{draft_closure.pk}/"
    notification = Notification.objects.get()
    assert sorted(notification.recipients.values_list("participant__code", flat=True)) == ["AT", "HR", "RS"]
    page = hungary.get(notified["Location"])
    body = text(page)
    assert "The measure is notified to 3 addressees." in body
    assert "0 of 3 acknowledged, 3 awaited." in body
    assert f'href="/api/v1/notifications/{notification.pk}/cap.xml"' in page.content.decode()


def test_addressee_acknowledges_from_the_inbox(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    serbia = signed_in("RS coordinator")
    # when
    inbox = serbia.get("/measures/inbox/")
    recipient = Recipient.objects.get(participant__code="RS")
    response = serbia.post(
        f"/measures/inbox/{recipient.pk}/acknowledge/", {"comment": "Which crossing points stay open?"}
    )
    # then
    body = text(inbox)
    assert "Awaiting acknowledgement (1)" in body
    assert "Closure of the border with Serbia" in body
    assert "from Hungary to Serbia" in body
    assert re.search(r"Acknowledge by .* (23 hours \d+ minutes|1 day) left", body)
    assert "Acknowledge for RS" in body
    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert ack.recipient == recipient
    assert ack.comment == "Which crossing points stay open?"
    after = text(serbia.get("/measures/inbox/"))
    assert "Awaiting acknowledgement (0)" in after
    assert "Nothing awaits your acknowledgement." in after

    # when: the issuer's page shows it, with the question
    page = text(signed_in("HU coordinator").get(f"/measures/{draft_closure.pk}/"))
    # then
    assert "Acknowledged by Serbia" in page
    assert "Which crossing points stay open?" in page


def test_escalated_addressee_is_marked_in_the_inbox_and_on_the_measure(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    services.escalate_overdue(now=NOW + timedelta(days=2))
    # when
    inbox = text(signed_in("RS coordinator").get("/measures/inbox/"))
    page = text(signed_in("HU analyst").get(f"/measures/{draft_closure.pk}/"))
    # then
    assert "Escalated" in inbox
    assert "Escalated: Serbia did not acknowledge in time" in page


def test_measure_page_shows_details_timeline_and_lead_time(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    # when
    page = signed_in("RS analyst").get(f"/measures/{draft_closure.pk}/")
    # then
    body = text(page)
    assert page.status_code == 200
    assert "<h1>Closure of the border with Serbia</h1>" in page.content.decode()
    assert "A szerb határ lezárása" in body
    assert "Act CXL of 2015" in body
    assert "HU-RS" in body
    assert "Lead time 9 days" in body or "Lead time 10 days" in body
    assert "on target" in body
    assert "Drafted" in body
    assert "Alert" in body
    # Only the issuer's coordinators act on it.
    assert "Update and notify again" not in body
    # Any reader may ask what it would do along the route.
    assert f'href="/situation/measures/{draft_closure.pk}/simulate/"' in page.content.decode()


def test_issuer_updates_brings_into_force_and_lifts(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    hungary = signed_in("HU coordinator")
    # when
    form = hungary.get(f"/measures/{draft_closure.pk}/update/")
    updated = hungary.post(
        f"/measures/{draft_closure.pk}/update/",
        form_data(
            title="Closure of the border with Serbia",
            description="The green border with Serbia is closed; crossing only at the transit zones.",
            original_title="A szerb határ lezárása",
            border_sections=["HU-RS"],
            crossing_points=["HU-ROSZKE"],
            legal_basis="Act CXL of 2015",
            persons_affected_per_day="",
            note="Röszke named",
        ),
    )
    in_force = hungary.post(f"/measures/{draft_closure.pk}/in-force/", {"at": ""})
    lifted = hungary.post(f"/measures/{draft_closure.pk}/lift/", {"at": "", "note": "Over"})
    # then
    assert form.status_code == 200
    assert "Notify the update" in text(form)
    assert (updated.status_code, in_force.status_code, lifted.status_code) == (302, 302, 302)
    draft_closure.refresh_from_db()
    assert draft_closure.status == MeasureStatus.LIFTED
    kinds = list(Notification.objects.order_by("sequence").values_list("kind", "note"))
    assert kinds == [("notified", ""), ("updated", "Röszke named"), ("lifted", "Over")]
    page = text(hungary.get(f"/measures/{draft_closure.pk}/"))
    assert "The measure has ended; nothing more can be sent about it." in page


def test_issuer_cancels_a_notified_measure(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    # when
    response = signed_in("HU coordinator").post(
        f"/measures/{draft_closure.pk}/cancel/", {"note": "Withdrawn"}
    )
    # then
    assert response.status_code == 302
    draft_closure.refresh_from_db()
    assert draft_closure.status == MeasureStatus.CANCELLED
    assert Notification.objects.order_by("-sequence").first().msg_type == "Cancel"


def test_a_conflict_is_told_not_raised(signed_in, world, draft_closure):
    # given: a measure not yet in force cannot be lifted
    services.notify_measure(draft_closure, actor=None)
    # when
    response = signed_in("HU coordinator").post(
        f"/measures/{draft_closure.pk}/lift/", {"at": ""}, follow=True
    )
    # then
    assert response.status_code == 200
    assert "A notified measure cannot be lifted." in text(response)
    assert Notification.objects.count() == 1


def test_draft_can_be_deleted_by_its_issuer(signed_in, world, draft_closure):
    # when
    response = signed_in("HU reporter").post(f"/measures/{draft_closure.pk}/delete/")
    # then
    assert response.status_code == 302
    assert not Measure.objects.exists()


def test_regional_timeline_lists_and_charts_the_notified_measures(signed_in, world, draft_closure):
    # given: one notified measure, and Croatia's own draft (not Serbia's to see)
    services.notify_measure(draft_closure, actor=None)
    services.create_measure(actor=None, issuer=world["HR"], data=closure_data(title="Croatian draft"))
    # when
    page = signed_in("RS analyst").get("/measures/")
    # then
    body = text(page)
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 measure" in body
    assert "Closure of the border with Serbia" in body
    assert "Croatian draft" not in html
    assert 'id="measures-timeline-spec"' in html
    assert '"title": "Closure of the border with Serbia"' in html
    assert "/static/seemix/js/charts.js" in html


def test_timeline_filters(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    client = signed_in("RS analyst")
    # when
    by_issuer = text(client.get("/measures/", {"issuer": "HR"}))
    by_type = text(client.get("/measures/", {"type": "closure"}))
    by_period = text(client.get("/measures/", {"start": "2015-01-01", "end": "2015-12-31"}))
    # then
    assert "No measure matches." in by_issuer
    assert "Closure of the border with Serbia" in by_type
    assert "No measure matches." in by_period


def test_compliance_page_shows_the_share_notified_in_time(signed_in, world, draft_closure):
    # given: one planned measure notified 10 days ahead and one immediate one
    services.notify_measure(draft_closure, actor=None)
    immediate = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(
            title="Immediate closure", path="immediate", immediate_justification="Mass influx overnight",
            planned_start=NOW + timedelta(hours=6),
        ),
    )  # fmt: skip
    services.notify_measure(immediate, actor=None)
    start = (NOW - timedelta(days=1)).date().isoformat()
    end = (NOW + timedelta(days=30)).date().isoformat()
    # when
    page = signed_in("RS analyst").get("/measures/compliance/", {"start": start, "end": end})
    # then
    html = page.content.decode()
    row = re.search(r"<tr>\s*<td>Hungary.*?</tr>", html, re.S).group(0)
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[0] == "Hungary HU"
    assert cells[1:3] == ["2", "1"]
    assert cells[3].endswith("1/1")
    assert cells[4] == "1"
    assert cells[5].endswith("1/2")


def test_addressee_acknowledges_from_the_measures_page(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    serbia = signed_in("RS coordinator")
    recipient = Recipient.objects.get(participant__code="RS")
    # when
    page = serbia.get(f"/measures/{draft_closure.pk}/")
    response = serbia.post(f"/measures/inbox/{recipient.pk}/acknowledge/", {"comment": "", "from": "measure"})
    # then
    assert "Serbia is asked to acknowledge this measure" in text(page)
    assert f'action="/measures/inbox/{recipient.pk}/acknowledge/"' in page.content.decode()
    assert response["Location"] == f"/measures/{draft_closure.pk}/"
    assert Acknowledgement.objects.get().recipient == recipient
    assert "Serbia is asked to acknowledge this measure" not in text(serbia.get(response["Location"]))


def test_a_second_acknowledgement_is_told_not_written(signed_in, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    serbia = signed_in("RS coordinator")
    recipient = Recipient.objects.get(participant__code="RS")
    serbia.post(f"/measures/inbox/{recipient.pk}/acknowledge/", {"comment": "First"})
    # when
    response = serbia.post(f"/measures/inbox/{recipient.pk}/acknowledge/", {"comment": "Second"}, follow=True)
    # then
    assert "Serbia has already acknowledged this notification." in text(response)
    assert list(Acknowledgement.objects.values_list("comment", flat=True)) == ["First"]
