"""Django admin for measures: read-only views (changes go through the services, which audit them).

Notifications, acknowledgements, escalations and received alerts are records of what happened:
the admin shows them and never changes or deletes them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seemix.measures.models import Acknowledgement, Alert, Escalation, Measure, Notification, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "issuer", "type", "status", "path", "planned_start", "first_notified_at"]
    list_filter = ["status", "type", "path", "issuer"]
    search_fields = ["title", "description"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "measure", "msg_type", "kind", "sent_at"]
    list_filter = ["msg_type", "kind"]
    exclude = ["cap_xml"]
    readonly_fields = ["cap_xml"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "acknowledged_by_label", "acknowledged_at"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "escalated_at"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["sender", "identifier", "sent", "msg_type", "participant", "received_at"]
    list_filter = ["msg_type", "scope"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["participant", "countries", "updated_at"]
