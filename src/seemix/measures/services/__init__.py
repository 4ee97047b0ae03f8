"""Every state change of measures: verb-named, keyword-only ``actor``, checks first, one transaction,
an audit row each. ``actor=None`` is the system itself (the demo loader, commands, tasks).

- drafts: ``create_measure``, ``update_draft``, ``delete_draft``, ``set_addressees``
- notifications: ``notify_measure``, ``update_measure``, ``cancel_measure``, ``bring_into_force``,
  ``lift_measure``
- acknowledgements: ``acknowledge_notification``, ``escalate_overdue``
- subscriptions and received alerts: ``subscribe``, ``unsubscribe``, ``receive_cap_alert``
"""

from seemix.measures.services.acknowledgements import acknowledge_notification, escalate_overdue
from seemix.measures.services.alerts import ReceivedAlert, receive_cap_alert
from seemix.measures.services.drafts import create_measure, delete_draft, set_addressees, update_draft
from seemix.measures.services.notifications import (
    bring_into_force,
    cancel_measure,
    lift_measure,
    notify_measure,
    update_measure,
)
from seemix.measures.services.subscriptions import subscribe, unsubscribe

__all__ = [
    "ReceivedAlert",
    "acknowledge_notification",
    "bring_into_force",
    "cancel_measure",
    "create_measure",
    "delete_draft",
    "escalate_overdue",
    "lift_measure",
    "notify_measure",
    "receive_cap_alert",
    "set_addressees",
    "subscribe",
    "unsubscribe",
    "update_draft",
    "update_measure",
]
