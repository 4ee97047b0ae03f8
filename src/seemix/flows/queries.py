"""Every read of reports, revisions and observations, for a principal: the one way in.

Visibility is decided per revision by its classification and audience (core.access.visible_to):
PUBLIC to everyone signed in, REGIONAL to members of any participant, RESTRICTED to the reporting
participant and its named audience. Drafts are seen only by the members of their own participant.
A report, revision or filter value the principal may not see answers exactly like a missing one.

The current state of a report is its submitted revision that is not superseded; its state "as of"
a time T is the revision submitted at or before T and not superseded at T (``as_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from seemix.core.access import Principal, visible_to
from seemix.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from seemix.directory.models import Participant
from seemix.flows.catalogue import Catalogue
from seemix.flows.models import Breakdown, Indicator, Observation, Report, ReportRevision, RevisionStatus

FEED_LIMIT_MAX = 5000
# The order figures are shown in: by day, indicator and place, totals before their breakdowns.
FIGURE_ORDER = (
    "date", "indicator__code", "country_id", "crossing_point__code", "site__code", "border_section__code",
    "counterpart_country_id", "breakdown", "breakdown_value", "pk",
)  # fmt: skip


def require_reader(principal: Principal) -> None:
    """Members of a participant and platform administrators read flows; nobody else."""
    if not (principal.is_member or principal.is_platform_admin):
        raise Forbidden(_("Flow figures are shared with the members of participants only."))


def revisions_visible_to(principal: Principal) -> QuerySet[ReportRevision]:
    """Submitted revisions the principal may read, and the drafts of its own participants."""
    require_reader(principal)
    revisions = ReportRevision.objects.all()
    submitted = visible_to(revisions, principal).filter(status=RevisionStatus.SUBMITTED)
    drafts = revisions.filter(status=RevisionStatus.DRAFT, participant_id__in=principal.participant_ids)
    return revisions.filter(Q(pk__in=submitted.values("pk")) | Q(pk__in=drafts.values("pk")))


def current_revisions(principal: Principal, *, as_of: datetime | None = None) -> QuerySet[ReportRevision]:
    """The visible revision that was each report's state at ``as_of`` (now if None)."""
    require_reader(principal)
    revisions = visible_to(ReportRevision.objects.all(), principal).filter(status=RevisionStatus.SUBMITTED)
    if as_of is None:
        return revisions.filter(superseded_at__isnull=True)
    return revisions.filter(submitted_at__lte=as_of).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=as_of)
    )


def reports_visible_to(
    principal: Principal,
    *,
    participant: str | None = None,
    periodicity: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Report]:
    """Reports of which the principal may read at least one revision, newest period first."""
    reports = Report.objects.filter(pk__in=revisions_visible_to(principal).values("report_id"))
    if participant is not None:
        reports = reports.filter(participant=_participant(participant))
    if periodicity is not None:
        reports = reports.filter(periodicity=periodicity)
    if date_from is not None:
        reports = reports.filter(period_start__gte=date_from)
    if date_to is not None:
        reports = reports.filter(period_start__lte=date_to)
    return reports.select_related("participant").order_by("-period_start", "participant__code", "periodicity")


def report_for(principal: Principal, pk: int) -> Report:
    try:
        return reports_visible_to(principal).get(pk=pk)
    except Report.DoesNotExist:
        raise NotFound("report", pk) from None


def revisions_of(principal: Principal, report: Report) -> QuerySet[ReportRevision]:
    """The report's revisions the principal may read, oldest first."""
    return (
        revisions_visible_to(principal)
        .filter(report=report)
        .select_related("created_by", "submitted_by", "report__participant")
        .prefetch_related("audience")
        .order_by("number")
    )


def revision_for(principal: Principal, report: Report, number: int) -> ReportRevision:
    try:
        return revisions_of(principal, report).get(number=number)
    except ReportRevision.DoesNotExist:
        raise NotFound("revision", f"{report.pk}/{number}") from None


def draft_for(principal: Principal, report: Report) -> ReportRevision:
    try:
        return revisions_of(principal, report).get(status=RevisionStatus.DRAFT)
    except ReportRevision.DoesNotExist:
        raise NotFound("draft of report", report.pk) from None


def _participant(code: str) -> Participant:
    participant = Participant.objects.filter(code=code.strip().upper()).first()
    if participant is None:
        raise InvalidInput(FieldError("participant", _("There is no participant %(code)r.") % {"code": code}))
    return participant


def _indicators(codes: str) -> list[int]:
    ids = []
    catalogue = {i.code: i.pk for i in Indicator.objects.only("pk", "code")}
    for code in [c.strip().upper() for c in codes.split(",") if c.strip()]:
        if code not in catalogue:
            message = _("There is no indicator %(code)r.") % {"code": code}
            guess = Catalogue.load().suggest_indicator(code)
            if guess is not None:
                message += " " + _("Did you mean %(guess)s?") % {"guess": guess.code}
            raise InvalidInput(FieldError("indicator", message))
        ids.append(catalogue[code])
    return ids


def _place_filter(value: str) -> Q:
    catalogue = Catalogue.load()
    places = catalogue.places(value)
    if len(places) != 1:
        guess = catalogue.suggest_place(value)
        message = _("There is no single place %(value)r.") % {"value": value}
        if guess is not None:
            message += " " + _("Did you mean %(guess)s?") % {"guess": guess.describe()}
        raise InvalidInput(FieldError("place", message))
    place = places[0]
    if place.kind == "country":
        return Q(country_id=place.code)
    return Q(**{f"{place.kind}_id": place.pk})


def observations_visible_to(
    principal: Principal,
    *,
    indicator: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    participant: str | None = None,
    place: str | None = None,
    breakdown: str | None = None,
    breakdown_value: str | None = None,
    periodicity: str | None = None,
    as_of: datetime | None = None,
) -> QuerySet[Observation]:
    """The observations of the reports' current (or ``as_of``) revisions the principal may read.

    ``indicator`` takes one code or several separated by commas; ``place`` a crossing point, site,
    border section or country (code or name); ``breakdown`` "total" or a breakdown name. An unknown
    value is InvalidInput naming the filter, never an empty answer.
    """
    revisions = current_revisions(principal, as_of=as_of)
    if participant is not None:
        revisions = revisions.filter(participant=_participant(participant))
    if periodicity is not None:
        revisions = revisions.filter(report__periodicity=periodicity)
    # A figure lies in its report's period, so a date range first narrows the reports (a day's
    # report starts on its day, a month's on the 1st): the few revisions left are read by index.
    if date_from is not None:
        revisions = revisions.filter(report__period_start__gte=date_from.replace(day=1))
    if date_to is not None:
        revisions = revisions.filter(report__period_start__lte=date_to)
    observations = Observation.objects.filter(revision__in=revisions.values("pk"))
    if indicator is not None:
        observations = observations.filter(indicator_id__in=_indicators(indicator))
    if date_from is not None:
        observations = observations.filter(date__gte=date_from)
    if date_to is not None:
        observations = observations.filter(date__lte=date_to)
    if place is not None:
        observations = observations.filter(_place_filter(place))
    if breakdown is not None:
        name = "" if breakdown in ("", "total") else breakdown
        if name not in Breakdown.values:
            names = ", ".join(["total", *[b for b in Breakdown.values if b]])
            raise InvalidInput(FieldError("breakdown", _("Use one of %(names)s.") % {"names": names}))
        observations = observations.filter(breakdown=name)
    if breakdown_value is not None:
        observations = observations.filter(breakdown_value=breakdown_value)
    return observations.select_related(
        "indicator", "crossing_point", "site", "border_section", "revision__report", "revision__participant"
    ).order_by("date", "pk")


# --- the change feed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in the change feed: after observation ``observation`` of change number ``seq``."""

    seq: int = 0
    observation: int = 0

    def __str__(self) -> str:
        return f"{self.seq}.{self.observation}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        try:
            seq, _sep, observation = text.partition(".")
            cursor = cls(int(seq), int(observation or 0))
        except ValueError:
            cursor = cls(-1, -1)
        if cursor.seq < 0 or cursor.observation < 0:
            raise InvalidInput(
                FieldError(
                    "since",
                    _(
                        "A cursor looks like 42.1234: give back the next_cursor "
                        "of the previous answer, or 0 to start."
                    ),
                )
            )
        return cursor


@dataclass
class Changes:
    items: list[Observation]
    next_cursor: Cursor


def changes_since(principal: Principal, cursor: Cursor | str | None, limit: int = 1000) -> Changes:
    """Observations of the submitted revisions after ``cursor``, in change order, at most ``limit``.

    Each submitted revision is a report's complete state: a consumer replaces what it holds of the
    report by the revision's rows. Revisions are numbered as they commit (services.feed), so a cursor
    never skips a revision committed later. Revisions the principal may not read are left out.
    """
    position = cursor if isinstance(cursor, Cursor) else Cursor.parse(cursor)
    limit = max(1, min(limit, FEED_LIMIT_MAX))
    revisions = (
        visible_to(ReportRevision.objects.all(), principal)
        .filter(status=RevisionStatus.SUBMITTED, change_seq__gte=max(position.seq, 1))
        .order_by("change_seq")
        .values_list("pk", "change_seq")
    )
    require_reader(principal)
    items: list[Observation] = []
    last = position
    for batch_start in range(0, 10**9, 100):
        batch = list(revisions[batch_start : batch_start + 100])
        for revision_id, seq in batch:
            rows = Observation.objects.filter(revision_id=revision_id)
            if seq == position.seq:
                rows = rows.filter(pk__gt=position.observation)
            rows = rows.select_related(
                "indicator",
                "crossing_point",
                "site",
                "border_section",
                "revision__report",
                "revision__participant",
            ).order_by("pk")[: limit - len(items)]
            found = list(rows)
            items += found
            if found:
                last = Cursor(seq, found[-1].pk)
            if len(items) >= limit:
                return Changes(items, last)
            last = Cursor(seq, last.observation if last.seq == seq else 0)
        if len(batch) < 100:
            break
    return Changes(items, last)


def observation_place(observation: Observation) -> tuple[str, str]:
    """(kind, code) of the place an observation is reported for."""
    if observation.crossing_point_id:
        return "crossing_point", observation.crossing_point.code
    if observation.site_id:
        return "site", observation.site.code
    if observation.border_section_id:
        return "border_section", observation.border_section.code
    return "country", observation.country_id
