"""In Chromium: Hungary's coordinator drafts a closure of the border with Serbia, reviews who will be
notified and the notice it gives, and notifies it; Serbia's coordinator finds it in the inbox and
acknowledges it with a question; the measure's page, the regional timeline and the compliance page
show it. Nothing is loaded from another host and the strict CSP blocks nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from seemix.directory.models import Membership, Participant
from seemix.measures.models import Acknowledgement, Measure, MeasureStatus, Notification
from seemix.outbox.models import Delivery, WebhookEndpoint
from seemix.outbox.sealing import seal
from tests.browser.conftest import ARTIFACTS, Recorder, csp_violations

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(db: Any) -> dict[str, Any]:
    """The shipped gazetteer and participants, and a coordinator of Hungary and one of Serbia."""
    from seemix.directory.services import load_participants
    from seemix.gazetteer.services import load_gazetteer

    load_gazetteer(actor=None)
    load_participants(actor=None)
    users = {}
    for code, name in (("HU", "zsofia.nagy"), ("RS", "ana.petrovic")):
        user = get_user_model().objects.create_user(
            username=name, password=PASSWORD, email=f"{name}@example.org"
        )
        Membership.objects.create(
            user=user, participant=Participant.objects.get(code=code), role="coordinator"
        )
        users[code] = user
    return users


def sign_in(chromium: Any, site: str, username: str) -> tuple[Any, Any, Recorder]:
    from tests.browser.conftest import CSP_PROBE

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    recorder = Recorder()
    tab.on("request", lambda request: recorder.requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and recorder.console_error(message.text))
    tab.add_init_script(CSP_PROBE)
    tab.goto(f"{site}/accounts/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.click(".auth-card button[type=submit]")
    tab.wait_for_url(f"{site}/")
    return context, tab, recorder


def shot(tab: Any, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"measures-{name}.png"), full_page=full_page)


def assert_clean(tab: Any, recorder: Recorder, site: str) -> None:
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []
    assert recorder.console_errors == []


def test_hungary_notifies_a_closure_and_serbia_acknowledges_it(site, chromium, region):
    # given
    start = timezone.localtime() + timedelta(days=9)
    hungary_context, hungary, hungary_log = sign_in(chromium, site, "zsofia.nagy")

    # when: Hungary drafts the closure
    hungary.goto(f"{site}/measures/new/")
    hungary.select_option("#id_type", "closure")
    hungary.fill("#id_title", "Closure of the green border with Serbia")
    hungary.fill(
        "#id_description",
        "The green border with Serbia is closed by a fence. Persons may enter only at the transit zones "
        "of Röszke and Tompa, where asylum applications are received.",
    )
    hungary.fill("#id_original_language", "hu")
    hungary.fill("#id_original_title", "A szerb–magyar zöldhatár lezárása")
    hungary.fill("#id_legal_basis", "Act CXL of 2015 on the mass influx of migrants")
    hungary.fill("#id_reasons", "Mass influx along the Western Balkans route.")
    hungary.check("input[name=border_sections][value=HU-RS]")
    hungary.fill("#id_planned_start", start.strftime("%Y-%m-%dT%H:%M"))
    hungary.fill("#id_persons_affected_per_day", "5000")
    hungary.fill("#id_expected_of_others", "Serbia: direct persons to the transit zones of Röszke and Tompa.")
    shot(hungary, "1-draft-form")
    hungary.click(".form-actions button[type=submit]")

    # then: the review shows who will be notified and the notice given
    hungary.wait_for_selector("#addressees-heading")
    assert hungary.inner_text("h1") == "Closure of the green border with Serbia"
    assert "8 days" in hungary.inner_text(".lead-time-figure")
    assert hungary.is_visible("text=This meets the regional target.")
    ticked = hungary.eval_on_selector_all(
        "input[name=addressees]:checked", "boxes => boxes.map(b => b.value).sort()"
    )
    assert {"RS", "HR", "RCC"} <= set(ticked)
    shot(hungary, "2-review")

    # when: notify
    hungary.click(".notify-panel button[type=submit]")
    hungary.wait_for_selector("#addressees-heading")
    # then
    measure = Measure.objects.get()
    assert measure.status == MeasureStatus.NOTIFIED
    assert hungary.url == f"{site}/measures/{measure.pk}/"
    assert f"notified to {len(ticked)} addressees" in hungary.inner_text("main")
    shot(hungary, "3-notified")
    assert_clean(hungary, hungary_log, site)

    # when: Serbia opens its inbox and acknowledges with a question
    serbia_context, serbia, serbia_log = sign_in(chromium, site, "ana.petrovic")
    serbia.goto(f"{site}/measures/inbox/")
    # then
    item = serbia.locator(".inbox-item", has_text="Closure of the green border with Serbia")
    assert item.count() == 1
    assert "from Hungary to Serbia" in item.inner_text()
    shot(serbia, "4-inbox")
    item.locator("textarea[name=comment]").fill("Will the Horgoš–Röszke crossing stay open for trucks?")
    item.locator("button[type=submit]").click()
    serbia.wait_for_selector("text=Nothing awaits your acknowledgement.")
    # then
    ack = Acknowledgement.objects.get()
    assert ack.recipient.participant.code == "RS"
    assert ack.comment == "Will the Horgoš–Röszke crossing stay open for trucks?"
    shot(serbia, "5-inbox-after")

    # when: Serbia reads the measure's page, the region's timeline and the compliance page
    serbia.goto(f"{site}/measures/{measure.pk}/")
    assert "Acknowledged by Serbia" in serbia.inner_text(".history")
    shot(serbia, "6-measure-as-serbia")
    serbia.goto(f"{site}/measures/")
    serbia.wait_for_selector("#measures-timeline[data-rendered]", timeout=30_000)
    assert serbia.get_attribute("#measures-timeline", "data-rendered") == "true"
    assert serbia.locator("#measures-timeline svg g.mark-rect.role-mark path").count() >= 1
    shot(serbia, "7-timeline")
    serbia.goto(f"{site}/measures/compliance/")
    assert "Hungary" in serbia.inner_text("table.compliance")
    shot(serbia, "8-compliance")
    serbia.goto(f"{site}/outbox/")
    assert "Closure of the green border with Serbia" in serbia.inner_text("table")
    shot(serbia, "8b-deliveries")
    assert_clean(serbia, serbia_log, site)

    # when: Hungary's page shows the acknowledgement with the question
    hungary.goto(f"{site}/measures/{measure.pk}/")
    # then
    assert "Will the Horgoš–Röszke crossing stay open for trucks?" in hungary.inner_text("main")
    shot(hungary, "9-measure-acknowledged")
    assert Notification.objects.count() == 1
    assert_clean(hungary, hungary_log, site)
    hungary_context.close()
    serbia_context.close()


def test_webhook_endpoint_secret_is_shown_once(site, chromium, region):
    # given: a dead letter of an earlier endpoint, to send again
    old = WebhookEndpoint.objects.create(
        participant=Participant.objects.get(code="RS"),
        url="https://old-gateway.example.rs/cap",
        secret_encrypted=seal("whsec_old"),
        secret_hint="whsec_old",
    )
    Delivery.objects.create(
        participant=old.participant, channel="webhook", endpoint=old, topic="measures",
        event="measure.notified", subject_type="measures.notification", subject_id="1",
        subject="[seemix] HU: Closure of the green border with Serbia", status="dead", attempts=8,
        last_error="HTTP 503 Service Unavailable",
    )  # fmt: skip
    context, tab, recorder = sign_in(chromium, site, "ana.petrovic")
    # when
    tab.goto(f"{site}/outbox/webhooks/")
    tab.fill("#id_url", "https://mup.example.rs/seemix/cap")
    tab.fill("#id_description", "National alerting gateway")
    tab.click(".measure-form button[type=submit]")
    # then
    tab.wait_for_selector("#webhook-secret")
    secret = tab.inner_text("#webhook-secret")
    assert secret.startswith("whsec_")
    shot(tab, "10-webhook-secret")
    tab.click("text=I have stored the secret")
    tab.wait_for_selector("table")
    assert secret not in tab.content()
    shot(tab, "11-webhooks")
    tab.goto(f"{site}/outbox/")
    # then: the dead letter is offered for sending again (sending is tested without a browser: the
    # immediate task backend would post from the live server's request thread)
    assert tab.inner_text("#dead-heading") == "Dead letters (1)"
    assert tab.locator(".delivery-dead button", has_text="Send again").count() == 1
    shot(tab, "12-deliveries")
    assert_clean(tab, recorder, site)
    context.close()


def _past_measure(
    issuer: str,
    title: str,
    type_: str,
    sections: tuple[str, ...],
    notified: str,
    start: str,
    end: str | None,
    path: str = "immediate",
    nationalities: tuple[str, ...] = (),
) -> Measure:
    """A measure of 2015-16 as it happened: notified, in force, and lifted when ``end`` is given."""
    from datetime import datetime

    from seemix.measures import services
    from seemix.measures.inputs import MeasureData

    at = {name: datetime.fromisoformat(value) for name, value in (("notified", notified), ("start", start))}
    measure = services.create_measure(
        actor=None,
        issuer=Participant.objects.get(code=issuer),
        data=MeasureData(
            type=type_, title=title, description=title, planned_start=at["start"], path=path,
            immediate_justification="Mass influx" if path == "immediate" else "",
            border_sections=sections, nationalities=nationalities,
        ),
    )  # fmt: skip
    services.notify_measure(measure, actor=None, now=at["notified"])
    services.bring_into_force(measure, actor=None, at=at["start"], now=at["start"])
    if end:
        services.lift_measure(
            measure, actor=None, at=datetime.fromisoformat(end), now=datetime.fromisoformat(end)
        )
    return measure


def test_the_timeline_and_compliance_of_2015_16(site, chromium, region):
    # given: five measures of the route's closure, with the little notice they had
    _past_measure(
        "HU",
        "Closure of the border with Serbia",
        "closure",
        ("HU-RS",),
        "2015-09-14T18:00+02:00",
        "2015-09-15T00:00+02:00",
        None,
    )
    _past_measure(
        "HU",
        "Closure of the border with Croatia",
        "closure",
        ("HR-HU",),
        "2015-10-16T20:00+02:00",
        "2015-10-17T00:00+02:00",
        None,
    )
    _past_measure(
        "MK",
        "Entry only for Syrian, Afghan and Iraqi nationals",
        "entry_restriction",
        ("GR-MK",),
        "2015-11-18T12:00+01:00",
        "2015-11-19T00:00+01:00",
        "2016-02-21T00:00+01:00",
        nationalities=("SY", "AF", "IQ"),
    )
    _past_measure(
        "AT",
        "Daily cap of 80 asylum applications and 3,200 transits",
        "procedure",
        ("AT-SI",),
        "2016-02-12T10:00+01:00",
        "2016-02-19T08:00+01:00",
        None,
        path="planned",
    )
    _past_measure("SI", "Entry only with valid documents: closure of the route", "entry_restriction",
                  ("HR-SI",), "2016-03-08T22:00+01:00", "2016-03-09T00:00+01:00", None)  # fmt: skip
    context, tab, recorder = sign_in(chromium, site, "ana.petrovic")
    # when
    tab.goto(f"{site}/measures/?start=2015-09-01&end=2016-04-30")
    tab.wait_for_selector("#measures-timeline[data-rendered]", timeout=30_000)
    # then
    assert tab.get_attribute("#measures-timeline", "data-rendered") == "true"
    assert tab.locator("#measures-timeline svg g.mark-rect.role-mark path").count() == 5 + 5
    labels = tab.eval_on_selector_all(
        "#measures-timeline svg g.role-axis-label text", "texts => texts.map(t => t.textContent)"
    )
    assert "HU · Closure of the border with Serbia" in labels
    shot(tab, "13-timeline-2015-16")
    # when
    tab.goto(f"{site}/measures/compliance/")
    # then
    rows = tab.locator("table.compliance tbody tr")
    assert rows.count() == 4
    assert "0/2" in rows.filter(has_text="Hungary").inner_text()
    shot(tab, "14-compliance-2015-16")
    assert_clean(tab, recorder, site)
    context.close()
