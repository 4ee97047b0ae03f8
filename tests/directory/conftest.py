"""Fixtures of the directory tests: callers by description, contact points, and a row-count snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from seemix.core.classification import Classification
from seemix.core.models import AuditEntry
from seemix.directory.models import ApiToken, ContactPoint, ContactTopic, Membership, Participant
from tests.conftest import ApiClient

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionApiClient(ApiClient):
    """Speaks to the API as a signed-in page user (session cookie), the way the pages' scripts do."""

    def __init__(self, user: Any, *, enforce_csrf_checks: bool = False) -> None:
        super().__init__()
        from django.test import Client

        self.client = Client(enforce_csrf_checks=enforce_csrf_checks)
        self.client.force_login(user, backend=MODEL_BACKEND)


@pytest.fixture
def session_api(db: Any) -> Callable[..., SessionApiClient]:
    return SessionApiClient


@pytest.fixture
def caller(
    api: Callable[[Any], ApiClient], make_user: Callable[..., Any], request: pytest.FixtureRequest
) -> Callable[[str], ApiClient]:
    """caller(who): who is "anonymous", "nobody", "admin", "admin session", "RS coordinator" (token),
    or "RS coordinator session".

    "nobody" is a signed-in user without any membership (no token can be made for such a user).
    Participant callers use a token for their one membership unless "session" is said.
    """

    def make(who: str) -> ApiClient:
        if who == "anonymous":
            return api(None)
        if who == "nobody":
            return SessionApiClient(make_user())
        if who.startswith("admin"):
            admin = request.getfixturevalue("platform_admin")
            return SessionApiClient(admin) if who.endswith("session") else api(admin)
        code, role, *session = who.split()
        user = make_user(code, role)
        return SessionApiClient(user) if session else api(user)

    return make


def snapshot() -> dict[str, int]:
    """What a denied call must leave as it was: row counts, and every state flag a service changes."""
    return {
        "participants": Participant.objects.count(),
        "active participants": Participant.objects.filter(is_active=True).count(),
        "memberships": Membership.objects.count(),
        "contact points": ContactPoint.objects.count(),
        "active contact points": ContactPoint.objects.filter(is_active=True).count(),
        "audience rows": ContactPoint.audience.through.objects.count(),
        "tokens": ApiToken.objects.count(),
        "revoked tokens": ApiToken.objects.filter(revoked_at__isnull=False).count(),
        "audit entries": AuditEntry.objects.count(),
    }


@pytest.fixture
def make_contact_point(participants: dict[str, Participant]) -> Callable[..., ContactPoint]:
    def make(
        code: str,
        *,
        classification: str = Classification.REGIONAL,
        audience: tuple[str, ...] = (),
        topic: str = ContactTopic.GENERAL,
        name: str | None = None,
        **fields: Any,
    ) -> ContactPoint:
        point = ContactPoint.objects.create(
            participant=participants[code],
            topic=topic,
            name=name or f"{code} {classification} {topic} desk",
            email=fields.pop("email", f"{code.lower()}-{topic}@example.org"),
            classification=classification,
            **fields,
        )
        point.audience.set([participants[c] for c in audience])
        return point

    return make


@pytest.fixture
def rs_regional(make_contact_point: Callable[..., ContactPoint]) -> ContactPoint:
    return make_contact_point("RS", topic=ContactTopic.FLOWS, available_24_7=True, languages=["sr", "en"])


@pytest.fixture
def rs_restricted_for_hr(make_contact_point: Callable[..., ContactPoint]) -> ContactPoint:
    """Serbia's readmission desk, RESTRICTED to Croatia: Greece must not learn it exists."""
    return make_contact_point(
        "RS", classification=Classification.RESTRICTED, audience=("HR",), topic=ContactTopic.READMISSION
    )
