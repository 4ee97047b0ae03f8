"""Django admin for the directory, for platform administrators only.

Every change made here goes through the directory's services, so it is checked like an API call and
leaves its audit row. Tokens are never made here (a user makes their own, and sees the secret once);
an administrator may only revoke one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.errors import DomainError, FieldError, InvalidInput
from seemix.directory import services
from seemix.directory.models import ApiToken, ContactPoint, Membership, Participant
from seemix.directory.principals import is_platform_admin, principal_for_user
from seemix.directory.validation import kind_errors, participant_code_errors


def platform_admins_only(request: HttpRequest) -> bool:
    """The whole admin site: platform administrators (active superusers), not merely staff."""
    return is_platform_admin(getattr(request, "user", None))


# Django's default site admits any active staff user; seemix's admin holds reference data and users.
admin.site.has_permission = platform_admins_only  # type: ignore[method-assign]


def _actor(request: HttpRequest) -> Principal:
    return principal_for_user(request.user)


def _add_field_errors(form: forms.ModelForm, errors: list[FieldError]) -> None:
    for error in errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Participants ---------------------------------------------------------------------------------


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["code", "name", "kind", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, kind = data.get("code") or self.instance.code, data.get("kind")
        if kind:
            _add_field_errors(self, kind_errors(kind) + participant_code_errors(code, kind))
        return data


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    form = ParticipantForm
    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    actions = ["deactivate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Participant | None = None) -> list[str]:
        # Audit rows, tokens and other apps' data cite the code: it is fixed once made.
        return ["code", "created_at"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Participant, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.update_participant(
                obj, actor=_actor(request), name=data["name"], kind=data["kind"], is_active=data["is_active"]
            )
        else:
            created = services.create_participant(
                actor=_actor(request), code=data["code"], name=data["name"], kind=data["kind"]
            )
            if not data.get("is_active", True):
                services.deactivate_participant(created, actor=_actor(request))
            obj.pk = created.pk

    @admin.action(description=_("Deactivate the selected participants"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        for participant in queryset:
            services.deactivate_participant(participant, actor=_actor(request))


# --- Memberships ----------------------------------------------------------------------------------


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Granted and revoked, never edited: a change of role is a revocation and a new grant."""

    list_display = ("user", "participant", "role", "created_at")
    list_filter = ("role", "participant")
    search_fields = ("user__username", "participant__code")
    autocomplete_fields = ("user",)
    fields = ("user", "participant", "role")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        granted = services.grant_membership(
            actor=_actor(request), user=data["user"], participant=data["participant"], role=data["role"]
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.revoke_membership(obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "participant"):
            services.revoke_membership(membership, actor=_actor(request))


# --- Contact points -------------------------------------------------------------------------------


CONTACT_FIELDS = [
    "participant",
    "topic",
    "name",
    "email",
    "phone",
    "available_24_7",
    "languages",
    "notes",
    "classification",
    "audience",
    "is_active",
]


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = CONTACT_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Dry-run the service's checks on a copy, so that errors appear beside their fields.
        try:
            services.check_contact_point(
                topic=data.get("topic") or "",
                name=data.get("name") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                languages=data.get("languages") or [],
                classification=data.get("classification") or "",
                audience=[p.code for p in data.get("audience") or []],
            )
        except InvalidInput as exc:
            _add_field_errors(self, exc.errors)
        return data


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    form = ContactPointForm
    list_display = (
        "participant",
        "topic",
        "name",
        "email",
        "phone",
        "available_24_7",
        "classification",
        "is_active",
    )
    list_filter = ("topic", "classification", "available_24_7", "is_active", "participant")
    search_fields = ("name", "email", "participant__code")
    filter_horizontal = ("audience",)

    def get_readonly_fields(self, request: HttpRequest, obj: ContactPoint | None = None) -> list[str]:
        return ["participant"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the history of who was reachable stays

    def save_model(
        self, request: HttpRequest, obj: ContactPoint, form: forms.ModelForm, change: bool
    ) -> None:
        data = dict(form.cleaned_data)
        data["audience"] = [p.code for p in data.get("audience") or []]
        try:
            if change:
                fresh = ContactPoint.objects.get(pk=obj.pk)
                data.pop("participant", None)
                services.update_contact_point(fresh, actor=_actor(request), **data)
            else:
                is_active = data.pop("is_active", True)
                created = services.create_contact_point(actor=_actor(request), **data)
                if not is_active:
                    services.deactivate_contact_point(created, actor=_actor(request))
                obj.pk = created.pk
        except DomainError as exc:  # pragma: no cover - the form's clean() ran the same checks
            messages.error(request, exc.detail)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """The service has set the audience already; the form must not write it a second time."""


# --- API tokens -----------------------------------------------------------------------------------


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "participant",
        "role",
        "prefix",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("role", "participant")
    search_fields = ("name", "prefix", "user__username")
    # Only the SHA-256 of the secret is stored; the secret itself exists nowhere to be shown.
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("participant"):
            services.revoke_token(token, actor=_actor(request))


# --- User accounts ---------------------------------------------------------------------------------


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin, with an audit row for every account change made through it.

    Accounts are deactivated, never deleted: their audit history must keep pointing at them.
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _audit(self, request: HttpRequest, obj: Any, action: str, message: Any) -> None:
        with transaction.atomic():
            audit.record(_actor(request), action, obj, changes={"admin": str(message)})

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "user.created", message)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, "user.changed", message)
        return entry
