"""Template filters the pages share."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (a lockout of 14.5 minutes is announced as 15)."""
    if value is None:
        return 0
    seconds = int(value.total_seconds())
    return -(-seconds // 60)
