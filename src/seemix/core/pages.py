"""What every app's pages share: sign-in, and the domain's refusals turned into HTTP ones."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from seemix.core.errors import Forbidden, NotFound


def pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the queries' and services' NotFound and Forbidden become 404 and 403 (the
    same 404 for "missing" and "not yours", as the queries decide)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None

    return wrapper
