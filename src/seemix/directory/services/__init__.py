"""Every state change of the directory: participants, memberships, users, contact points, API tokens.

Each function checks the actor's rights, then every field (all wrong fields are reported at once, as
``InvalidInput``), then writes in one transaction with its audit row. ``actor=None`` is the system
itself (management commands run by the operator on the server); the API always passes its Principal.
"""

from seemix.directory.services.contact_points import (
    check_contact_point,
    create_contact_point,
    deactivate_contact_point,
    update_contact_point,
)
from seemix.directory.services.participants import (
    LoadResult,
    create_participant,
    deactivate_participant,
    load_participants,
    update_participant,
)
from seemix.directory.services.tokens import IssuedToken, issue_token, revoke_token
from seemix.directory.services.users import create_user, grant_membership, revoke_membership

__all__ = [
    "IssuedToken",
    "LoadResult",
    "check_contact_point",
    "create_contact_point",
    "create_participant",
    "create_user",
    "deactivate_contact_point",
    "deactivate_participant",
    "grant_membership",
    "issue_token",
    "load_participants",
    "revoke_membership",
    "revoke_token",
    "update_contact_point",
    "update_participant",
]
