"""The NinjaAPI that mounts each app's router under /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from seemix.core.problems import install_problem_handlers
from seemix.directory.api import router as directory_router
from seemix.directory.auth import api_auth
from seemix.gazetteer.api import router as gazetteer_router

api = NinjaAPI(
    title="seemix API",
    version="1",
    description=(
        "The South-East European Migration Information eXchange. Authenticate with "
        "`Authorization: Bearer TOKEN` (tokens are made on the Tokens page or with POST /api/v1/tokens). "
        "Errors are RFC 7807 problem+json."
    ),
    urls_namespace="api-v1",
    auth=api_auth,
    docs_url="/docs",
)
install_problem_handlers(api)
api.add_router("/", directory_router)
api.add_router("/", gazetteer_router)
api.add_router("/", "seemix.flows.api_status.router")
api.add_router("/", "seemix.flows.api_exports.router")
api.add_router("/", "seemix.flows.api.router")
api.add_router("/", "seemix.outbox.api.router")
api.add_router("/", "seemix.measures.api.router")
api.add_router("/", "seemix.measures.api_feeds.router")
api.add_router("/", "seemix.situation.api.router")
api.add_router("/", "seemix.situation.api_alerts.router")
api.add_router("/", "seemix.situation.api_timelines.router")
api.add_router("/", "seemix.situation.api_forecasts.router")
api.add_router("/", "seemix.situation.api_reconciliation.router")
api.add_router("/", "seemix.situation.api_scenarios.router")
