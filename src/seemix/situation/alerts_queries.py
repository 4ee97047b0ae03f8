"""Every read of alerts, for a principal: the one way in.

An alert is visible like the figures it comes from (core.access.visible_to): REGIONAL alerts to the
members of any participant, RESTRICTED ones to their participant and audience only. "As of" a time
T lists the alerts raised by T, each in the state it had at T (from its state changes).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from seemix.core.access import Principal, visible_to
from seemix.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from seemix.situation.models import AlertState, AlertStateChange, SituationAlert


def require_reader(principal: Principal) -> None:
    if not (principal.is_member or principal.is_platform_admin):
        raise Forbidden(_("Alerts are shared with the members of participants only."))


def alerts_visible_to(
    principal: Principal,
    *,
    day: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    state: str | None = None,
    country: str | None = None,
    as_of: dt.datetime | None = None,
) -> QuerySet[SituationAlert]:
    """The visible alerts, newest day first; with ``as_of`` each carries ``state`` as it was then."""
    require_reader(principal)
    alerts = visible_to(SituationAlert.objects.all(), principal)
    if as_of is not None:
        then = (
            AlertStateChange.objects.filter(alert=OuterRef("pk"), changed_at__lte=as_of)
            .order_by("-changed_at", "-pk")
            .values("new_state")[:1]
        )
        alerts = alerts.filter(raised_at__lte=as_of).annotate(state_then=Subquery(then))
    if state is not None:
        if state not in AlertState.values:
            raise InvalidInput(
                FieldError("state", _("Use one of %(states)s.") % {"states": ", ".join(AlertState.values)})
            )
        alerts = alerts.filter(**{"state_then" if as_of is not None else "state": state})
    if day is not None:
        alerts = alerts.filter(day=day)
    if date_from is not None:
        alerts = alerts.filter(day__gte=date_from)
    if date_to is not None:
        alerts = alerts.filter(day__lte=date_to)
    if country is not None:
        code = country.strip().upper()
        alerts = alerts.filter(
            Q(country_id=code) | Q(border_section__country_a_id=code) | Q(border_section__country_b_id=code)
        )
    return alerts.select_related("country", "border_section", "site", "participant").order_by(
        "-day", "-raised_at", "-pk"
    )


def state_of(alert: SituationAlert) -> str:
    """The alert's state in the view it was read in (as of a time, or now)."""
    return getattr(alert, "state_then", None) or alert.state


def alert_for(principal: Principal, pk: int) -> SituationAlert:
    try:
        return alerts_visible_to(principal).get(pk=pk)
    except SituationAlert.DoesNotExist:
        raise NotFound("alert", pk) from None
