"""Domain errors. The API turns each into an RFC 7807 problem; pages into a message or a 404."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """Raised alike when an object does not exist and when the caller may not see it."""

    status = 404
    title = "Not found"
    type_slug = "not-found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"No {kind} {key!s} is visible to you.")
        self.kind = kind


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class NotAuthenticated(DomainError):
    status = 401
    title = "Authentication required"
    type_slug = "not-authenticated"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


class InvalidInput(DomainError):
    """One or more fields are wrong. Nothing has been written."""

    status = 422
    title = "Invalid input"
    type_slug = "invalid-input"

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))
