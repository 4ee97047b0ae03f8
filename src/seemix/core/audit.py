"""Write the audit row of a state change. Call it inside the change's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from seemix.core.access import Principal
from seemix.core.models import AuditEntry
from seemix.core.request_context import current_request_id

SYSTEM = "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    actor: Principal | Any | None,
    action: str,
    obj: models.Model | None = None,
    *,
    participant_code: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row. ``actor`` is a Principal, a user, or None for the system itself."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    if isinstance(actor, Principal):
        user, label = actor.user, actor.label()
    elif actor is None:
        user, label = None, SYSTEM
    else:
        user, label = actor, actor.get_username()
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label,
        participant_code=participant_code,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=_jsonable(changes or {}),
        request_id=current_request_id(),
    )


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for each field whose value changes."""
    out: dict[str, Any] = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out
