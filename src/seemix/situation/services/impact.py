"""Impact levels of border sections (EUROSUR: low, medium, high, critical): computed and set by hand.

The rules (docs/situation.md, "Impact levels", says the same for readers). For a border section and
a day, four factors each give a level; the section's level is the highest of them, raised to
critical when two or more factors are high or critical:

- flow: the day's flow across the section (both directions, as the picture counts it) against its
  baseline, the median of the daily flows of the 14 days before (at least 7 days with a figure).
  ratio >= 3 -> high, >= 1.5 -> medium, provided the flow is at least 100 persons above the
  baseline (a jump from 10 to 40 people is not an event at a border); no baseline -> no level.
- stranded persons at the section (both sides): >= 5,000 critical, >= 1,000 high, >= 100 medium.
- measures in force covering the section (directly or through one of its crossing points): a
  closure -> high; any other reintroduced control, entry restriction, barrier or new procedure
  -> medium.
- incidents: the platform records none yet (the incident layer is a later domain), so this factor
  never fires; the evidence says so.

Computed levels read only PUBLIC and REGIONAL figures and measures, so that a level every member
sees never reveals a RESTRICTED figure. A level set by hand by a coordinator of one of the
section's two countries, with a reason, wins over computed ones of the same day; a later
computation records nothing for a day that has a manual level.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Grant, Principal
from seemix.core.errors import FieldError, Forbidden, InvalidInput
from seemix.directory.models import Participant, Role
from seemix.gazetteer.models import BorderSection
from seemix.measures.models import MeasureType
from seemix.situation import picture, picture_data
from seemix.situation.models import AssessmentSource, ImpactAssessment, ImpactLevel

BASELINE_DAYS = 14
BASELINE_MIN_DAYS = 7
RATIO_HIGH = 3.0
RATIO_MEDIUM = 1.5
MIN_EXCESS = 100
STRANDED_CRITICAL, STRANDED_HIGH, STRANDED_MEDIUM = 5000, 1000, 100
RESTRICTIVE_TYPES = {
    MeasureType.BORDER_CONTROL,
    MeasureType.ENTRY_RESTRICTION,
    MeasureType.BARRIER,
    MeasureType.PROCEDURE,
}
ORDER = [ImpactLevel.LOW, ImpactLevel.MEDIUM, ImpactLevel.HIGH, ImpactLevel.CRITICAL]


def rank(level: str) -> int:
    return ORDER.index(ImpactLevel(level))


@dataclass
class Assessment:
    level: str
    reasons: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) if self.reasons else _("no rule fired")


def assess(
    *, flow: int | None, baseline: float | None, stranded: int | None, measure_types: list[str]
) -> Assessment:
    """The level the rules give (see the module's docstring)."""
    factors: list[tuple[str, str]] = []
    if flow is not None and baseline is not None and baseline > 0 and flow - baseline >= MIN_EXCESS:
        ratio = flow / baseline
        if ratio >= RATIO_HIGH:
            factors.append(
                (ImpactLevel.HIGH, _("flow %(ratio).1f times the 14-day baseline") % {"ratio": ratio})
            )
        elif ratio >= RATIO_MEDIUM:
            factors.append(
                (ImpactLevel.MEDIUM, _("flow %(ratio).1f times the 14-day baseline") % {"ratio": ratio})
            )
    if stranded is not None:
        for threshold, level in ((STRANDED_CRITICAL, ImpactLevel.CRITICAL), (STRANDED_HIGH, ImpactLevel.HIGH),
                                 (STRANDED_MEDIUM, ImpactLevel.MEDIUM)):  # fmt: skip
            if stranded >= threshold:
                factors.append((level, _("%(count)d persons stranded") % {"count": stranded}))
                break
    if MeasureType.CLOSURE in measure_types:
        factors.append((ImpactLevel.HIGH, _("a closure in force")))
    elif RESTRICTIVE_TYPES & set(measure_types):
        factors.append((ImpactLevel.MEDIUM, _("a restrictive measure in force")))
    level = max((f[0] for f in factors), key=rank, default=ImpactLevel.LOW)
    if sum(1 for f in factors if rank(f[0]) >= rank(ImpactLevel.HIGH)) >= 2:
        level = ImpactLevel.CRITICAL
    evidence = {
        "flow": flow,
        "baseline": baseline,
        "stranded": stranded,
        "measures_in_force": sorted(measure_types),
        "incidents": None,  # no incident layer yet: the factor cannot fire
    }
    return Assessment(str(level), [f[1] for f in factors], evidence)


def regional_reader() -> Principal:
    """A principal that reads what every member reads (PUBLIC and REGIONAL), nothing RESTRICTED."""
    return Principal(user=None, grants=frozenset({Grant(-1, "", Role.ANALYST)}))


def compute_levels(day: date) -> dict[str, Assessment]:
    """{section code: Assessment} for ``day`` by the rules, from the regional figures and measures."""
    reader = regional_reader()
    start = day - timedelta(days=BASELINE_DAYS)
    found = picture_data.figures(reader, start, day)
    by_day: dict[date, dict[picture_data.FigureKey, int]] = defaultdict(dict)
    for key, value in found.items():
        by_day[key.day][key] = value
    points = picture_data.crossing_points()
    point_section = {p.pk: p.border_section_id for p in points}
    point_country, site_country = picture_data.place_countries()
    sections = list(BorderSection.objects.order_by("code"))
    edges = picture_data.route_edges_between(start, day)
    measures = picture_data.measures_on(reader, day, as_of=None)
    flows: dict[str, dict[date, int | None]] = defaultdict(dict)
    stranded: dict[str, int | None] = {}
    in_force: dict[str, list[str]] = {}
    for offset in range(BASELINE_DAYS + 1):
        one_day = start + timedelta(days=offset)
        figures = by_day.get(one_day, {})
        countries = {c: picture.CountryFigures(c, c, False) for c in {k.country for k in figures}}
        picture._country_figures(countries, figures)
        in_use = [e for e in edges if picture_data.edge_in_use(e, one_day)]
        pairs = picture._country_pairs(in_use, point_country, site_country)
        for section in sections:
            shown = picture._section(
                section, figures, point_section, pairs, countries, measures, None, points
            )
            flows[section.code][one_day] = shown.flow
            if one_day == day:
                stranded[section.code] = shown.stranded
                in_force[section.code] = [m.type for m in shown.measures_in_force]
    out = {}
    for section in sections:
        series = flows[section.code]
        history = [series.get(start + timedelta(days=i)) for i in range(BASELINE_DAYS)]
        known = [v for v in history if v is not None]
        baseline = statistics.median(known) if len(known) >= BASELINE_MIN_DAYS else None
        out[section.code] = assess(
            flow=series.get(day), baseline=baseline, stranded=stranded.get(section.code),
            measure_types=in_force.get(section.code, []),
        )  # fmt: skip
    return out


def assess_impact_levels(day: date, *, actor: Principal | None = None) -> list[ImpactAssessment]:
    """Record the computed level of every border section for ``day``, in one transaction with one
    audit row each. Skips a section that has a manual level that day, and one whose newest computed
    level of the day already says the same (running it twice records nothing new)."""
    computed = compute_levels(day)
    now = timezone.now()
    recorded = []
    sections = {s.code: s for s in BorderSection.objects.all()}
    with transaction.atomic():
        existing: dict[int, list[ImpactAssessment]] = defaultdict(list)
        for row in ImpactAssessment.objects.filter(day=day).order_by("created_at", "pk"):
            existing[row.border_section_id].append(row)
        for code, assessment in sorted(computed.items()):
            section = sections[code]
            rows = existing[section.pk]
            if any(r.source == AssessmentSource.MANUAL for r in rows):
                continue
            if rows and rows[-1].level == assessment.level and rows[-1].evidence == assessment.evidence:
                continue
            row = ImpactAssessment.objects.create(
                border_section=section, day=day, level=assessment.level, source=AssessmentSource.COMPUTED,
                reason=assessment.reason, evidence=assessment.evidence, created_at=now,
            )  # fmt: skip
            audit.record(actor, "situation.impact_computed", row,
                         changes={"level": assessment.level, "day": day.isoformat()})  # fmt: skip
            recorded.append(row)
    return recorded


def responsible_participant(principal: Principal, section: BorderSection) -> Participant:
    """The participant (one of the section's two countries) for which the principal is coordinator."""
    for grant in sorted(principal.grants, key=lambda g: g.participant_code):
        if grant.participant_code in section.country_codes and grant.role == Role.COORDINATOR:
            return Participant.objects.get(pk=grant.participant_id)
    raise Forbidden(
        _("Only a coordinator of %(a)s or %(b)s sets the impact level of this border section.")
        % {"a": section.country_a_id, "b": section.country_b_id}
    )


def set_impact_level(
    section: BorderSection, *, day: date, level: str, reason: str, actor: Principal
) -> ImpactAssessment:
    """Set a section's level for a day by hand, with the reason kept; one audit row."""
    participant = responsible_participant(actor, section)
    errors = []
    if level not in ImpactLevel.values:
        errors.append(
            FieldError("level", _("Use one of %(levels)s.") % {"levels": ", ".join(ImpactLevel.values)})
        )
    if not reason.strip():
        errors.append(FieldError("reason", _("Give the reason for the level: it is kept with it.")))
    if day > timezone.localdate() + timedelta(days=1):
        errors.append(FieldError("day", _("A level is set for a day that has begun, not for %(day)s.")
                                 % {"day": day.isoformat()}))  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = ImpactAssessment.objects.create(
            border_section=section, day=day, level=level, source=AssessmentSource.MANUAL,
            reason=reason.strip(), participant=participant, created_by=actor.user, created_at=timezone.now(),
        )  # fmt: skip
        audit.record(actor, "situation.impact_set", row, participant_code=participant.code,
                     changes={"level": level, "day": day.isoformat(), "reason": reason.strip()})  # fmt: skip
    return row


def impact_history(
    section: BorderSection, *, date_from: date | None = None, date_to: date | None = None,
    as_of: datetime | None = None,
) -> list[ImpactAssessment]:  # fmt: skip
    """Every assessment of the section, newest day first, newest record first within a day."""
    rows = ImpactAssessment.objects.filter(border_section=section).select_related(
        "border_section", "participant", "created_by"
    )
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    if as_of is not None:
        rows = rows.filter(created_at__lte=as_of)
    return list(rows.order_by("-day", "-created_at", "-pk"))
