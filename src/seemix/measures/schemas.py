"""The measures API's typed input and output. Inputs refuse unknown fields (a typo must not pass).

Times are ISO 8601 with a time zone; countries and nationalities ISO 3166-1 alpha-2 (XK for
Kosovo); border sections by the codes of their two countries (HU-RS), crossing points by code
(RS-HORGOS), participants by code. In a PATCH body a field left out stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from seemix.core.classification import Classification
from seemix.measures.compliance import ParticipantCompliance
from seemix.measures.models import Alert, Measure, NotificationPath, Recipient, Subscription
from seemix.measures.queries import AddresseeState


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


class MeasureIn(StrictInput):
    issuer: str | None = Field(
        None, description="Participant code; default: the only participant the caller drafts for."
    )
    type: str = Field(description="One of the measure types (GET /measures/types).")
    title: str = Field(description="In English.")
    description: str = Field(description="In English.")
    planned_start: datetime
    planned_end: datetime | None = None
    path: str = Field(NotificationPath.PLANNED, description="planned or immediate.")
    immediate_justification: str = Field("", description="Required for the immediate path.")
    original_language: str = Field("", description="ISO 639-1 code of the original text, e.g. hu.")
    original_title: str = ""
    original_description: str = ""
    legal_basis: str = ""
    reasons: str = ""
    border_sections: list[str] = Field(default_factory=list, description="e.g. ['HU-RS']")
    crossing_points: list[str] = Field(default_factory=list, description="e.g. ['HU-ROSZKE']")
    nationalities: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-2, e.g. ['SY', 'AF']."
    )
    categories_of_persons: str = ""
    persons_affected_per_day: int | None = None
    expected_of_others: str = Field("", description="What the other parties are asked to do.")
    classification: str = Classification.REGIONAL
    audience: list[str] = Field(
        default_factory=list, description="RESTRICTED: participants besides the addressees that may read it."
    )


class MeasurePatch(StrictInput):
    type: str | None = None
    title: str | None = None
    description: str | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    path: str | None = None
    immediate_justification: str | None = None
    original_language: str | None = None
    original_title: str | None = None
    original_description: str | None = None
    legal_basis: str | None = None
    reasons: str | None = None
    border_sections: list[str] | None = None
    crossing_points: list[str] | None = None
    nationalities: list[str] | None = None
    categories_of_persons: str | None = None
    persons_affected_per_day: int | None = None
    expected_of_others: str | None = None
    classification: str | None = None
    audience: list[str] | None = None
    note: str | None = Field(None, description="After notification: what changed (sent with the update).")


class MeasureOut(Schema):
    id: int
    issuer: str
    issuer_name: str
    type: str
    type_label: str
    title: str
    description: str
    original_language: str
    original_title: str
    original_description: str
    legal_basis: str
    reasons: str
    border_sections: list[str]
    crossing_points: list[str]
    nationalities: list[str]
    categories_of_persons: str
    planned_start: datetime
    planned_end: datetime | None
    persons_affected_per_day: int | None
    expected_of_others: str
    path: str
    immediate_justification: str
    status: str
    classification: str
    first_notified_at: datetime | None
    in_force_at: datetime | None
    ended_at: datetime | None
    effective_start: datetime
    lead_time_hours: float | None = Field(description="Effective start minus first notification, in hours.")
    meets_advance_notice: bool | None
    cap_url: str | None

    @staticmethod
    def resolve_issuer(obj: Measure) -> str:
        return obj.issuer.code

    @staticmethod
    def resolve_issuer_name(obj: Measure) -> str:
        return obj.issuer.name

    @staticmethod
    def resolve_type_label(obj: Measure) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_border_sections(obj: Measure) -> list[str]:
        return sorted(s.code for s in obj.border_sections.all())

    @staticmethod
    def resolve_crossing_points(obj: Measure) -> list[str]:
        return sorted(p.code for p in obj.crossing_points.all())

    @staticmethod
    def resolve_lead_time_hours(obj: Measure) -> float | None:
        return round(obj.lead_time.total_seconds() / 3600, 1) if obj.lead_time is not None else None

    @staticmethod
    def resolve_meets_advance_notice(obj: Measure) -> bool | None:
        from seemix.measures.compliance import is_on_time

        return is_on_time(obj)

    @staticmethod
    def resolve_cap_url(obj: Measure) -> str | None:
        return f"/api/v1/measures/{obj.pk}/cap.xml" if obj.first_notified_at else None


class AddresseesIn(StrictInput):
    addressees: list[str] = Field(description="Participant codes.")


class AcknowledgementOut(Schema):
    acknowledged_at: datetime
    acknowledged_by: str
    comment: str


class AddresseeOut(Schema):
    participant: str
    name: str
    reasons: list[str]
    state: str = Field(
        description="not_notified, awaiting, acknowledged, escalated or no_acknowledgement_asked."
    )
    acknowledge_by: datetime | None
    acknowledgement: AcknowledgementOut | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_participant(obj: AddresseeState) -> str:
        return obj.participant.code

    @staticmethod
    def resolve_name(obj: AddresseeState) -> str:
        return obj.participant.name

    @staticmethod
    def resolve_acknowledgement(obj: AddresseeState) -> dict[str, Any] | None:
        ack = obj.acknowledgement
        if ack is None:
            return None
        return {
            "acknowledged_at": ack.acknowledged_at,
            "acknowledged_by": ack.acknowledged_by_label,
            "comment": ack.comment,
        }

    @staticmethod
    def resolve_escalated_at(obj: AddresseeState) -> datetime | None:
        return obj.escalation.escalated_at if obj.escalation else None


class NotificationOut(Schema):
    id: int
    measure: int
    sequence: int
    kind: str
    msg_type: str
    identifier: str
    sender: str
    sent_at: datetime
    note: str
    requires_acknowledgement: bool
    recipients: list[str]
    cap_url: str

    @staticmethod
    def resolve_measure(obj: Any) -> int:
        return int(obj.measure_id)

    @staticmethod
    def resolve_recipients(obj: Any) -> list[str]:
        return sorted(r.participant.code for r in obj.recipients.all())

    @staticmethod
    def resolve_cap_url(obj: Any) -> str:
        return f"/api/v1/notifications/{obj.pk}/cap.xml"


class ActionIn(StrictInput):
    note: str = ""


class EffectiveIn(StrictInput):
    at: datetime | None = Field(None, description="When it happened; default now.")
    note: str = ""


class AcknowledgeIn(StrictInput):
    comment: str = Field("", description="An optional comment or question to the issuer.")
    participant: str | None = Field(
        None, description="The addressee acknowledging, if the caller coordinates more than one."
    )
    notification: int | None = Field(None, description="Default: the latest notification asking for it.")


class AcknowledgeOut(Schema):
    notification: int
    participant: str
    acknowledged_at: datetime
    acknowledged_by: str
    comment: str


class TimelineEventOut(Schema):
    at: datetime
    kind: str
    summary: str
    participant: str
    notification_id: int | None
    details: dict[str, Any]


class InboxItemOut(Schema):
    notification: int
    measure: int
    issuer: str
    title: str
    kind: str
    msg_type: str
    sent_at: datetime
    participant: str
    acknowledge_by: datetime | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_notification(obj: Recipient) -> int:
        return obj.notification_id

    @staticmethod
    def resolve_measure(obj: Recipient) -> int:
        return obj.notification.measure_id

    @staticmethod
    def resolve_issuer(obj: Recipient) -> str:
        return obj.notification.measure.issuer.code

    @staticmethod
    def resolve_title(obj: Recipient) -> str:
        return obj.notification.measure.title

    @staticmethod
    def resolve_kind(obj: Recipient) -> str:
        return obj.notification.kind

    @staticmethod
    def resolve_msg_type(obj: Recipient) -> str:
        return obj.notification.msg_type

    @staticmethod
    def resolve_sent_at(obj: Recipient) -> datetime:
        return obj.notification.sent_at

    @staticmethod
    def resolve_participant(obj: Recipient) -> str:
        return obj.participant.code

    @staticmethod
    def resolve_acknowledged_at(obj: Recipient) -> datetime | None:
        ack = getattr(obj, "acknowledgement", None)
        return ack.acknowledged_at if ack else None

    @staticmethod
    def resolve_escalated_at(obj: Recipient) -> datetime | None:
        esc = getattr(obj, "escalation", None)
        return esc.escalated_at if esc else None


class ComplianceRowOut(Schema):
    participant: str
    name: str
    measures: int
    planned: int
    planned_on_time: int
    immediate: int
    on_time: int
    share_planned_on_time: float | None
    share_on_time: float | None
    median_lead_time_hours: float | None
    shortest_lead_time_hours: float | None

    @staticmethod
    def resolve_participant(obj: ParticipantCompliance) -> str:
        return obj.participant.code

    @staticmethod
    def resolve_name(obj: ParticipantCompliance) -> str:
        return obj.participant.name


class ComplianceOut(Schema):
    start: date
    end: date
    advance_notice_days: int
    participants: list[ComplianceRowOut]


class SubscriptionIn(StrictInput):
    participant: str | None = Field(None, description="Default: the caller's only participant.")
    countries: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-2; empty = all measures."
    )


class SubscriptionOut(Schema):
    participant: str
    countries: list[str]
    updated_at: datetime

    @staticmethod
    def resolve_participant(obj: Subscription) -> str:
        return obj.participant.code


class AlertOut(Schema):
    id: int
    participant: str
    sender: str
    identifier: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    event: str
    headline: str
    areas: list[dict[str, Any]]
    classification: str
    received_at: datetime

    @staticmethod
    def resolve_participant(obj: Alert) -> str:
        return obj.participant.code


class AlertReceivedOut(Schema):
    id: int | None = Field(
        description="The stored alert's id (null for a duplicate stored by another participant)."
    )
    sender: str
    identifier: str
    sent: str
    duplicate: bool


class ChoiceOut(Schema):
    value: str
    label: str
