"""The directory API's typed input and output. Inputs refuse unknown fields (a typo must not pass)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from seemix.core.classification import Classification
from seemix.directory.models import ApiToken, ContactPoint, ContactTopic, Membership, ParticipantKind, Role


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Participants ---------------------------------------------------------------------------------


class ParticipantOut(Schema):
    code: str
    name: str
    kind: ParticipantKind
    is_active: bool


class ParticipantIn(StrictInput):
    code: str = Field(description="ISO 3166-1 alpha-2 for states (XK for Kosovo); FRONTEX, IOM, RCC...")
    name: str
    kind: ParticipantKind


class ParticipantPatch(StrictInput):
    name: str | None = None
    kind: ParticipantKind | None = None
    is_active: bool | None = None


# --- Contact points -------------------------------------------------------------------------------


class ContactPointOut(Schema):
    id: int
    participant: str = Field(description="The owning participant's code.")
    topic: ContactTopic
    name: str
    email: str
    phone: str
    available_24_7: bool
    languages: list[str] = Field(description="ISO 639-1 codes.")
    notes: str
    classification: Classification
    audience: list[str] = Field(description="For RESTRICTED contact points: the codes that may see it.")
    is_active: bool
    updated_at: datetime

    @staticmethod
    def resolve_participant(obj: ContactPoint) -> str:
        return obj.participant.code

    @staticmethod
    def resolve_audience(obj: ContactPoint) -> list[str]:
        return sorted(p.code for p in obj.audience.all())


class ContactPointIn(StrictInput):
    participant: str = Field(description="Code of the participant the contact point belongs to.")
    topic: ContactTopic
    name: str = Field(description="Office or person.")
    email: str = ""
    phone: str = Field("", description="International format, e.g. +381 11 123 4567.")
    available_24_7: bool = False
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes, e.g. ['sr', 'en'].")
    notes: str = ""
    classification: Classification = Classification.REGIONAL
    audience: list[str] = Field(default_factory=list, description="Participant codes; RESTRICTED only.")


class ContactPointPatch(StrictInput):
    topic: ContactTopic | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    available_24_7: bool | None = None
    languages: list[str] | None = None
    notes: str | None = None
    classification: Classification | None = None
    audience: list[str] | None = None
    is_active: bool | None = None


class ContactPointFilter(Schema):
    participant: str | None = Field(None, description="A participant code.")
    topic: ContactTopic | None = None
    available_24_7: bool | None = None


# --- Memberships ----------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    user: str
    participant: str
    role: Role
    created_at: datetime

    @staticmethod
    def resolve_user(obj: Membership) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_participant(obj: Membership) -> str:
        return obj.participant.code


class MembershipIn(StrictInput):
    user: str = Field(description="The user name.")
    participant: str = Field(description="A participant code.")
    role: Role


# --- API tokens -----------------------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    name: str
    participant: str | None = Field(
        description="The participant the token acts for; null: administrator token."
    )
    role: str
    prefix: str = Field(
        description="The public part of the token, to recognise it; the secret is never shown again."
    )
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    is_usable: bool

    @staticmethod
    def resolve_participant(obj: ApiToken) -> str | None:
        return obj.participant.code if obj.participant else None


class TokenCreated(Schema):
    token: TokenOut
    secret: str = Field(description="The bearer token. Shown this once: store it now.")


class TokenIn(StrictInput):
    name: str = Field(description="Where the token is used, e.g. 'national border police system'.")
    participant: str | None = Field(None, description="One of your memberships' participants.")
    role: Role | None = None
    days: int | None = Field(None, description="Lifetime in days (default and maximum set by the platform).")


# --- Me -------------------------------------------------------------------------------------------


class GrantOut(Schema):
    participant: ParticipantOut
    role: Role


class MeOut(Schema):
    username: str
    email: str
    full_name: str
    is_platform_admin: bool
    memberships: list[GrantOut] = Field(description="What this request acts as: a token carries exactly one.")
    token: TokenOut | None = Field(description="The token this request was made with; null for a session.")
    contact_points: list[ContactPointOut] = Field(description="Contact points of your participants.")
