"""Template filters of the measures pages: durations such as lead times and time left."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _parts(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours and days < 14:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and (minutes or not hours):
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


@register.filter
def duration(value: timedelta | None) -> str:
    """'8 days', '1 day 6 hours', '45 minutes'; a negative one reads '3 days after the fact'."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 0:
        return _("%(span)s after the fact") % {"span": _parts(-seconds)}
    return _parts(seconds)


@register.filter
def time_left(deadline: datetime | None) -> str:
    """'5 hours left' or '2 hours overdue' until ``deadline``."""
    if deadline is None:
        return ""
    seconds = int((deadline - timezone.now()).total_seconds())
    if seconds < 0:
        return _("%(span)s overdue") % {"span": _parts(-seconds)}
    return _("%(span)s left") % {"span": _parts(seconds)}


@register.filter
def is_past(value: datetime | None) -> bool:
    return value is not None and value < timezone.now()


@register.filter
def days(value: timedelta | None) -> str:
    """A duration in days with one decimal, for tables ('7.5'); '—' for none."""
    if value is None:
        return "—"
    return f"{value.total_seconds() / 86400:.1f}"


@register.filter
def hours_as_days(value: float | None) -> str:
    """Hours as days with one decimal ('-1.5' for a measure notified after the fact); '—' for none."""
    if value is None:
        return "—"
    return f"{value / 24:.1f}"
