"""The demo's users and contact points: one user per role for each demo participant.

Every address here is fictitious (example.org, +000 numbers): the demo must never suggest a real
ministry's contact details.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from seemix.core.classification import Classification
from seemix.directory.models import ContactPoint, ContactTopic, Membership, Role
from seemix.directory.services import create_contact_point, create_user, grant_membership

DEMO_PASSWORD = "seemix-demo-2016"
DEMO_PARTICIPANTS = ["GR", "MK", "RS", "HR", "HU", "SI", "AT", "RCC"]
ROLES = [Role.REPORTER, Role.COORDINATOR, Role.ANALYST, Role.OBSERVER]
ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    participant: str
    role: str


def demo_username(code: str, role: str) -> str:
    return f"{code.lower()}-{role}"


def ensure_demo_users() -> list[DemoLogin]:
    """Create the demo accounts that do not exist yet; running it again changes nothing."""
    users = get_user_model().objects
    logins = [DemoLogin(ADMIN_USERNAME, "", "platform administrator")]
    with transaction.atomic():
        if not users.filter(username=ADMIN_USERNAME).exists():
            create_user(
                actor=None,
                username=ADMIN_USERNAME,
                email="admin@demo.example.org",
                password=DEMO_PASSWORD,
                is_platform_admin=True,
            )
        for code in DEMO_PARTICIPANTS:
            for role in ROLES:
                username = demo_username(code, role)
                user = users.filter(username=username).first()
                if user is None:
                    create_user(
                        actor=None,
                        username=username,
                        email=f"{username}@demo.example.org",
                        password=DEMO_PASSWORD,
                        participant=code,
                        role=role,
                    )
                elif not Membership.objects.filter(user=user, participant__code=code, role=role).exists():
                    grant_membership(actor=None, user=user, participant=code, role=role)
                logins.append(DemoLogin(username, code, role))
    return logins


def ensure_demo_contact_points() -> int:
    """Fictitious contact points for the demo participants; one RESTRICTED to show the audience rule."""
    created = 0
    with transaction.atomic():
        for index, code in enumerate(DEMO_PARTICIPANTS):
            if ContactPoint.objects.filter(participant__code=code).exists():
                continue
            create_contact_point(
                actor=None,
                participant=code,
                topic=ContactTopic.GENERAL,
                name="National coordination centre, duty officer (demo)",
                email=f"duty.{code.lower()}@demo.example.org",
                phone=f"+000 100 {index:03d} 247",
                available_24_7=True,
                languages=["en"],
            )
            create_contact_point(
                actor=None,
                participant=code,
                topic=ContactTopic.FLOWS,
                name="Border police statistics desk (demo)",
                email=f"flows.{code.lower()}@demo.example.org",
                languages=["en"],
            )
            created += 2
            if code == "RS":
                # Visible only to Serbia and its two neighbours on the route: the demo's RESTRICTED case.
                create_contact_point(
                    actor=None,
                    participant=code,
                    topic=ContactTopic.MEASURES,
                    name="Operational border liaison, Preševo and Šid (demo)",
                    email="liaison.rs@demo.example.org",
                    phone="+000 100 999 000",
                    available_24_7=True,
                    languages=["sr", "en"],
                    classification=Classification.RESTRICTED,
                    audience=["MK", "HR"],
                )
                created += 1
    return created
