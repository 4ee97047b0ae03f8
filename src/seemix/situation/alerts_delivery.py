"""Who hears of an alert, and the messages the outbox sends them.

An alert goes through the outbox (its Delivery rows: email, webhook, in-app inbox), like a measure's
notification. Its recipients are:

- the participant it is about (its data, its site, its measure), if any;
- the participants of the countries it concerns, for an alert about a border section;
- the participants subscribed to measures (measures' ``Subscription``) for every country, or for
  the alert's country or one of its border section's countries.

A RESTRICTED alert (derived from RESTRICTED figures) goes only to those of them who may read it: its
participant and its audience. The email carries the title and detail, which the rules write from
the figures the recipient may read.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from seemix.core.classification import Classification
from seemix.directory.models import ContactTopic, Participant
from seemix.measures.models import Subscription
from seemix.outbox.services import ALL_CHANNELS, OutgoingMessage
from seemix.situation.models import AlertKind, SituationAlert

EVENT = "situation.alert"
# Alerts about measures go to the measures' contact points; the others to those of flows.
MEASURE_KINDS = {AlertKind.SHORT_LEAD_TIME, AlertKind.UNACKNOWLEDGED}


def alert_countries(alert: SituationAlert) -> set[str]:
    countries = {alert.country_id} if alert.country_id else set()
    if alert.border_section is not None:
        countries.update(alert.border_section.country_codes)
    return countries


def alert_url(alert: SituationAlert) -> str:
    return f"{settings.SEEMIX_BASE_URL}/situation/alerts/?date={alert.day.isoformat()}#alert-{alert.pk}"


def recipients(alert: SituationAlert) -> list[Participant]:
    countries = alert_countries(alert)
    wanted = Q(pk=alert.participant_id) if alert.participant_id else Q(pk__in=[])
    wanted |= Q(code__in=countries)
    subscribed = [
        s.participant_id
        for s in Subscription.objects.only("participant_id", "countries")
        if not s.countries or countries & set(s.countries)
    ]
    wanted |= Q(pk__in=subscribed)
    people = Participant.objects.filter(wanted, is_active=True)
    if alert.classification == Classification.RESTRICTED:
        allowed = {p.pk for p in alert.audience.all()}
        if alert.participant_id:
            allowed.add(alert.participant_id)
        people = people.filter(pk__in=allowed)
    return list(people.order_by("code"))


def _body(alert: SituationAlert) -> str:
    lines = [
        _("A situation alert was raised for %(day)s:") % {"day": alert.day.isoformat()},
        "",
        alert.title,
    ]
    if alert.detail:
        lines += ["", alert.detail]
    lines += ["", alert_url(alert)]
    return "\n".join(lines)


def alert_messages(alert: SituationAlert) -> list[OutgoingMessage]:
    topic = ContactTopic.MEASURES if alert.kind in MEASURE_KINDS else ContactTopic.FLOWS
    payload = json.dumps(
        {
            "event": EVENT,
            "alert": alert.pk,
            "kind": alert.kind,
            "key": alert.key,
            "day": alert.day.isoformat(),
            "title": alert.title,
            "detail": alert.detail,
            "country": alert.country_id,
            "classification": alert.classification,
            "evidence": alert.evidence,
            "url": alert_url(alert),
        }
    )
    subject = (_("[seemix] Alert: %(title)s") % {"title": alert.title})[:300]
    return [
        OutgoingMessage(
            participant=participant,
            topic=topic,
            event=EVENT,
            subject_type="situation.alert",
            subject_id=str(alert.pk),
            subject=subject,
            body=_body(alert),
            payload=payload,
            content_type="application/json",
            channels=ALL_CHANNELS,
        )
        for participant in recipients(alert)
    ]
