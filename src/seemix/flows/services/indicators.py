"""The indicator catalogue: loaded from the shipped seed, edited by platform administrators."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal, require_platform_admin
from seemix.core.errors import FieldError, InvalidInput
from seemix.flows.models import Breakdown, Indicator, Periodicity

SEED = Path(__file__).resolve().parent.parent / "data" / "indicators.json"
FIELDS = (
    "name",
    "definition",
    "unit",
    "periodicity",
    "allowed_breakdowns",
    "needs_counterpart",
    "source",
    "is_active",
)
BREAKDOWNS = [b.value for b in Breakdown if b.value]


@dataclass
class IndicatorLoadSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"indicators: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def seed_indicators() -> list[dict[str, Any]]:
    return list(json.loads(SEED.read_text(encoding="utf-8"))["indicators"])


def _check(values: dict[str, Any], *, creating: bool) -> None:
    errors: list[FieldError] = []
    if creating:
        code = str(values.get("code", ""))
        if (
            not code
            or len(code) > 24
            or not code.replace("-", "").replace("_", "").isalnum()
            or code != code.upper()
        ):
            errors.append(
                FieldError("code", _("Use upper-case letters, digits and hyphens, at most 24 characters."))
            )
        elif Indicator.objects.filter(code=code).exists():
            errors.append(
                FieldError("code", _("The code %(code)s is already in use.") % {"code": code}, "duplicate")
            )
    for name in ("name", "definition"):
        if name in values and not str(values[name]).strip():
            errors.append(FieldError(name, _("This may not be blank."), "required"))
    if "periodicity" in values and values["periodicity"] not in Periodicity.values:
        errors.append(FieldError("periodicity", _("Use daily or monthly.")))
    if "allowed_breakdowns" in values:
        wrong = [b for b in values["allowed_breakdowns"] if b not in BREAKDOWNS]
        if wrong:
            errors.append(
                FieldError(
                    "allowed_breakdowns",
                    _("Unknown breakdowns %(wrong)s: use %(known)s.")
                    % {"wrong": ", ".join(map(str, wrong)), "known": ", ".join(BREAKDOWNS)},
                )
            )
    if errors:
        raise InvalidInput(errors)


def create_indicator(*, actor: Principal | None, code: str, **values: Any) -> Indicator:
    """A new indicator. ``actor=None`` is the system (the seed loader)."""
    if actor is not None:
        require_platform_admin(actor)
    values = {k: v for k, v in values.items() if k in FIELDS}
    _check({"code": code, **values}, creating=True)
    with transaction.atomic():
        indicator = Indicator.objects.create(code=code, **values)
        audit.record(actor, "flows.indicator.created", indicator, changes={"code": code, **values})
    return indicator


def update_indicator(indicator: Indicator, *, actor: Principal | None, **values: Any) -> Indicator:
    """Change an indicator's description or breakdowns. Its code and periodicity stay: observations
    already reported under it keep their meaning. Nothing changes, nothing is written."""
    if actor is not None:
        require_platform_admin(actor)
    values = {k: v for k, v in values.items() if k in FIELDS}
    _check(values, creating=False)
    if "periodicity" in values and values["periodicity"] != indicator.periodicity:
        raise InvalidInput(FieldError("periodicity", _("The periodicity of an indicator cannot change.")))
    changes = audit.diff(indicator, values)
    if not changes:
        return indicator
    with transaction.atomic():
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save()
        audit.record(actor, "flows.indicator.updated", indicator, changes=changes)
    return indicator


def load_indicators(*, actor: Principal | None = None) -> IndicatorLoadSummary:
    """Create or update the shipped indicators. A second run changes nothing and writes nothing."""
    summary = IndicatorLoadSummary()
    for row in seed_indicators():
        values = {k: row[k] for k in FIELDS if k in row}
        existing = Indicator.objects.filter(code=row["code"]).first()
        if existing is None:
            create_indicator(actor=actor, code=row["code"], **values)
            summary.created.append(row["code"])
        elif audit.diff(existing, values):
            update_indicator(existing, actor=actor, **values)
            summary.updated.append(row["code"])
        else:
            summary.unchanged.append(row["code"])
    return summary
