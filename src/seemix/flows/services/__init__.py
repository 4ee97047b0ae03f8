"""Every state change of flows: the indicator catalogue, submissions, drafts and corrections."""

from seemix.flows.services.indicators import (
    IndicatorLoadSummary,
    create_indicator,
    load_indicators,
    update_indicator,
)

__all__ = [
    "IndicatorLoadSummary",
    "create_indicator",
    "load_indicators",
    "update_indicator",
]
