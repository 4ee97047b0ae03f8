"""What every gazetteer service shares: the actor check, UNSET, saving only what changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import Any

from django.db import IntegrityError, transaction

from seemix.core import audit
from seemix.core.access import Principal, require_platform_admin
from seemix.core.errors import FieldError, InvalidInput
from seemix.gazetteer.validation import Errors


class Unset(Enum):
    UNSET = "unset"


UNSET = Unset.UNSET
Actor = Principal | None


def authorise(actor: Actor) -> None:
    if actor is not None:
        require_platform_admin(actor)


def save_changes(
    instance: Any, values: dict[str, Any], actor: Actor, action: str, **audit_kwargs: Any
) -> bool:
    """Apply the values that differ, save and audit them; False (nothing written) if none differ."""
    changes = audit.diff(instance, values)
    if not changes:
        return False
    for name in changes:
        setattr(instance, name, values[name])
    instance.save(update_fields=[*changes, "updated_at"])
    if "geometry" in changes:
        changes["geometry"] = "replaced"  # the audit row says that it changed, not the whole shape
    audit.record(actor, action, instance, changes=changes, **audit_kwargs)
    return True


def check_kind(errors: Errors, kind: str, choices: type[Enum], label: str) -> None:
    values = [c.value for c in choices]
    if kind not in values:
        errors.add("kind", f"{kind!r} is not a {label} kind: one of {', '.join(values)}.")


def check_period(errors: Errors, start: date | None, end: date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        errors.add(field, f"{end} is before {start}.")


@contextmanager
def writing(field: str, duplicate: str) -> Iterator[None]:
    """The write's transaction. A unique index that refuses a row the checks let through (two
    requests racing for one code) is reported on ``field`` as ``duplicate``, like the check's own
    answer, instead of as a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "unique" not in str(exc).lower():
            raise
        raise InvalidInput([FieldError(field, duplicate, "duplicate")]) from exc
