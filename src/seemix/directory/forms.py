"""Forms of the directory's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from seemix.directory.models import Membership


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.participant.name} ({obj.participant.code}) — {obj.get_role_display()}"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_('Where the token is used, e.g. "national border police system".'),
    )
    membership = MembershipChoiceField(
        label=_("Acts as"),
        queryset=Membership.objects.none(),
        empty_label=None,
        help_text=_("The token can do exactly what this membership allows, and nothing more."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.SEEMIX_TOKEN_MAX_DAYS,
        initial=settings.SEEMIX_TOKEN_DEFAULT_DAYS,
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in memberships]).select_related(
            "participant"
        )
