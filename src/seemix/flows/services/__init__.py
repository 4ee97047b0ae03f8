"""Every state change of flows: the indicator catalogue, submissions, drafts and corrections."""

from seemix.flows.services.indicators import (
    IndicatorLoadSummary,
    create_indicator,
    load_indicators,
    update_indicator,
)
from seemix.flows.services.submission import (
    ImportRejected,
    SubmissionResult,
    correct_report,
    discard_draft,
    require_submitter,
    submit_draft,
    submit_observations,
)

__all__ = [
    "ImportRejected",
    "IndicatorLoadSummary",
    "SubmissionResult",
    "correct_report",
    "create_indicator",
    "discard_draft",
    "load_indicators",
    "require_submitter",
    "submit_draft",
    "submit_observations",
    "update_indicator",
]
