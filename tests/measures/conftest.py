"""Fixtures of the measures tests: the gazetteer and every participant loaded, callers by role,
a drafted closure of the Hungarian-Serbian border, and the CAP schema check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from lxml import etree

from seemix.core.models import AuditEntry
from seemix.directory.models import ContactPoint, Membership, Participant
from seemix.directory.principals import principal_for_user
from seemix.directory.services import load_participants
from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingPoint,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
)
from seemix.gazetteer.services import load_gazetteer
from seemix.measures import services
from seemix.measures.cap_schema import schema
from seemix.measures.inputs import MeasureData
from seemix.measures.models import (
    Acknowledgement,
    Addressee,
    Escalation,
    Measure,
    Notification,
    Recipient,
    StatusChange,
)
from tests.conftest import ApiClient

User = get_user_model()
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The measures of the tests are planned relative to the time the tests start.
NOW = datetime.now(UTC).replace(microsecond=0)


class SessionApiClient(ApiClient):
    """Speaks to the API as a signed-in page user (session cookie)."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.client = Client()
        self.client.force_login(user, backend=MODEL_BACKEND)


REFERENCE_MODELS = [
    Country,
    BorderSection,
    CrossingPoint,
    ReceptionSite,
    SiteCapacity,
    RouteEdge,
    Participant,
]
_reference_rows: list[tuple[Any, list[dict[str, Any]]]] = []


@pytest.fixture
def world(db: Any) -> dict[str, Participant]:
    """The shipped gazetteer and all shipped participants (HU, RS, HR, RCC, ...), by code.

    Loaded through the services once per session, then copied row for row into each test's
    transaction (the loaders' hundreds of queries would cost seconds per test).
    """
    if not _reference_rows:
        load_gazetteer(actor=None)
        load_participants(actor=None)
        for model in REFERENCE_MODELS:
            fields = [f.attname for f in model._meta.concrete_fields]
            _reference_rows.append(
                (model, [dict(zip(fields, row, strict=True)) for row in model.objects.values_list(*fields)])
            )
    else:
        for model, rows in _reference_rows:
            model.objects.bulk_create([model(**row) for row in rows])
    return {p.code: p for p in Participant.objects.all()}


@pytest.fixture
def user_of(world: dict[str, Participant]) -> Callable[..., Any]:
    """user_of("HU", "coordinator") -> a new user holding that role (None, None: no membership)."""
    counter = {"n": 0}

    def make(code: str | None, role: str | None) -> Any:
        counter["n"] += 1
        name = f"{(code or 'nobody').lower()}-{role or 'none'}-{counter['n']}"
        user = User.objects.create_user(
            username=name, email=f"{name}@example.org", password="x-very-long-pw-1"
        )
        if code and role:
            Membership.objects.create(user=user, participant=world[code], role=role)
        return user

    return make


@pytest.fixture
def caller(api: Callable[[Any], ApiClient], user_of: Callable[..., Any]) -> Callable[[str], ApiClient]:
    """caller("HU coordinator") -> an API client with a token for that role; "anonymous";
    "nobody" (signed in, no membership)."""

    def make(who: str) -> ApiClient:
        if who == "anonymous":
            return api(None)
        if who == "nobody":
            return SessionApiClient(user_of(None, None))
        code, role = who.split()
        return api(user_of(code, role))

    return make


@pytest.fixture
def principal(user_of: Callable[..., Any]) -> Callable[[str, str], Any]:
    def make(code: str, role: str) -> Any:
        return principal_for_user(user_of(code, role))

    return make


def closure_data(**overrides: Any) -> MeasureData:
    values: dict[str, Any] = {
        "type": "closure",
        "title": "Closure of the border with Serbia",
        "description": "The green border with Serbia is closed; crossing only at the transit zones.",
        "planned_start": NOW + timedelta(days=10),
        "planned_end": None,
        "path": "planned",
        "original_language": "hu",
        "original_title": "A szerb határ lezárása",
        "legal_basis": "Act CXL of 2015",
        "reasons": "Mass influx",
        "border_sections": ("HU-RS",),
        "crossing_points": ("HU-ROSZKE",),
        "nationalities": (),
        "expected_of_others": "Serbia: direct persons to the transit zones.",
    }
    values.update(overrides)
    return MeasureData(**values)


@pytest.fixture
def draft_closure(world: dict[str, Participant]) -> Measure:
    """A REGIONAL draft of Hungary: closure of HU-RS, planned 10 days after NOW."""
    return services.create_measure(actor=None, issuer=world["HU"], data=closure_data())


@pytest.fixture
def restricted_closure(world: dict[str, Participant]) -> Measure:
    """A RESTRICTED draft of Hungary whose only addressees are Serbia and the secretariat."""
    measure = services.create_measure(
        actor=None, issuer=world["HU"], data=closure_data(classification="restricted")
    )
    services.set_addressees(measure, actor=None, codes=["RS", "RCC"])
    return measure


@pytest.fixture
def contact_points(world: dict[str, Participant]) -> None:
    """A measures contact point with email, and a 24/7 one, for RS, HR and RCC."""
    for code in ("RS", "HR", "RCC", "HU"):
        ContactPoint.objects.create(
            participant=world[code],
            topic="measures",
            name="Measures desk",
            email=f"measures@{code.lower()}.example",
        )
        ContactPoint.objects.create(
            participant=world[code],
            topic="general",
            name="Duty officer",
            email=f"duty@{code.lower()}.example",
            available_24_7=True,
        )


def counts() -> dict[str, int]:
    """Row counts of everything a measures call may write, to show that a denial wrote nothing."""
    from seemix.outbox.models import Delivery

    models = [
        Measure,
        Addressee,
        Notification,
        Recipient,
        Acknowledgement,
        Escalation,
        StatusChange,
        Delivery,
    ]
    return {m.__name__: m.objects.count() for m in models} | {"audit": AuditEntry.objects.count()}


def assert_valid_cap(xml: str | bytes) -> etree._Element:
    """Parse and validate against the shipped OASIS CAP 1.2 schema; the root element."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data)
    validator = schema()
    assert validator.validate(root), [f"{e.line}: {e.message}" for e in validator.error_log]
    return root


@pytest.fixture
def notified_restricted(restricted_closure: Measure) -> Measure:
    """The RESTRICTED closure, notified by the system to RS and RCC."""
    services.notify_measure(restricted_closure, actor=None)
    restricted_closure.refresh_from_db()
    return restricted_closure


@pytest.fixture
def in_force_restricted(notified_restricted: Measure) -> Measure:
    return services.bring_into_force(notified_restricted, actor=None)
