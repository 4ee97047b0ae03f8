"""Breakdowns summing above their total: in the submission, and with what a correction carries over.

A revision is the report's complete state: the figures a correction gives replace the same figures
of the revision it builds on, and the others are carried over (flows.bulk.carry_over). So a
correction that gives only one nationality, or only a new total, is checked against the figures it
keeps: the breakdown's sum is the submission's values plus the carried-over values of the figures it
does not give, and the total is the submission's or, failing that, the carried-over one.

Keys, as the validator makes them: a group is ``hash((hash(total identity), day))`` and a figure
``hash((hash(figure identity), day))`` (flows.validation.Validator.resolve_codes); the rows of the
earlier revision are keyed the same way, so no object is made per row of the submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seemix.flows.inputs import Problem, SourceLocation
from seemix.flows.models import Observation, ReportRevision, RevisionStatus

ReportKey = tuple[str, date]
# (total identity, breakdown, breakdown value, day, value, number of the revision it comes from)
CarriedFigure = tuple[tuple[Any, ...], str, str, date, int | None, int]


def base_revisions(participant_id: int, report_keys: Iterable[ReportKey]) -> dict[ReportKey, tuple[int, int]]:
    """(revision id, number) that a submission to each report builds on: its draft if it has one (a
    draft saved again keeps its rows), else its current submitted revision. Reports without one are
    left out."""
    keys = set(report_keys)
    if not keys:
        return {}
    starts = [start for _periodicity, start in keys]
    found = ReportRevision.objects.filter(
        Q(status=RevisionStatus.DRAFT) | Q(status=RevisionStatus.SUBMITTED, superseded_at__isnull=True),
        participant_id=participant_id,
        report__period_start__range=(min(starts), max(starts)),
    ).values_list("pk", "number", "status", "report__periodicity", "report__period_start")
    bases: dict[ReportKey, tuple[int, int]] = {}
    for pk, number, status, periodicity, start in found:
        key = (periodicity, start)
        if key in keys and (key not in bases or status == RevisionStatus.DRAFT):
            bases[key] = (pk, number)
    return bases


def carried_figures(bases: dict[ReportKey, tuple[int, int]]) -> Iterable[CarriedFigure]:
    """The figures of the base revisions (with a value: a missing figure adds nothing)."""
    numbers = {pk: number for pk, number in bases.values()}
    if not numbers:
        return
    rows = Observation.objects.filter(revision_id__in=list(numbers), value__isnull=False).values_list(
        "indicator_id",
        "country_id",
        "crossing_point_id",
        "site_id",
        "border_section_id",
        "counterpart_country_id",
        "breakdown",
        "breakdown_value",
        "date",
        "value",
        "revision_id",
    )
    for *total, breakdown, breakdown_value, day, value, revision_id in rows.iterator(chunk_size=10_000):
        yield tuple(total), breakdown, breakdown_value, day, value, numbers[revision_id]


def exceeds_message(
    breakdown: str, summed: int, total: int, carried: list[Any] | None, number: int | None
) -> str:
    """The reason of a breakdown above its total; ``number``: the revision the total is kept from,
    ``carried``: [sum, count, revision number] of the breakdown's figures kept from it."""
    values = {"breakdown": breakdown, "sum": summed, "total": total, "number": number}
    if number is None and not carried:
        return _("The %(breakdown)s breakdown sums to %(sum)s, above the total %(total)s.") % values
    if number is None:
        message = _("The %(breakdown)s breakdown sums to %(sum)s, above the total %(total)s") % values
    else:
        message = (
            _(
                "The %(breakdown)s breakdown sums to %(sum)s, above the total %(total)s kept from "
                "revision %(number)s"
            )
            % values
        )
    if carried:
        message += ngettext(
            "; %(count)d of the figures summed is kept from revision %(number)s",
            "; %(count)d of the figures summed are kept from revision %(number)s",
            carried[1],
        ) % {"count": carried[1], "number": carried[2]}
    return message + "."


def sum_problems(
    totals: dict[int, tuple[int, int, SourceLocation]],
    sums: dict[tuple[int, str], list[Any]],
    seen: dict[int, Any],
    carried: Iterable[CarriedFigure],
) -> tuple[list[Problem], set[int]]:
    """The problems and the rejected seqs of breakdowns summing above their total.

    ``totals``: group -> (value, seq, location) of the submission's totals; ``sums``: (group,
    breakdown) -> [sum, seqs, location and value of its first row] of its breakdown values; ``seen``:
    the figure keys the submission gives (they replace the carried figure); ``carried``: the figures
    of the revisions it builds on (``carried_figures``).
    """
    carried_totals: dict[int, tuple[int, int]] = {}
    carried_sums: dict[tuple[int, str], list[Any]] = {}  # -> [sum, count, revision number]
    by_group: dict[int, list[str]] = {}
    for total, breakdown, breakdown_value, day, value, number in carried:
        if value is None or hash((hash((*total, breakdown, breakdown_value)), day)) in seen:
            continue
        group = hash((hash(total), day))
        if not breakdown:
            carried_totals[group] = (value, number)
            continue
        entry = carried_sums.get((group, breakdown))
        if entry is None:
            carried_sums[group, breakdown] = [value, 1, number]
            by_group.setdefault(group, []).append(breakdown)
        else:
            entry[0] += value
            entry[1] += 1
    problems: list[Problem] = []
    rejected: set[int] = set()
    for (group, breakdown), (summed, seqs, where, first_value) in sums.items():
        extra = carried_sums.get((group, breakdown))
        summed += extra[0] if extra else 0
        total = totals.get(group)
        if total is not None:
            value, total_seq, location = total
            if summed > value:
                message = exceeds_message(breakdown, summed, value, extra, None)
                problems.append(Problem(location, "value", str(value), message))
                rejected.add(total_seq)
                rejected.update(seqs)
            continue
        kept = carried_totals.get(group)
        if kept is not None and summed > kept[0]:
            message = exceeds_message(breakdown, summed, kept[0], extra, kept[1])
            problems.append(Problem(where, "value", str(first_value), message))
            rejected.update(seqs)
    # A new total against breakdowns the correction does not give at all.
    for group, (value, total_seq, location) in totals.items():
        for breakdown in by_group.get(group, ()):
            if (group, breakdown) in sums:
                continue
            extra = carried_sums[group, breakdown]
            if extra[0] > value:
                problems.append(
                    Problem(
                        location,
                        "value",
                        str(value),
                        exceeds_message(breakdown, extra[0], value, extra, None),
                    )
                )
                rejected.add(total_seq)
    return problems, rejected
