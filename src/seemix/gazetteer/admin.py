"""Django admin for the gazetteer's reference data (the admin site admits platform administrators only).

Every change made here goes through the gazetteer's services, so it is checked exactly like an API
call and leaves its audit row. The form's ``clean()`` runs the service in a transaction that is
rolled back, so every problem the service finds shows beside its field before anything is saved.
Only route edges can be deleted; capacity figures are added, never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from seemix.core.access import Principal
from seemix.core.errors import InvalidInput
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import services
from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingPoint,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
)


def _actor(request: HttpRequest) -> Principal:
    return principal_for_user(request.user)


class _RolledBack(Exception):
    pass


def _dry_run(call: Callable[[], Any]) -> list[Any]:
    """The FieldErrors the service call raises, writing nothing whatever it does."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return []
    except InvalidInput as exc:
        return exc.errors


def _code(value: Any) -> str | None:
    return value.code if value is not None else None


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves are service calls: subclasses say which, in ``perform``."""

    readonly_on_change: tuple[str, ...] = ()

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        raise NotImplementedError

    def normalise(self, data: dict[str, Any]) -> dict[str, Any]:
        """Bring the form's data into the form the model's own checks expect (after the service's)."""
        return data

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*self.readonly_on_change, "updated_at") if obj else ("updated_at",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class CheckedByService(form_class):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                data = model_admin.normalise(super().clean() or {})
                if not self.errors:
                    current = type(obj).objects.get(pk=obj.pk) if obj is not None else None
                    for error in _dry_run(lambda: model_admin.perform(request, current, data, change)):
                        self.add_error(error.field if error.field in self.fields else None, error.message)
                return data

        return CheckedByService

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        # The form has already copied its values onto ``obj``: the service compares with the stored row.
        current = type(obj).objects.get(pk=obj.pk) if change else None
        obj.pk = self.perform(request, current, form.cleaned_data, change).pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Country)
class CountryAdmin(ServiceAdmin):
    list_display = ("code", "alpha3", "name", "local_name", "is_seecp_participant")
    list_filter = ("is_seecp_participant",)
    search_fields = ("code", "alpha3", "name", "local_name")
    fields = ("code", "alpha3", "name", "local_name", "is_seecp_participant", "geometry", "updated_at")
    readonly_on_change = ("code", "alpha3")

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        values = {k: data[k] for k in ("name", "local_name", "is_seecp_participant", "geometry")}
        if change:
            return services.update_country(obj, actor=_actor(request), **values)
        return services.create_country(
            actor=_actor(request), code=data["code"], alpha3=data["alpha3"], **values
        )


@admin.register(BorderSection)
class BorderSectionAdmin(ServiceAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    fields = ("country_a", "country_b", "name", "geometry", "updated_at")
    readonly_on_change = ("country_a", "country_b")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # Left empty, the name and the shipped border line are filled in by the service.
        for name in ("name", "geometry"):
            if name in form.base_fields:
                form.base_fields[name].required = False
        return form

    def normalise(self, data: dict[str, Any]) -> dict[str, Any]:
        # A section is stored once, its two countries in alphabetical order (the service's rule too).
        a, b = data.get("country_a"), data.get("country_b")
        if a is not None and b is not None and b.code < a.code:
            data["country_a"], data["country_b"] = b, a
        return data

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        if change:
            return services.update_border_section(
                obj, actor=_actor(request), name=data["name"], geometry=data["geometry"]
            )
        return services.create_border_section(
            actor=_actor(request),
            countries=[_code(data["country_a"]), _code(data["country_b"])],  # type: ignore[list-item]
            name=data.get("name") or "",
            geometry=data.get("geometry") or None,
        )


@admin.register(CrossingPoint)
class CrossingPointAdmin(ServiceAdmin):
    list_display = ("code", "name", "name_latin", "country", "border_section", "counterpart", "kind")
    list_filter = ("kind", "country")
    search_fields = ("code", "name", "name_latin")
    fields = (
        "code",
        "name",
        "name_latin",
        "country",
        "border_section",
        "counterpart",
        "kind",
        "latitude",
        "longitude",
        "notes",
        "updated_at",
    )
    readonly_on_change = ("code", "country")

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        values = {k: data[k] for k in ("name", "name_latin", "kind", "latitude", "longitude", "notes")}
        values["border_section"] = _code(data.get("border_section"))
        values["counterpart"] = _code(data.get("counterpart"))
        if change:
            return services.update_crossing_point(obj, actor=_actor(request), **values)
        return services.create_crossing_point(
            actor=_actor(request), code=data["code"], country=data["country"].code, **values
        )


class SiteCapacityInline(admin.TabularInline):
    """The capacity history, read-only: a new figure is added under Site capacities."""

    model = SiteCapacity
    fields = ("valid_from", "capacity", "source", "recorded_at", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReceptionSite)
class ReceptionSiteAdmin(ServiceAdmin):
    list_display = ("code", "name_latin", "country", "kind", "opened_on", "closed_on")
    list_filter = ("kind", "country")
    search_fields = ("code", "name", "name_latin")
    fields = (
        "code",
        "name",
        "name_latin",
        "country",
        "kind",
        "latitude",
        "longitude",
        "opened_on",
        "closed_on",
        "notes",
        "updated_at",
    )
    readonly_on_change = ("code", "country")
    inlines = [SiteCapacityInline]

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        values = {
            k: data[k]
            for k in (
                "name",
                "name_latin",
                "kind",
                "latitude",
                "longitude",
                "opened_on",
                "closed_on",
                "notes",
            )
        }
        if change:
            return services.update_site(obj, actor=_actor(request), **values)
        return services.create_site(
            actor=_actor(request), code=data["code"], country=data["country"].code, **values
        )


@admin.register(SiteCapacity)
class SiteCapacityAdmin(ServiceAdmin):
    list_display = ("site", "valid_from", "capacity", "source", "recorded_at")
    list_filter = ("site",)
    fields = ("site", "capacity", "valid_from", "source")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("site", "capacity", "valid_from", "source", "recorded_at", "recorded_by") if obj else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        return services.record_site_capacity(
            data["site"],
            actor=_actor(request),
            capacity=data["capacity"],
            valid_from=data["valid_from"],
            source=data.get("source") or "",
        )


def _node(data: dict[str, Any], prefix: str) -> services.NodeRef:
    for kind in ("country", "crossing_point", "site"):
        value = data.get(f"{prefix}_{kind}")
        if value is not None:
            return services.NodeRef(kind, value.code)
    return services.NodeRef("country", "")


@admin.register(RouteEdge)
class RouteEdgeAdmin(ServiceAdmin):
    list_display = ("__str__", "typical_days", "mode", "valid_from", "valid_until")
    list_filter = ("mode",)
    fields = (
        "origin_country",
        "origin_crossing_point",
        "origin_site",
        "destination_country",
        "destination_crossing_point",
        "destination_site",
        "typical_days",
        "mode",
        "valid_from",
        "valid_until",
        "notes",
        "updated_at",
    )
    readonly_on_change = (
        "origin_country",
        "origin_crossing_point",
        "origin_site",
        "destination_country",
        "destination_crossing_point",
        "destination_site",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def perform(self, request: HttpRequest, obj: Any, data: dict[str, Any], change: bool) -> models.Model:
        values = {k: data[k] for k in ("typical_days", "mode", "valid_from", "valid_until", "notes")}
        if change:
            return services.update_route_edge(obj, actor=_actor(request), **values)
        return services.create_route_edge(
            actor=_actor(request),
            origin=_node(data, "origin"),
            destination=_node(data, "destination"),
            **values,
        )

    def delete_model(self, request: HttpRequest, obj: RouteEdge) -> None:
        services.delete_route_edge(obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for edge in queryset:
            services.delete_route_edge(edge, actor=_actor(request))
