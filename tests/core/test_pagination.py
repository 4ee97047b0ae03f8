"""List endpoints page with limit/offset and a hard maximum page size (SEEMIX_PAGE_SIZE_MAX)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_limit_above_the_maximum_is_refused_naming_limit(caller):
    # when
    response = caller("RS reporter").get("/api/v1/participants", {"limit": settings.SEEMIX_PAGE_SIZE_MAX + 1})
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


def test_the_maximum_itself_is_accepted(caller):
    # when
    response = caller("RS reporter").get("/api/v1/participants", {"limit": settings.SEEMIX_PAGE_SIZE_MAX})
    # then
    assert response.status_code == 200
    assert response.json()["limit"] == settings.SEEMIX_PAGE_SIZE_MAX


@pytest.mark.parametrize(("params", "field"), [({"limit": 0}, "limit"), ({"offset": -1}, "offset")])
def test_limit_and_offset_must_be_sensible(params, field, caller):
    # when
    response = caller("RS reporter").get("/api/v1/participants", params)
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_pages_follow_one_another(caller):
    # given: seven participants
    client = caller("RS reporter")
    # when
    first = client.get("/api/v1/participants", {"limit": 3})
    last = client.get("/api/v1/participants", {"limit": 3, "offset": 6})
    # then
    assert (first.json()["count"], first.json()["limit"], first.json()["offset"]) == (7, 3, 0)
    assert [p["code"] for p in first.json()["items"]] == ["AT", "HR", "GR"]
    assert [p["code"] for p in last.json()["items"]] == ["SI"]


def test_the_default_page_size_applies_without_a_limit(caller):
    # when
    response = caller("RS reporter").get("/api/v1/participants")
    # then
    assert response.json()["limit"] == settings.SEEMIX_PAGE_SIZE_DEFAULT
