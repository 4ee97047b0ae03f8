"""Reading the picture's parameters (a day, an "as of" moment) from a query string, for API and pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

from seemix.core.errors import FieldError, InvalidInput


def parse_day(value: str | None, field: str = "date") -> date | None:
    """'2015-10-21' -> date; blank -> None; anything else is InvalidInput naming the field."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            FieldError(
                field, _("%(value)r is not a date: use YYYY-MM-DD, e.g. 2015-10-21.") % {"value": value}
            )
        ) from None


def parse_as_of(value: str | None, field: str = "as_of") -> datetime | None:
    """An ISO 8601 timestamp; without a zone it is read as UTC. A bare date means the end of that day."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.max.time())
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            FieldError(
                field,
                _("%(value)r is not a timestamp: use ISO 8601, e.g. 2015-10-22T08:00:00Z.")
                % {"value": value},
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
