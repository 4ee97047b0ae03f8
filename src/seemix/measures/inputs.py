"""What a measure says, as the API and the pages hand it to the services, and its validation.

``MeasureData`` is the one input of ``create_measure``, ``update_draft`` and ``update_measure``; a
partial change is the current data (``data_of(measure)``) with some fields replaced. ``check``
resolves the codes against the gazetteer and the directory and raises ``InvalidInput`` naming every
wrong field at once, before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows.nationalities import NATIONALITIES
from seemix.gazetteer.models import BorderSection, CrossingPoint
from seemix.gazetteer.validation import Errors, normalise_code
from seemix.measures.models import Measure, MeasureType, NotificationPath

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
TITLE_MAX = 300


@dataclass(frozen=True)
class MeasureData:
    type: str
    title: str
    description: str
    planned_start: datetime
    path: str = NotificationPath.PLANNED
    planned_end: datetime | None = None
    original_language: str = ""
    original_title: str = ""
    original_description: str = ""
    legal_basis: str = ""
    reasons: str = ""
    border_sections: tuple[str, ...] = ()
    crossing_points: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    categories_of_persons: str = ""
    persons_affected_per_day: int | None = None
    expected_of_others: str = ""
    immediate_justification: str = ""
    classification: str = Classification.REGIONAL
    # For a RESTRICTED measure: participants that may read it besides its issuer and addressees.
    audience: tuple[str, ...] = ()


@dataclass
class CheckedMeasure:
    """MeasureData with its codes resolved: what the services write."""

    data: MeasureData
    border_sections: list[BorderSection] = field(default_factory=list)
    crossing_points: list[CrossingPoint] = field(default_factory=list)
    audience: list[Participant] = field(default_factory=list)

    def field_values(self) -> dict[str, object]:
        d = self.data
        return {
            "type": d.type,
            "title": d.title.strip(),
            "description": d.description.strip(),
            "original_language": d.original_language,
            "original_title": d.original_title.strip(),
            "original_description": d.original_description.strip(),
            "legal_basis": d.legal_basis.strip(),
            "reasons": d.reasons.strip(),
            "nationalities": sorted({normalise_code(c) for c in d.nationalities}),
            "categories_of_persons": d.categories_of_persons.strip(),
            "planned_start": d.planned_start,
            "planned_end": d.planned_end,
            "persons_affected_per_day": d.persons_affected_per_day,
            "expected_of_others": d.expected_of_others.strip(),
            "path": d.path,
            "immediate_justification": d.immediate_justification.strip(),
            "classification": d.classification,
        }


def data_of(measure: Measure) -> MeasureData:
    """The measure's current content as MeasureData (the base of a partial change)."""
    return MeasureData(
        type=measure.type,
        title=measure.title,
        description=measure.description,
        planned_start=measure.planned_start,
        path=measure.path,
        planned_end=measure.planned_end,
        original_language=measure.original_language,
        original_title=measure.original_title,
        original_description=measure.original_description,
        legal_basis=measure.legal_basis,
        reasons=measure.reasons,
        border_sections=tuple(s.code for s in measure.border_sections.order_by("code")),
        crossing_points=tuple(p.code for p in measure.crossing_points.order_by("code")),
        nationalities=tuple(measure.nationalities),
        categories_of_persons=measure.categories_of_persons,
        persons_affected_per_day=measure.persons_affected_per_day,
        expected_of_others=measure.expected_of_others,
        immediate_justification=measure.immediate_justification,
        classification=measure.classification,
        audience=tuple(p.code for p in measure.audience.order_by("code")),
    )


def _check_text(
    errors: Errors, name: str, value: str, *, required: bool, max_length: int | None = None
) -> None:
    if required and not value.strip():
        errors.add(name, _("This field is required."), "required")
    elif max_length is not None and len(value.strip()) > max_length:
        errors.add(name, _("At most %(n)d characters.") % {"n": max_length}, "too_long")


def _section_key(code: str) -> str:
    parts = normalise_code(code).split("-")
    return "-".join(sorted(parts)) if len(parts) == 2 else normalise_code(code)


def check(data: MeasureData) -> CheckedMeasure:
    """Validate every field; InvalidInput naming each wrong one, or the resolved measure."""
    errors = Errors()
    if data.type not in MeasureType.values:
        errors.add(
            "type", _("Choose one of: %(v)s.") % {"v": ", ".join(MeasureType.values)}, "invalid_choice"
        )
    _check_text(errors, "title", data.title, required=True, max_length=TITLE_MAX)
    _check_text(errors, "description", data.description, required=True)
    _check_text(errors, "original_title", data.original_title, required=False, max_length=TITLE_MAX)
    if data.original_language and not LANGUAGE_CODE.match(data.original_language):
        errors.add("original_language", _("Use an ISO 639-1 code such as hu or sr-Latn."))
    if (data.original_title or data.original_description) and not data.original_language:
        errors.add("original_language", _("Name the language of the original text."), "required")
    if data.path not in NotificationPath.values:
        errors.add("path", _("Choose planned or immediate."), "invalid_choice")
    elif data.path == NotificationPath.IMMEDIATE and not data.immediate_justification.strip():
        errors.add(
            "immediate_justification",
            _("The immediate path needs the reason that made prior notice impossible."),
            "required",
        )
    if data.classification not in Classification.values:
        errors.add("classification", _("Choose public, regional or restricted."), "invalid_choice")
    for name in ("planned_start", "planned_end"):
        value = getattr(data, name)
        if value is not None and timezone.is_naive(value):
            errors.add(name, _("Give a time zone (e.g. 2015-09-15T00:00:00+02:00)."))
    if (
        data.planned_end is not None
        and not errors.has("planned_end")
        and not errors.has("planned_start")
        and data.planned_end < data.planned_start
    ):
        errors.add("planned_end", _("The end is before the start."))
    if data.persons_affected_per_day is not None and data.persons_affected_per_day < 0:
        errors.add("persons_affected_per_day", _("Must not be negative."))
    unknown = sorted({normalise_code(c) for c in data.nationalities} - set(NATIONALITIES))
    if unknown:
        errors.add("nationalities", _("Not ISO 3166-1 alpha-2 codes: %(c)s.") % {"c": ", ".join(unknown)})

    wanted_sections = {_section_key(c) for c in data.border_sections}
    sections = list(BorderSection.objects.filter(code__in=wanted_sections).order_by("code"))
    missing = sorted(wanted_sections - {s.code for s in sections})
    if missing:
        errors.add("border_sections", _("Unknown border sections: %(c)s.") % {"c": ", ".join(missing)})
    wanted_points = {normalise_code(c) for c in data.crossing_points}
    points = list(CrossingPoint.objects.filter(code__in=wanted_points).order_by("code"))
    missing = sorted(wanted_points - {p.code for p in points})
    if missing:
        errors.add("crossing_points", _("Unknown crossing points: %(c)s.") % {"c": ", ".join(missing)})
    wanted_audience = {normalise_code(c) for c in data.audience}
    audience = list(Participant.objects.filter(code__in=wanted_audience, is_active=True).order_by("code"))
    missing = sorted(wanted_audience - {p.code for p in audience})
    if missing:
        errors.add("audience", _("Unknown participants: %(c)s.") % {"c": ", ".join(missing)})
    errors.raise_if_any()
    return CheckedMeasure(data, sections, points, audience)
