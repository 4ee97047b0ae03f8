from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.http import require_GET

from seemix.core.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE
from seemix.core.request_context import current_request_id


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers. Reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a path no route matches: problem+json under /api/, the page otherwise."""
    if request.path.startswith("/api/"):
        body = {
            "type": PROBLEM_TYPE_BASE + "not-found",
            "title": "Not found",
            "status": 404,
            "detail": "No API operation at this path. See /api/v1/docs.",
            "instance": request.path,
            "request_id": current_request_id(),
        }
        return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
    return defaults.page_not_found(request, exception or Http404())
