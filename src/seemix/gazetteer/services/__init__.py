"""Every state change of the gazetteer. Platform administrators only; ``actor=None`` is the system
itself (the ``load_gazetteer`` command), which only trusted code can pass.

Each function checks first (authorisation, then every field, reporting all problems at once as
``InvalidInput``), then writes in one transaction together with its audit row. An update that
changes nothing writes nothing, not even an audit row, so loading the seed twice is a no-op.
Codes and geometry are given as the API sees them (ISO codes, GeoJSON), so the seed loader,
the API and the admin all go through the same checks.
"""

from seemix.gazetteer.services._common import UNSET, Actor, Unset
from seemix.gazetteer.services.countries import (
    create_border_section,
    create_country,
    update_border_section,
    update_country,
)
from seemix.gazetteer.services.crossing_points import create_crossing_point, update_crossing_point
from seemix.gazetteer.services.loader import LoadSummary, load_gazetteer
from seemix.gazetteer.services.route import NodeRef, create_route_edge, delete_route_edge, update_route_edge
from seemix.gazetteer.services.sites import create_site, record_site_capacity, update_site

__all__ = [
    "UNSET",
    "Actor",
    "LoadSummary",
    "NodeRef",
    "Unset",
    "create_border_section",
    "create_country",
    "create_crossing_point",
    "create_route_edge",
    "create_site",
    "delete_route_edge",
    "load_gazetteer",
    "record_site_capacity",
    "update_border_section",
    "update_country",
    "update_crossing_point",
    "update_route_edge",
    "update_site",
]
