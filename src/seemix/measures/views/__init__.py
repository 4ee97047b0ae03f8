"""Pages of measures: draft and notify, a measure's page, the inbox, the regional timeline, compliance.

Each view parses, asks a query or calls a service, and renders. The services check the roles; a
view checks them up front only to refuse a form its user could never send. "Missing" and "not
allowed to see" are both a 404; a role the action needs is a 403.
"""

from seemix.measures.views.drafting import delete, edit, new, notify, review
from seemix.measures.views.inbox import acknowledge, inbox
from seemix.measures.views.measure import bring_into_force, cancel, detail, lift, update
from seemix.measures.views.region import compliance_page, timeline

__all__ = [
    "acknowledge",
    "bring_into_force",
    "cancel",
    "compliance_page",
    "delete",
    "detail",
    "edit",
    "inbox",
    "lift",
    "new",
    "notify",
    "review",
    "timeline",
    "update",
]
