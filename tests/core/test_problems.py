"""Every API error is RFC 7807 problem+json, from one handler, and a 500 reveals nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}


def assert_problem(response, status, title):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert (body["status"], body["title"], body["instance"]) == (status, title, response.request["PATH_INFO"])
    assert body["type"].startswith("https://seemix.invalid/problems/")
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_401_problem(api):
    # when
    response = api(None).get("/api/v1/participants")
    # then
    body = assert_problem(response, 401, "Authentication required")
    assert body["type"].endswith("/not-authenticated")


def test_403_problem(caller):
    # when
    response = caller("RS reporter").post(
        "/api/v1/participants", {"code": "AL", "name": "Albania", "kind": "seecp"}
    )
    # then
    body = assert_problem(response, 403, "Forbidden")
    assert body["detail"] == "Only platform administrators may do this."


def test_404_problem(caller):
    # when
    response = caller("RS reporter").get("/api/v1/participants/ZZ")
    # then
    body = assert_problem(response, 404, "Not found")
    assert body["detail"] == "No participant ZZ is visible to you."


def test_422_problem_names_each_field(caller):
    # when
    response = caller("admin").post("/api/v1/participants", {"code": "AL"})
    # then
    body = assert_problem(response, 422, "Invalid input")
    assert sorted(e["field"] for e in body["errors"]) == ["kind", "name"]


def test_500_problem_does_not_leak_the_exception(caller, monkeypatch):
    # given
    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("seemix.directory.queries.participants_for", explode)
    client = caller("RS reporter")
    # when
    response = client.get("/api/v1/participants")
    # then
    body = assert_problem(response, 500, "Internal server error")
    assert "hunter2" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
    assert (
        body["detail"] == "The server failed to handle this request. Quote the request id when reporting it."
    )
