"""The columns of seemix's own exports that an import reads past, or checks.

A CSV, XLSX or HXL export writes beside each figure where it came from (``exports.rows``): the
reporting participant, the report's classification, its periodicity, the place's type and name, the
unit, the report, the revision and when it was submitted. So that an export imports back as it is,
the readers know these columns:

- ``participant`` (HXL ``#org+reporting``) is checked: a row of another participant is an error at
  that row, never a figure silently filed under the importing participant;
- ``classification`` (HXL ``#meta+classification``) is checked: a figure of a RESTRICTED report
  imported as REGIONAL would be shown to more readers than its reporter allowed, so a row whose
  classification is stricter than the import's is an error that says which to choose;
- the others repeat what the place and indicator already say, or describe the old report (its id,
  revision and time, which the import gives anew): they are read past, without a warning.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from seemix.core.classification import Classification
from seemix.flows.inputs import SourceLocation
from seemix.flows.readers.problems import ProblemLog

# From the least to the most restricted: importing may keep or narrow a figure's readers, not widen them.
RANK = {Classification.PUBLIC.value: 0, Classification.REGIONAL.value: 1, Classification.RESTRICTED.value: 2}

# Plain header names (as in exports.rows.COLUMNS, with their synonyms) of the columns read past.
CONTEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "periodicity": (),
    "place_type": ("place type",),
    "place_name": ("place name",),
    "unit": (),
    "report": ("report id",),
    "revision": (),
    "submitted_at": ("submitted at", "submitted_at (UTC)"),
}
# And the two that are checked.
CHECKED_COLUMNS: dict[str, tuple[str, ...]] = {
    "participant": ("reporting participant",),
    "classification": (),
}

# HXL: (tag, attribute) pairs of the export's context columns (exports.rows.HXL_TAGS).
CONTEXT_HASHTAGS = (
    ("#meta", "periodicity"),
    ("#meta", "type"),
    ("#meta", "unit"),
    ("#meta", "report"),
    ("#meta", "revision"),
    ("#meta", "submitted"),
)


class RowChecks:
    """Checks the participant and classification cells of one row; logs an error for each mismatch."""

    def __init__(self, *, participant: str, classification: str | None, log: ProblemLog) -> None:
        self.participant = participant
        self.classification = classification
        self.log = log
        allowed = {""} | ({participant, participant.lower()} if participant else set())
        self.fast_participants = frozenset(allowed)
        limit = RANK.get(classification or "", len(RANK))
        self.fast_classifications = frozenset({""} | {c for c, rank in RANK.items() if rank <= limit})

    def participant_ok(self, where: SourceLocation, text: str) -> bool:
        code = text.strip().upper()
        if not code or code == self.participant.upper():
            return True
        self.log.error(
            where,
            "participant",
            text,
            _("This figure was reported by %(other)s, but the file is imported for %(participant)s.")
            % {"other": code, "participant": self.participant},
            suggestion=_(
                "Import the figures of %(other)s as %(other)s, or leave their rows out (an export for "
                "one participant holds only its rows)."
            )
            % {"other": code},
        )
        return False

    def classification_ok(self, where: SourceLocation, text: str) -> bool:
        level = text.strip().lower()
        if not level:
            return True
        if level not in RANK:
            self.log.error(
                where,
                "classification",
                text,
                _("%(value)r is not a classification.") % {"value": text},
                suggestion=_("Write public, regional or restricted, or leave the cell empty."),
            )
            return False
        if self.classification is None or RANK[level] <= RANK[self.classification]:
            return True
        self.log.error(
            where,
            "classification",
            text,
            _(
                "This figure comes from a %(level)s report: imported as %(target)s, it would be shown "
                "to more readers than its reporter allowed."
            )
            % {"level": level, "target": self.classification},
            suggestion=_("Import the file as %(level)s.") % {"level": level},
        )
        return False
