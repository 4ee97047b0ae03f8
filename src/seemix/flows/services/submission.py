"""Submitting figures: validation, drafts, corrections as new revisions, idempotent retries.

Every way in calls ``submit_observations``. The rows are checked and staged first (flows.bulk,
flows.validation), outside any transaction; then, in one transaction, the reports and their new
revisions are made, the rows copied in, the rows of the previous revision that the submission does
not give are carried over (so each revision is the report's complete state), the previous revision
is marked superseded, and one audit row is written for the whole submission.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import Conflict, DomainError, FieldError, Forbidden, InvalidInput
from seemix.directory.models import Participant, Role
from seemix.flows import bulk
from seemix.flows.codes import text_problems
from seemix.flows.inputs import ObservationInput, Problem, Severity, SourceLocation
from seemix.flows.models import Channel, Observation, Report, ReportRevision, RevisionStatus, Submission
from seemix.flows.services.feed import take_change_numbers
from seemix.flows.validation import ReportKey, Validator

SUBMITTERS = (Role.REPORTER, Role.COORDINATOR)


class ImportRejected(InvalidInput):
    """The submission has errors and was all-or-nothing: nothing was written. ``problems`` lists
    every error and warning, located."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == Severity.ERROR]
        # A million bad rows make a million problems: the FieldErrors (for generic handlers) and the
        # message stay short; ``problems`` has them all.
        self.errors = [FieldError(p.field, _located_message(p)) for p in errors[:100]]
        self.detail = _("%(count)d errors: nothing was written.") % {"count": len(errors)}
        DomainError.__init__(self, self.detail)


def _located_message(problem: Problem) -> str:
    where = str(problem.location)
    return f"{where}: {problem.message}" if where else problem.message


@dataclass
class SubmissionResult:
    submission_id: int | None
    accepted: int
    rejected: int
    revisions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    replayed: bool = False  # True when an earlier submission with the same Idempotency-Key answered

    def as_dict(self) -> dict[str, Any]:
        return {
            "submission": self.submission_id,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "revisions": self.revisions,
            "problems": [p.as_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, replayed: bool) -> SubmissionResult:
        problems = [
            Problem(
                SourceLocation(p["file"], p["sheet"], p["row"], p["column"]),
                p["field"],
                p["value"],
                p["message"],
                Severity(p["severity"]),
                p["suggestion"],
            )
            for p in data.get("problems", [])
        ]
        return cls(
            data["submission"], data["accepted"], data["rejected"], data["revisions"], problems, replayed
        )


def require_submitter(actor: Principal | None, participant: Participant) -> None:
    """Reporters and coordinators submit their own participant's figures; ``None`` is the system.

    Platform administration grants no exemption: figures come from the participant itself."""
    if actor is not None and not actor.has_role(participant.pk, *SUBMITTERS):
        raise Forbidden(
            _("Only the reporters and coordinators of %(participant)s submit its figures.")
            % {"participant": participant.code}
        )


def _fingerprint(hasher: Any, row: ObservationInput) -> None:
    hasher.update(
        f"{row.date}|{row.indicator}|{row.place}|{row.value}|{row.counterpart}|{row.breakdown}|"
        f"{row.breakdown_value}|{row.estimate:d}{row.provisional:d}\n".encode()
    )


@dataclass
class _Options:
    channel: str
    classification: str
    audience: list[Participant]
    source_note: str
    note: str
    as_draft: bool


def submit_observations(
    *,
    actor: Principal | None,
    participant: Participant,
    rows: Iterable[ObservationInput],
    channel: str = Channel.API,
    classification: str = Classification.REGIONAL,
    audience: Sequence[Participant] = (),
    source_note: str = "",
    note: str = "",
    row_by_row: bool = False,
    idempotency_key: str | None = None,
    as_draft: bool = False,
    period: ReportKey | None = None,
    validator: Validator | None = None,
) -> SubmissionResult:
    """Check ``rows`` and file them as new revisions of the participant's reports (one per period).

    All or nothing by default: any error raises ``ImportRejected`` and writes nothing. With
    ``row_by_row`` the rows without errors are kept and every rejected row is reported. ``period``
    restricts the rows to one report's period (a correction). A retry with the same
    ``idempotency_key`` returns the first result; the same key with other rows is a ``Conflict``.
    """
    require_submitter(actor, participant)
    options = _Options(channel, classification, list(audience), source_note, note, as_draft)
    _check_options(options)
    key = (idempotency_key or "").strip()
    hasher = hashlib.sha256(f"{participant.pk}|{options}|{row_by_row}|{period}\n".encode())
    validator = validator or Validator(participant, period=period)
    with bulk.Spool() as spool:
        read = bulk.stage(
            rows, validator, spool, on_row=(lambda _seq, r: _fingerprint(hasher, r)) if key else None
        )
        request_hash = hasher.hexdigest() if key else ""
        if key:
            earlier = Submission.objects.filter(participant=participant, idempotency_key=key).first()
            if earlier is not None:
                return _replay(earlier, request_hash)
        if validator.error_count and not row_by_row:
            raise ImportRejected(validator.problems)
        if read == 0:
            raise ImportRejected(
                [Problem(SourceLocation(), "rows", "", _("The submission holds no figures."))]
            )
        rejected_rows = validator.rows_rejected
        if spool.count - len(validator.rejected) <= 0:
            return SubmissionResult(None, 0, rejected_rows, [], validator.problems)
        try:
            rejected = validator.rejected

            def write(revision_ids: dict[int, int]) -> int:
                return bulk.write_observations(spool, revision_ids, rejected)

            return _write(actor, participant, options, validator, write, key, request_hash, rejected_rows)
        except IntegrityError:
            if not key:
                raise
            # A concurrent retry with the same key committed first: answer as it did.
            earlier = Submission.objects.filter(participant=participant, idempotency_key=key).first()
            if earlier is None:
                raise
            return _replay(earlier, request_hash)


def submit_staged(
    *,
    actor: Principal | None,
    participant: Participant,
    validator: Validator,
    write: Callable[[dict[int, int]], int],
    channel: str = Channel.CLI,
    classification: str = Classification.REGIONAL,
    audience: Sequence[Participant] = (),
    source_note: str = "",
    note: str = "",
) -> SubmissionResult:
    """File figures that were checked elsewhere (flows.staged_import: set-wise, in SQL) by the same
    rules as ``submit_observations``: ``validator`` holds their problems and report keys, ``write``
    inserts the rows under the revision id of each report index. All or nothing: any error raises
    ``ImportRejected``; nothing is written."""
    require_submitter(actor, participant)
    options = _Options(channel, classification, list(audience), source_note, note, False)
    _check_options(options)
    if validator.error_count:
        raise ImportRejected(validator.problems)
    if not validator.report_keys:
        raise ImportRejected([Problem(SourceLocation(), "rows", "", _("The submission holds no figures."))])
    return _write(actor, participant, options, validator, write, "", "", validator.rows_rejected)


def check_submitter(actor: Principal | None, participant: Participant, **options: Any) -> None:
    """What ``submit_observations`` checks before it reads a row: the right to submit, the options."""
    require_submitter(actor, participant)
    defaults = {"channel": Channel.API, "classification": Classification.REGIONAL, "audience": []}
    merged = {**defaults, "source_note": "", "note": "", "as_draft": False, **options}
    merged["audience"] = list(merged["audience"])
    _check_options(_Options(**merged))


def _check_options(options: _Options) -> None:
    errors = []
    if options.classification not in Classification.values:
        errors.append(FieldError("classification", _("Use public, regional or restricted.")))
    if options.audience and options.classification != Classification.RESTRICTED:
        errors.append(FieldError("audience", _("Only a RESTRICTED report names an audience.")))
    for name in ("source_note", "note"):
        for problem in text_problems(SourceLocation(), name, getattr(options, name)):
            errors.append(FieldError(name, problem.message))
    if options.channel not in Channel.values:
        errors.append(FieldError("channel", _("Unknown channel.")))
    if errors:
        raise InvalidInput(errors)


def _replay(earlier: Submission, request_hash: str) -> SubmissionResult:
    if earlier.request_hash != request_hash:
        raise Conflict(
            _(
                "The Idempotency-Key %(key)s was already used for a different submission (number %(pk)s); "
                "use a new key for new figures."
            )
            % {"key": earlier.idempotency_key, "pk": earlier.pk}
        )
    return SubmissionResult.from_dict(earlier.result, replayed=True)


def _write(
    actor: Principal | None,
    participant: Participant,
    options: _Options,
    validator: Validator,
    write: Callable[[dict[int, int]], int],
    key: str,
    request_hash: str,
    rejected_rows: int,
) -> SubmissionResult:
    """In one transaction: the reports and revisions, the rows (``write(revision id of each report
    index)``, returning how many it wrote), what they carry over, the audit row."""
    user = actor.user if actor is not None else None
    now = timezone.now()
    with transaction.atomic():
        submission = Submission.objects.create(
            participant=participant,
            actor=user,
            channel=options.channel,
            idempotency_key=key,
            request_hash=request_hash,
        )
        revisions, bases, reused = _open_revisions(
            participant, validator.report_keys, options, submission, user, now
        )
        written = write({i: r.pk for i, r in revisions.items()})
        for index, revision in revisions.items():
            if index in reused:
                bulk.drop_replaced(revision.pk)
            elif bases.get(index) is not None:
                bulk.carry_over(bases[index], revision.pk)
        _count_observations(list(revisions.values()))
        _drop_empty(revisions, reused)
        if options.as_draft:
            for index in reused:
                revisions[index].save(update_fields=["source_note", "note", "classification"])
        else:
            _mark_submitted(list(revisions.values()), user, now)
        summary = [
            _summary(r) for r in sorted(revisions.values(), key=lambda r: (r.report.period_start, r.pk))
        ]
        accepted = written
        result = SubmissionResult(submission.pk, accepted, rejected_rows, summary, validator.problems)
        submission.result = result.as_dict()
        submission.save(update_fields=["result"])
        action = "flows.draft_saved" if options.as_draft else "flows.submitted"
        audit.record(
            actor,
            action,
            submission,
            participant_code=participant.code,
            changes={
                "channel": options.channel,
                "accepted": accepted,
                "rejected": rejected_rows,
                "revisions": [f"{r['report']}/{r['number']}" for r in summary],
            },
        )
    return result


def _open_revisions(
    participant: Participant,
    report_keys: dict[ReportKey, int],
    options: _Options,
    submission: Submission,
    user: Any,
    now: Any,
) -> tuple[dict[int, ReportRevision], dict[int, int | None], set[int]]:
    """The revision each report index is written into; the revision each builds on; the reused drafts."""
    reports = _reports(participant, report_keys)
    report_ids = [r.pk for r in reports.values()]
    # Lock the reports so that two submissions to the same report number their revisions in turn.
    list(Report.objects.select_for_update().filter(pk__in=report_ids).values_list("pk", flat=True))
    existing = ReportRevision.objects.filter(report_id__in=report_ids)
    numbers = dict(existing.values("report_id").annotate(top=Max("number")).values_list("report_id", "top"))
    current = dict(
        existing.filter(status=RevisionStatus.SUBMITTED, superseded_at__isnull=True).values_list(
            "report_id", "pk"
        )
    )
    drafts = {r.report_id: r for r in existing.filter(status=RevisionStatus.DRAFT).select_related("report")}
    blocked = [r for r in drafts.values() if not options.as_draft]
    if blocked:
        raise Conflict(
            _("These reports have a draft: submit or discard it first: %(reports)s.")
            % {
                "reports": ", ".join(
                    f"{r.report.periodicity} {r.report.period_start} (report {r.report_id}, "
                    f"revision {r.number})"
                    for r in blocked
                )
            }
        )
    revisions: dict[int, ReportRevision] = {}
    bases: dict[int, int | None] = {}
    reused: set[int] = set()
    new: list[ReportRevision] = []
    for index, report in reports.items():
        draft = drafts.get(report.pk)
        if draft is not None:
            draft.source_note, draft.note, draft.classification = (
                options.source_note,
                options.note,
                options.classification,
            )
            revisions[index] = draft
            reused.add(index)
            continue
        revision = ReportRevision(
            report=report,
            participant=participant,
            number=(numbers.get(report.pk) or 0) + 1,
            status=RevisionStatus.DRAFT,
            classification=options.classification,
            source_note=options.source_note,
            note=options.note,
            channel=options.channel,
            submission=submission,
            created_by=user,
            created_at=now,
        )
        new.append(revision)
        revisions[index] = revision
        bases[index] = current.get(report.pk)
    ReportRevision.objects.bulk_create(new)
    through = ReportRevision.audience.through
    if options.audience:
        through.objects.bulk_create(
            [
                through(reportrevision_id=r.pk, participant_id=p.pk)
                for r in revisions.values()
                for p in options.audience
            ],
            ignore_conflicts=True,
        )
    return revisions, bases, reused


def _reports(participant: Participant, report_keys: dict[ReportKey, int]) -> dict[int, Report]:
    """The report of each key, made where missing (in bulk: an import may span hundreds of days)."""

    def existing() -> dict[ReportKey, Report]:
        found = Report.objects.filter(participant=participant, period_start__in={k[1] for k in report_keys})
        return {
            (r.periodicity, r.period_start): r
            for r in found
            if (r.periodicity, r.period_start) in report_keys
        }

    known = existing()
    missing = [
        Report(participant=participant, periodicity=p, period_start=s)
        for p, s in report_keys
        if (p, s) not in known
    ]
    if missing:
        # A concurrent submission may make the same report: the unique constraint keeps one.
        Report.objects.bulk_create(missing, ignore_conflicts=True)
        known = existing()
    return {index: known[key] for key, index in report_keys.items()}


def _drop_empty(revisions: dict[int, ReportRevision], reused: set[int]) -> None:
    """Forget the new revisions left without a row (every row of their day rejected by a rule that
    looks at the whole submission, in row-by-row mode): an empty revision must not replace a report."""
    empty = [i for i, r in revisions.items() if r.observation_count == 0 and i not in reused]
    for index in empty:
        revision = revisions.pop(index)
        revision.audience.clear()
        revision.delete()
        if not ReportRevision.objects.filter(report_id=revision.report_id).exists():
            Report.objects.filter(pk=revision.report_id).delete()


def _count_observations(revisions: list[ReportRevision]) -> None:
    """Store each revision's number of rows (one statement, whatever the number of revisions)."""
    ids = [r.pk for r in revisions]
    rows = Observation.objects.filter(revision_id=OuterRef("pk")).order_by().values("revision_id")
    count = Subquery(rows.annotate(n=Count("*")).values("n")[:1])
    ReportRevision.objects.filter(pk__in=ids).update(observation_count=Coalesce(count, 0))
    counted = dict(ReportRevision.objects.filter(pk__in=ids).values_list("pk", "observation_count"))
    for revision in revisions:
        revision.observation_count = counted[revision.pk]


def _mark_submitted(revisions: list[ReportRevision], user: Any, now: Any) -> None:
    """Supersede each report's current revision and submit the new ones, numbered for the feed last.

    The feed numbers follow the revisions' ids (one statement): they may leave gaps, never repeat.
    """
    if not revisions:
        return
    report_ids = [r.report_id for r in revisions]
    ReportRevision.objects.filter(
        report_id__in=report_ids, status=RevisionStatus.SUBMITTED, superseded_at__isnull=True
    ).update(superseded_at=now)
    ids = sorted(r.pk for r in revisions)
    numbers = take_change_numbers(ids[-1] - ids[0] + 1)
    offset = numbers.start - ids[0]
    ReportRevision.objects.filter(pk__in=ids).update(
        status=RevisionStatus.SUBMITTED, submitted_by=user, submitted_at=now, change_seq=F("pk") + offset
    )
    for revision in revisions:
        revision.status = RevisionStatus.SUBMITTED
        revision.submitted_by = user
        revision.submitted_at = now
        revision.change_seq = revision.pk + offset


def _summary(revision: ReportRevision) -> dict[str, Any]:
    return {
        "report": revision.report_id,
        "revision": revision.pk,
        "number": revision.number,
        "periodicity": revision.report.periodicity,
        "period_start": revision.report.period_start.isoformat(),
        "status": revision.status,
        "observations": revision.observation_count,
    }


def correct_report(
    report: Report, *, actor: Principal | None, rows: Iterable[ObservationInput], **options: Any
) -> SubmissionResult:
    """A new revision of ``report``: the rows given replace the same figures, the others are kept.
    A row whose value is None marks its figure as not available."""
    return submit_observations(
        actor=actor,
        participant=report.participant,
        rows=rows,
        period=(report.periodicity, report.period_start),
        **options,
    )


def period_key(periodicity: str, start: date) -> ReportKey:
    return (periodicity, start)


# Drafts live in their own module; they are imported from here too (services/__init__.py does).
from seemix.flows.services.drafts import discard_draft, submit_draft  # noqa: E402

__all__ = ["ImportRejected", "SubmissionResult", "correct_report", "discard_draft", "submit_draft"]
