"""Fixtures of the flows tests: the gazetteer and indicator catalogue loaded, callers by description."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.directory.principals import principal_for_user
from seemix.flows.inputs import ObservationInput, SourceLocation
from seemix.flows.models import Observation, Report, ReportRevision, Submission
from seemix.flows.services import load_indicators
from seemix.gazetteer.services import load_gazetteer
from tests.conftest import ApiClient

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionApiClient(ApiClient):
    """Speaks to the API as a signed-in page user (session cookie)."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.client = Client()
        self.client.force_login(user, backend=MODEL_BACKEND)


@pytest.fixture
def gazetteer(db: Any) -> None:
    """The whole shipped gazetteer, loaded as the system."""
    load_gazetteer(actor=None)


@pytest.fixture
def indicators(db: Any) -> None:
    load_indicators(actor=None)


@pytest.fixture
def flows_world(gazetteer: None, indicators: None, participants: dict[str, Any]) -> dict[str, Any]:
    """Gazetteer, indicators and the participants of tests/conftest.py: what every flows test needs."""
    return participants


@pytest.fixture
def caller(
    api: Callable[[Any], ApiClient], make_user: Callable[..., Any], request: pytest.FixtureRequest
) -> Callable[[str], ApiClient]:
    """caller(who): "anonymous", "nobody" (signed in, no membership), "admin" (an administrator's
    token), or "<participant> <role>" such as "RS reporter" (a token for that one membership)."""

    made: list[str] = []

    def make(who: str) -> ApiClient:
        made.append(who)
        if who == "anonymous":
            return api(None)
        if who == "nobody":
            return SessionApiClient(make_user())
        if who == "admin":
            return api(request.getfixturevalue("platform_admin"))
        code, role = who.split()
        return api(make_user(code, role, username=f"{code.lower()}-{role}-{len(made)}"))

    return make


@pytest.fixture
def principal_of(make_user: Callable[..., Any]) -> Callable[[str, str], Any]:
    """principal_of("RS", "reporter") -> the Principal of a new user holding that role."""

    made: list[str] = []

    def make(code: str, role: str) -> Any:
        name = f"p-{code.lower()}-{role}"
        name += f"-{made.count(name)}" if name in made else ""
        made.append(f"p-{code.lower()}-{role}")
        return principal_for_user(make_user(code, role, username=name))

    return make


def row(
    place: str,
    value: int | None,
    *,
    day: date = date(2016, 1, 10),
    indicator: str = "ARRIVALS",
    number: int = 2,
    counterpart: str = "",
    breakdown: str = "",
    breakdown_value: str = "",
    file: str = "",
) -> ObservationInput:
    """One input row, located at row ``number`` of ``file``."""
    return ObservationInput(
        location=SourceLocation(file=file, row=number),
        date=day,
        indicator=indicator,
        place=place,
        value=value,
        counterpart=counterpart,
        breakdown=breakdown,
        breakdown_value=breakdown_value,
    )


def counts() -> dict[str, int]:
    """Row counts of the flows tables and the audit log: a denied call changes none."""
    return {
        model.__name__: model.objects.count()
        for model in (Report, ReportRevision, Observation, Submission, AuditEntry)
    }
