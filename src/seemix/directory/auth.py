"""API authentication: a bearer token, or the session of a signed-in page user (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from seemix.core.access import Principal
from seemix.directory.principals import principal_for_token, principal_for_user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return principal_for_token(token)


class SessionAuth(APIKeyCookie):
    """The signed-in user of the pages. Unsafe methods need the CSRF token, as on the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Principal | None:
        # The CSRF check runs only for a signed-in user: a caller without a session (or with a bad
        # token) must get 401, not a misleading "CSRF check failed".
        if "Authorization" in request.headers:
            # A request that presents a token is judged by that token alone: an expired or revoked
            # token must answer 401 even from a browser that also holds a session.
            return None
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header of the page.")
        return principal_for_user(user)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        return self(request)


token_auth = TokenAuth()
session_auth = SessionAuth()
# Token first: a machine client sends no cookies, and a token's narrower scope must win.
api_auth = [token_auth, session_auth]
