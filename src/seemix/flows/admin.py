"""Django admin for flows: the indicator catalogue is edited here through the services (checked like
an API call, with its audit row); reports, revisions and observations are shown read-only, because
figures change only by a new revision submitted through the one validation path."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from seemix.core.errors import InvalidInput
from seemix.directory.principals import principal_for_user
from seemix.flows import services
from seemix.flows.models import Indicator, Report, ReportRevision

EDITABLE = ("name", "definition", "unit", "allowed_breakdowns", "needs_counterpart", "source", "is_active")


class _RolledBack(Exception):
    pass


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ("code", "periodicity", *EDITABLE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        values = {k: data.get(k) for k in EDITABLE}
        try:
            with transaction.atomic():
                if self.instance.pk is None:
                    code, periodicity = data.get("code"), data.get("periodicity")
                    services.create_indicator(actor=None, code=code, periodicity=periodicity, **values)
                else:
                    fresh = Indicator.objects.get(pk=self.instance.pk)
                    services.update_indicator(fresh, actor=None, **values)
                raise _RolledBack
        except _RolledBack:
            pass
        except InvalidInput as exc:
            for error in exc.errors:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "periodicity", "unit", "needs_counterpart", "is_active")
    list_filter = ("periodicity", "is_active")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Observations keep their meaning: an indicator's code and periodicity never change.
        return ("code", "periodicity") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        actor = principal_for_user(request.user)
        values = {k: form.cleaned_data.get(k) for k in EDITABLE}
        if change:
            saved = services.update_indicator(Indicator.objects.get(pk=obj.pk), actor=actor, **values)
        else:
            saved = services.create_indicator(
                actor=actor,
                code=form.cleaned_data["code"],
                periodicity=form.cleaned_data["periodicity"],
                **values,
            )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = ReportRevision
    fields = ("number", "status", "classification", "channel", "created_by", "submitted_at", "superseded_at",
              "observation_count", "note")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("participant", "periodicity", "period_start", "created_at")
    list_filter = ("periodicity", "participant")
    date_hierarchy = "period_start"
    inlines = [RevisionInline]
