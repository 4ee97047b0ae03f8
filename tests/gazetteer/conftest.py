"""Fixtures of the gazetteer tests: callers by description, a small gazetteer, the full seed, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.gazetteer import services
from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingPoint,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
)
from seemix.gazetteer.reference_data import country_features, seed
from tests.conftest import ApiClient

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SMALL_COUNTRIES = ["AL", "GR", "MK", "RS"]


class SessionApiClient(ApiClient):
    """Speaks to the API as a signed-in page user (session cookie)."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.client = Client()
        self.client.force_login(user, backend=MODEL_BACKEND)


@pytest.fixture
def caller(
    api: Callable[[Any], ApiClient], make_user: Callable[..., Any], request: pytest.FixtureRequest
) -> Callable[[str], ApiClient]:
    """caller(who): "anonymous", "nobody" (signed in, no membership), "admin" (an administrator's
    token), or "<participant> <role>" such as "RS coordinator" (a token for that one membership)."""

    def make(who: str) -> ApiClient:
        if who == "anonymous":
            return api(None)
        if who == "nobody":
            return SessionApiClient(make_user())
        if who == "admin":
            return api(request.getfixturevalue("platform_admin"))
        code, role = who.split()
        return api(make_user(code, role))

    return make


def snapshot() -> dict[str, int]:
    """Row counts of every gazetteer table and of the audit log: a denied call changes none."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Country,
            BorderSection,
            CrossingPoint,
            ReceptionSite,
            SiteCapacity,
            RouteEdge,
            AuditEntry,
        )
    }


def seed_row(kind: str, code: str) -> dict[str, Any]:
    return next(row for row in seed()[kind] if row.get("code") == code)


def add_country(code: str) -> Country:
    row, feature = seed_row("countries", code), country_features()[code]
    return services.create_country(
        actor=None,
        code=code,
        alpha3=row["alpha3"],
        name=row["name"],
        local_name=row["local_name"],
        is_seecp_participant=row["seecp"],
        geometry=feature["geometry"],
        label_point=tuple(feature["properties"]["label_point"]),
    )


def add_crossing_point(code: str, *, counterpart: str | None = None) -> CrossingPoint:
    row = seed_row("crossing_points", code)
    return services.create_crossing_point(
        actor=None,
        counterpart=counterpart,
        **{
            k: row[k]
            for k in (
                "code",
                "name",
                "name_latin",
                "country",
                "border_section",
                "kind",
                "latitude",
                "longitude",
                "notes",
            )
        },
    )


@pytest.fixture
def small_gazetteer(db: Any) -> dict[str, Any]:
    """Albania, Greece, North Macedonia and Serbia; the GR-MK and MK-RS sections; Idomeni/Gevgelija
    and Tabanovce/Miratovac with their counterparts; the Preševo site with one capacity figure;
    two route edges. Made through the services, as the system."""
    countries = {code: add_country(code) for code in SMALL_COUNTRIES}
    sections = {
        pair: services.create_border_section(actor=None, countries=pair.split("-"))
        for pair in ("GR-MK", "MK-RS")
    }
    points = {}
    for code, partner in (
        ("GR-IDOMENI", None),
        ("MK-GEVGELIJA", "GR-IDOMENI"),
        ("MK-TABANOVCE", None),
        ("RS-MIRATOVAC", "MK-TABANOVCE"),
    ):
        points[code] = add_crossing_point(code, counterpart=partner)
    site = services.create_site(
        actor=None,
        code="RS-PRESEVO",
        name="Прихватни центар Прешево",
        name_latin="Preševo one-stop centre",
        country="RS",
        kind="registration",
        latitude=42.3045,
        longitude=21.658,
        capacity=1000,
        capacity_valid_from=date(2016, 7, 25),
        capacity_source="kt.gov.rs",
    )
    edges = [
        services.create_route_edge(
            actor=None,
            origin=services.NodeRef("crossing_point", "MK-TABANOVCE"),
            destination=services.NodeRef("crossing_point", "RS-MIRATOVAC"),
            typical_days=0.1,
            mode="foot",
        ),
        services.create_route_edge(
            actor=None,
            origin=services.NodeRef("crossing_point", "RS-MIRATOVAC"),
            destination=services.NodeRef("site", "RS-PRESEVO"),
            typical_days=0.5,
            mode="road",
            valid_until=date(2016, 3, 8),
        ),
    ]
    return {"countries": countries, "sections": sections, "points": points, "site": site, "edges": edges}


@pytest.fixture
def seeded(db: Any) -> services.LoadSummary:
    """The whole shipped gazetteer, loaded as the system."""
    return services.load_gazetteer(actor=None)
