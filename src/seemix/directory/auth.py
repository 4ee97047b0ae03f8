"""API authentication: a bearer token, or the session of a signed-in page user (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from seemix.core.access import Principal
from seemix.directory.principals import principal_for_token, principal_for_user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return principal_for_token(token)


class SessionAuth(APIKeyCookie):
    """The signed-in user of the pages. Unsafe methods need the CSRF token, as on the pages."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return principal_for_user(user)


token_auth = TokenAuth()
session_auth = SessionAuth()
# Token first: a machine client sends no cookies, and a token's narrower scope must win.
api_auth = [token_auth, session_auth]
