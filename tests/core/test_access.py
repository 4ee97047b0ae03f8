"""core.access.visible_to: PUBLIC to everyone signed in, REGIONAL to members, RESTRICTED to the owner
and the named audience; platform administration is no exemption."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from seemix.core.access import Grant, Principal, require_platform_admin, require_role, visible_to
from seemix.core.classification import Classification
from seemix.core.errors import Forbidden
from seemix.directory.models import ContactPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(participants):
    def make(code, classification, audience=()):
        point = ContactPoint.objects.create(
            participant=participants[code],
            topic="general",
            name=f"{code} {classification}",
            email="desk@example.org",
            classification=classification,
        )
        point.audience.set([participants[c] for c in audience])
        return point

    return {
        "public": make("RS", Classification.PUBLIC),
        "regional": make("RS", Classification.REGIONAL),
        "restricted to HR": make("RS", Classification.RESTRICTED, ["HR"]),
        "restricted to HR and SI": make("GR", Classification.RESTRICTED, ["HR", "SI"]),
    }


def principal(participants, *grants, admin=False):
    user = get_user_model()(username="someone")
    return Principal(
        user=user,
        grants=frozenset(Grant(participants[code].pk, code, role) for code, role in grants),
        is_platform_admin=admin,
    )


def visible(points, who):
    ids = set(visible_to(ContactPoint.objects.all(), who).values_list("pk", flat=True))
    return sorted(name for name, point in points.items() if point.pk in ids)


@pytest.mark.parametrize(
    ("grants", "admin", "expected"),
    [
        ((), False, ["public"]),
        ((), True, ["public"]),
        ((("MK", "analyst"),), False, ["public", "regional"]),
        ((("RS", "observer"),), False, ["public", "regional", "restricted to HR"]),
        ((("HR", "reporter"),), False, ["public", "regional", "restricted to HR", "restricted to HR and SI"]),
        ((("SI", "reporter"),), False, ["public", "regional", "restricted to HR and SI"]),
        ((("GR", "reporter"),), False, ["public", "regional", "restricted to HR and SI"]),
        ((("MK", "analyst"), ("SI", "analyst")), False, ["public", "regional", "restricted to HR and SI"]),
        ((("AT", "observer"),), True, ["public", "regional"]),
    ],
)
def test_visible_to(grants, admin, expected, participants, points):
    # given
    who = principal(participants, *grants, admin=admin)
    # when
    seen = visible(points, who)
    # then
    assert seen == expected


def test_require_role(participants):
    # given
    coordinator = principal(participants, ("RS", "coordinator"))
    # then
    require_role(coordinator, participants["RS"].pk, "coordinator")
    with pytest.raises(Forbidden):
        require_role(coordinator, participants["RS"].pk, "reporter")
    with pytest.raises(Forbidden):
        require_role(coordinator, participants["GR"].pk, "coordinator")


def test_require_platform_admin(participants):
    # then
    require_platform_admin(principal(participants, admin=True))
    with pytest.raises(Forbidden):
        require_platform_admin(principal(participants, ("RS", "coordinator")))
