"""Subscriptions: a participant asks to be an addressee of measures (all, or of some countries)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal, require_role
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import Participant, Role
from seemix.gazetteer.models import Country
from seemix.gazetteer.validation import normalise_code
from seemix.measures.models import Subscription


def subscribe(
    participant: Participant, *, actor: Principal | None, countries: Iterable[str] = ()
) -> Subscription:
    """Create or replace ``participant``'s subscription (no countries: every measure)."""
    if actor is not None:
        require_role(actor, participant.pk, Role.COORDINATOR)
    wanted = sorted({normalise_code(c) for c in countries})
    unknown = sorted(
        set(wanted) - set(Country.objects.filter(code__in=wanted).values_list("code", flat=True))
    )
    if unknown:
        raise InvalidInput(
            FieldError("countries", _("Unknown countries: %(c)s.") % {"c": ", ".join(unknown)})
        )
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            participant=participant,
            defaults={"countries": wanted, "created_by": actor.user if actor else None},
        )
        before = subscription.countries
        if not created:
            subscription.countries = wanted
            subscription.save(update_fields=["countries", "updated_at"])
        audit.record(
            actor,
            "measures.subscribed",
            subscription,
            participant_code=participant.code,
            changes={"countries": [None if created else before, wanted]},
        )
    return subscription


def unsubscribe(participant: Participant, *, actor: Principal | None) -> None:
    if actor is not None:
        require_role(actor, participant.pk, Role.COORDINATOR)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(participant=participant).first()
        if subscription is None:
            return
        audit.record(
            actor,
            "measures.unsubscribed",
            subscription,
            participant_code=participant.code,
            changes={"countries": subscription.countries},
        )
        subscription.delete()
