"""Checks of directory input that services share: codes, languages, phones, participant look-ups.

Each check returns the FieldErrors it finds (empty when the value is fine), so a service can
collect all of them and report every wrong field at once, before it writes anything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from seemix.core.errors import FieldError
from seemix.directory.codes import ISO_639_1, ISO_3166_ALPHA2
from seemix.directory.models import STATE_KINDS, Participant, ParticipantKind, Role

ORGANISATION_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,15}$")
# International format, so that a neighbour can dial it as written: +381 11 123 4567.
PHONE = re.compile(r"^\+[0-9][0-9 ()./-]{5,38}$")
MIN_PHONE_DIGITS = 7


def participant_code_errors(code: str, kind: str, field: str = "code") -> list[FieldError]:
    if kind not in ParticipantKind.values:
        return []  # the kind's own error says it; a code can't be judged without a kind
    if kind in STATE_KINDS:
        if code not in ISO_3166_ALPHA2:
            return [
                FieldError(
                    field,
                    _("'%(code)s' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo).")
                    % {"code": code},
                )
            ]
        return []
    if not ORGANISATION_CODE.match(code):
        return [
            FieldError(
                field,
                _(
                    "'%(code)s' is not a valid organisation code: 3 to 16 capital letters or digits, "
                    "starting with a letter, e.g. FRONTEX, IOM, RCC."
                )
                % {"code": code},
            )
        ]
    return []


def kind_errors(kind: str, field: str = "kind") -> list[FieldError]:
    if kind in ParticipantKind.values:
        return []
    return [
        FieldError(
            field,
            _("'%(kind)s' is not a participant kind: one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(ParticipantKind.values)},
        )
    ]


def role_errors(role: str, field: str = "role") -> list[FieldError]:
    if role in Role.values:
        return []
    return [
        FieldError(
            field,
            _("'%(role)s' is not a role: one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)},
        )
    ]


def suggest_codes(code: str, limit: int = 3) -> list[str]:
    """Participant codes the user probably meant: 'Serbia', 'SRB' and 'serb' all give ['RS'].

    Tiers, the first that finds anything wins: the name itself, a name's beginning, a close code,
    a close name.
    """
    rows = list(Participant.objects.values_list("code", "name"))
    wanted = code.strip().upper()
    if not wanted:
        return []
    by_name = {name.upper(): c for c, name in rows}
    tiers = [
        [c for name, c in by_name.items() if name == wanted],
        [c for name, c in by_name.items() if name.startswith(wanted)],
        difflib.get_close_matches(wanted, [c for c, _ in rows], n=limit, cutoff=0.6),
        [by_name[n] for n in difflib.get_close_matches(wanted, list(by_name), n=limit, cutoff=0.6)],
    ]
    for tier in tiers:
        if tier:
            return sorted(set(tier))[:limit]
    return []


def unknown_participant_error(code: str, field: str) -> FieldError:
    suggestions = suggest_codes(code)
    message = _("No participant has the code '%(code)s'.") % {"code": code}
    if suggestions:
        or_ = " " + _("or") + " "
        message += " " + _("Did you mean %(codes)s?") % {"codes": or_.join(f"'{s}'" for s in suggestions)}
    return FieldError(field, message, code="unknown")


def find_participants(
    codes: Iterable[str], field: str, *, active_only: bool = True
) -> tuple[list[Participant], list[FieldError]]:
    """The participants with these codes, and an error for each code that names none."""
    wanted = list(dict.fromkeys(codes))
    found = {p.code: p for p in Participant.objects.filter(code__in=wanted)}
    errors: list[FieldError] = []
    participants: list[Participant] = []
    for code in wanted:
        participant = found.get(code)
        if participant is None:
            errors.append(unknown_participant_error(code, field))
        elif active_only and not participant.is_active:
            errors.append(
                FieldError(
                    field, _("The participant %(code)s is deactivated.") % {"code": code}, code="inactive"
                )
            )
        else:
            participants.append(participant)
    return participants, errors


def email_errors(email: str, field: str = "email") -> list[FieldError]:
    if not email:
        return []
    try:
        validate_email(email)
    except ValidationError:
        return [FieldError(field, _("'%(email)s' is not a valid email address.") % {"email": email})]
    return []


def phone_errors(phone: str, field: str = "phone") -> list[FieldError]:
    if not phone:
        return []
    if not PHONE.match(phone) or sum(ch.isdigit() for ch in phone) < MIN_PHONE_DIGITS:
        return [
            FieldError(
                field,
                _("'%(phone)s' is not a phone number in international format, e.g. +381 11 123 4567.")
                % {"phone": phone},
            )
        ]
    return []


def normalise_languages(
    languages: Iterable[str], field: str = "languages"
) -> tuple[list[str], list[FieldError]]:
    """Lower-cased ISO 639-1 codes in the given order without repeats, and an error per unknown code."""
    if isinstance(languages, str):
        return [], [FieldError(field, _("Give a list of ISO 639-1 codes, e.g. ['sr', 'en']."))]
    out: list[str] = []
    errors: list[FieldError] = []
    for raw in languages:
        code = str(raw).strip().lower()
        if code not in ISO_639_1:
            errors.append(
                FieldError(
                    field,
                    _("'%(code)s' is not an ISO 639-1 language code (two letters, e.g. 'sr', 'en').")
                    % {"code": raw},
                )
            )
        elif code not in out:
            out.append(code)
    return out, errors
