"""Fixtures shared by every test: participants, users by role, and an API client per principal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from seemix.directory.models import Membership, Participant, ParticipantKind, Role
from seemix.directory.principals import principal_for_user
from seemix.directory.services import issue_token

User = get_user_model()

PARTICIPANTS = [
    ("GR", "Greece", ParticipantKind.SEECP),
    ("MK", "North Macedonia", ParticipantKind.SEECP),
    ("RS", "Serbia", ParticipantKind.SEECP),
    ("HR", "Croatia", ParticipantKind.SEECP),
    ("SI", "Slovenia", ParticipantKind.SEECP),
    ("AT", "Austria", ParticipantKind.EU_MEMBER_STATE),
    ("RCC", "Regional Cooperation Council Secretariat", ParticipantKind.SECRETARIAT),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (tested on its own); tests need thousands of cheap hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def participants(db: Any) -> dict[str, Participant]:
    return {
        code: Participant.objects.create(code=code, name=name, kind=kind) for code, name, kind in PARTICIPANTS
    }


@pytest.fixture
def make_user(participants: dict[str, Participant]) -> Callable[..., Any]:
    """make_user("RS", "coordinator") -> a user holding that one role; make_user() -> no membership."""

    def make(
        code: str | None = None, role: str | None = None, *, username: str | None = None, admin: bool = False
    ) -> Any:
        name = username or f"{(code or 'nobody').lower()}-{role or 'admin' if admin else role or 'none'}"
        user = User.objects.create_user(
            username=name,
            email=f"{name}@example.org",
            password="correct horse battery staple",
            is_superuser=admin,
            is_staff=admin,
        )
        if code and role:
            Membership.objects.create(user=user, participant=participants[code], role=role)
        return user

    return make


@pytest.fixture
def platform_admin(make_user: Callable[..., Any]) -> Any:
    return make_user(username="platform-admin", admin=True)


class ApiClient:
    """A test client speaking JSON to /api/v1/ as one principal (a bearer token, or anonymous)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if data is not None:
            if method == "get":
                kwargs["data"] = data
            else:
                kwargs["data"] = json.dumps(data)
                kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("get", path, data, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("post", path, data, **headers)

    def put(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("put", path, data, **headers)

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("patch", path, data, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._call("delete", path, None, **headers)


@pytest.fixture
def api(db: Any) -> Callable[[Any], ApiClient]:
    """api(user) -> ApiClient with a token for the user's single membership; api(None) -> anonymous."""

    def as_user(user: Any | None) -> ApiClient:
        if user is None:
            return ApiClient()
        principal = principal_for_user(user)
        membership = Membership.objects.filter(user=user).select_related("participant").first()
        issued = issue_token(
            actor=principal,
            name="test",
            participant=membership.participant if membership else None,
            role=membership.role if membership else "",
        )
        return ApiClient(issued.secret)

    return as_user


ROLES = [r.value for r in Role]
