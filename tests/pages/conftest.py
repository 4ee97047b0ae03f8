"""Fixtures of the page tests: signed-in browsers by description, contact points, gazetteer places."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from seemix.core.classification import Classification
from seemix.directory.models import ContactPoint, ContactTopic, Participant

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def browser(make_user: Callable[..., Any], request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """browser(who): a test client for "anonymous", "nobody" (signed in, no membership), "admin"
    (platform administrator without membership) or "<code> <role>", e.g. "RS coordinator"."""

    def make(who: str) -> Client:
        client = Client()
        if who == "anonymous":
            return client
        if who == "nobody":
            user = make_user()
        elif who == "admin":
            user = request.getfixturevalue("platform_admin")
        else:
            code, role = who.split()
            user = make_user(code, role)
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return make


def contact_point(participant: Participant, name: str, **fields: Any) -> ContactPoint:
    audience = fields.pop("audience", [])
    values: dict[str, Any] = {
        "topic": ContactTopic.GENERAL,
        "email": f"{name.lower().replace(' ', '.')}@example.org",
        "classification": Classification.REGIONAL,
        **fields,
    }
    point = ContactPoint.objects.create(participant=participant, name=name, **values)
    point.audience.set(audience)
    return point


@pytest.fixture
def contact_points(participants: dict[str, Participant]) -> dict[str, ContactPoint]:
    """Serbia: a REGIONAL 24/7 desk and a RESTRICTED line for Croatia only; Greece: a RESTRICTED
    line for nobody else, and a REGIONAL one."""
    rs, hr, gr = participants["RS"], participants["HR"], participants["GR"]
    return {
        "rs-regional": contact_point(
            rs,
            "Border Police Operations Centre",
            topic=ContactTopic.FLOWS,
            phone="+381 11 306 2000",
            available_24_7=True,
            languages=["sr", "en"],
        ),
        "rs-restricted": contact_point(
            rs,
            "Liaison desk for Croatia",
            topic=ContactTopic.READMISSION,
            classification=Classification.RESTRICTED,
            audience=[hr],
        ),
        "gr-regional": contact_point(gr, "Hellenic Police Aliens Division", topic=ContactTopic.MEASURES),
        "gr-restricted": contact_point(
            gr,
            "Evros night duty officer",
            topic=ContactTopic.FLOWS,
            classification=Classification.RESTRICTED,
            phone="+30 25510 00000",
        ),
    }


@pytest.fixture
def gazetteer(db: Any) -> Any:
    """The shipped reference data of the 2015-2016 route, loaded as `seemix demo` loads it."""
    from seemix.gazetteer.services import load_gazetteer

    return load_gazetteer()
