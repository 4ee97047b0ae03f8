"""RFC 7807 problem+json responses for every API error, from one place."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from seemix.core.errors import DomainError, FieldError, InvalidInput
from seemix.core.request_context import current_request_id

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://seemix.invalid/problems/"  # a URI reference, never fetched
PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    title: str,
    slug: str,
    detail: str,
    errors: list[FieldError] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": current_request_id(),
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message, "code": e.code} for e in errors]
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _ninja_field(loc: list[Any]) -> str:
    # ninja locates errors as ["body", "payload", "field", ...]; the user wants the field path.
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "header", "form", "payload"}]
    return ".".join(parts) or "request"


def django_validation_errors(exc: DjangoValidationError) -> list[FieldError]:
    if hasattr(exc, "error_dict"):
        return [
            FieldError(field if field != "__all__" else "request", message, code="invalid")
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [FieldError("request", message) for message in exc.messages]


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = exc.errors if isinstance(exc, InvalidInput) else None
        return problem_response(
            api,
            request,
            status=exc.status,
            title=exc.title,
            slug=exc.type_slug,
            detail=exc.detail,
            errors=errors,
        )

    @api.exception_handler(NinjaValidationError)
    def request_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            FieldError(
                _ninja_field(list(e.get("loc", []))), str(e.get("msg", "")), str(e.get("type", "invalid"))
            )
            for e in exc.errors
        ]
        return problem_response(
            api,
            request,
            status=422,
            title="Invalid input",
            slug="invalid-input",
            detail="; ".join(f"{e.field}: {e.message}" for e in errors),
            errors=errors,
        )

    @api.exception_handler(DjangoValidationError)
    def model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = django_validation_errors(exc)
        return problem_response(
            api,
            request,
            status=422,
            title="Invalid input",
            slug="invalid-input",
            detail="; ".join(f"{e.field}: {e.message}" for e in errors),
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem_response(
            api,
            request,
            status=401,
            title="Authentication required",
            slug="not-authenticated",
            detail="Send a valid, unexpired API token as 'Authorization: Bearer <token>', or sign in.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="seemix"'
        return response

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(
            api, request, status=403, title="Forbidden", slug="forbidden", detail=str(exc) or "Not allowed."
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(
            api, request, status=404, title="Not found", slug="not-found", detail="Not found."
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(
            api,
            request,
            status=exc.status_code,
            title=str(exc.message),
            slug="http-error",
            detail=str(exc.message),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The detail of an unexpected error may hold restricted data: log it, never return it.
        logger.exception("unhandled error in API request %s %s", request.method, request.path)
        return problem_response(
            api,
            request,
            status=500,
            title="Internal server error",
            slug="server-error",
            detail="The server failed to handle this request. Quote the request id when reporting it.",
        )
