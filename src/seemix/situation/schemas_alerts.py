"""The alerts API's typed in/out schemas."""

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from seemix.situation.alerts_queries import state_of
from seemix.situation.models import AlertStateChange, SituationAlert


class AlertNoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=2000, description="Why, or what is being done (kept in the history).")


class AlertStateChangeOut(Schema):
    old_state: str
    new_state: str
    note: str
    participant: str | None
    changed_at: dt.datetime

    @staticmethod
    def resolve_participant(obj: AlertStateChange) -> str | None:
        return obj.participant.code if obj.participant else None


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    key: str
    state: str
    title: str
    detail: str
    day: dt.date
    evidence: dict[str, Any]
    country: str | None
    border_section: str | None
    site: str | None
    measure_id: int | None
    participant: str | None
    classification: str
    raised_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_id(obj: SituationAlert) -> int:
        return obj.pk

    @staticmethod
    def resolve_kind_label(obj: SituationAlert) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state(obj: SituationAlert) -> str:
        return state_of(obj)

    @staticmethod
    def resolve_country(obj: SituationAlert) -> str | None:
        return obj.country_id

    @staticmethod
    def resolve_border_section(obj: SituationAlert) -> str | None:
        return obj.border_section.code if obj.border_section else None

    @staticmethod
    def resolve_site(obj: SituationAlert) -> str | None:
        return obj.site.code if obj.site else None

    @staticmethod
    def resolve_participant(obj: SituationAlert) -> str | None:
        return obj.participant.code if obj.participant else None


class AlertDetailOut(AlertOut):
    history: list[AlertStateChangeOut]
