"""Participants of the platform: create, change, deactivate, and load the seed file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import Participant
from seemix.directory.services._common import raise_if, require_admin, text_errors
from seemix.directory.validation import (
    kind_errors,
    participant_code_errors,
)

PARTICIPANTS_FILE = Path(__file__).resolve().parent.parent / "data" / "participants.json"


def create_participant(*, actor: Principal | None, code: str, name: str, kind: str) -> Participant:
    require_admin(actor)
    code, name = code.strip(), name.strip()
    errors = (
        kind_errors(kind)
        + participant_code_errors(code, kind)
        + text_errors(name, "name", 200, _("Give the name."))
    )
    if not errors and Participant.objects.filter(code=code).exists():
        errors.append(
            FieldError(
                "code",
                _("A participant with the code '%(code)s' exists already.") % {"code": code},
                "duplicate",
            )
        )
    raise_if(errors)
    try:
        with transaction.atomic():
            participant = Participant.objects.create(code=code, name=name, kind=kind)
            audit.record(
                actor,
                "participant.created",
                participant,
                participant_code=code,
                changes={"code": code, "name": name, "kind": kind},
            )
    except IntegrityError:
        # Another request made the same code between our check and our insert.
        raise InvalidInput(
            FieldError(
                "code",
                _("A participant with the code '%(code)s' exists already.") % {"code": code},
                "duplicate",
            )
        ) from None
    return participant


def update_participant(
    participant: Participant,
    *,
    actor: Principal | None,
    name: str | None = None,
    kind: str | None = None,
    is_active: bool | None = None,
) -> Participant:
    """Change name, kind or activity. The code never changes: audit rows and tokens cite it."""
    require_admin(actor)
    new: dict[str, Any] = {}
    errors: list[FieldError] = []
    if name is not None:
        new["name"] = name.strip()
        errors += text_errors(new["name"], "name", 200, _("Give the name."))
    if kind is not None:
        new["kind"] = kind
        errors += kind_errors(kind) or participant_code_errors(participant.code, kind, field="kind")
    if is_active is not None:
        new["is_active"] = is_active
    raise_if(errors)
    changes = audit.diff(participant, new)
    if not changes:
        return participant
    with transaction.atomic():
        for attr, value in new.items():
            setattr(participant, attr, value)
        participant.save(update_fields=list(changes))
        action = (
            "participant.deactivated" if changes.get("is_active") == [True, False] else "participant.updated"
        )
        audit.record(actor, action, participant, participant_code=participant.code, changes=changes)
    return participant


def deactivate_participant(participant: Participant, *, actor: Principal | None) -> Participant:
    """Its members lose their access through it at once; its history stays."""
    return update_participant(participant, actor=actor, is_active=False)


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_participants(*, actor: Principal | None = None, path: Path | None = None) -> LoadResult:
    """Create or bring up to date the participants of the seed file; running it again changes nothing."""
    rows = json.loads((path or PARTICIPANTS_FILE).read_text(encoding="utf-8"))["participants"]
    result = LoadResult()
    with transaction.atomic():
        existing = {p.code: p for p in Participant.objects.filter(code__in=[r["code"] for r in rows])}
        for row in rows:
            participant = existing.get(row["code"])
            if participant is None:
                create_participant(actor=actor, code=row["code"], name=row["name"], kind=row["kind"])
                result.created.append(row["code"])
            elif participant.name != row["name"] or participant.kind != row["kind"]:
                update_participant(participant, actor=actor, name=row["name"], kind=row["kind"])
                result.updated.append(row["code"])
            else:
                result.unchanged.append(row["code"])
    return result
