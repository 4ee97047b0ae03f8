"""Drafts: saved by ``submit_observations(as_draft=True)``, then submitted or discarded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.errors import Conflict
from seemix.flows.models import Report, ReportRevision, RevisionStatus
from seemix.flows.services.submission import _mark_submitted, require_submitter


def submit_draft(revision: ReportRevision, *, actor: Principal | None) -> ReportRevision:
    """Submit a saved draft: it becomes the report's current revision."""
    require_submitter(actor, revision.participant)
    if revision.status != RevisionStatus.DRAFT:
        raise Conflict(_("Revision %(n)d is already submitted.") % {"n": revision.number})
    now = timezone.now()
    with transaction.atomic():
        list(Report.objects.select_for_update().filter(pk=revision.report_id).values_list("pk", flat=True))
        _mark_submitted([revision], actor.user if actor else None, now)
        audit.record(
            actor,
            "flows.draft_submitted",
            revision,
            participant_code=revision.participant.code,
            changes={"report": revision.report_id, "number": revision.number},
        )
    return revision


def discard_draft(revision: ReportRevision, *, actor: Principal | None) -> None:
    """Throw a draft away. Drafts are work in progress, not history: nothing else is lost."""
    require_submitter(actor, revision.participant)
    if revision.status != RevisionStatus.DRAFT:
        raise Conflict(_("A submitted revision is never deleted; correct it with a new revision."))
    with transaction.atomic():
        audit.record(
            actor,
            "flows.draft_discarded",
            revision,
            participant_code=revision.participant.code,
            changes={"report": revision.report_id, "number": revision.number},
        )
        revision.observations.all().delete()
        revision.audience.clear()
        revision.delete()
