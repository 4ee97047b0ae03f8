"""Forms of the picture pages: the day, the moment "as of" and the layer; setting an impact level."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from seemix.core.errors import InvalidInput
from seemix.situation.models import ImpactLevel
from seemix.situation.picture_params import parse_as_of

LAYER_CHOICES = [("arrivals", _("Arrivals")), ("occupancy", _("Occupancy of sites"))]


class PictureForm(forms.Form):
    date = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: the latest day with reports."),
    )  # fmt: skip
    # Read by picture_params.parse_as_of (a moment without a zone is UTC, whatever TIME_ZONE says).
    as_of = forms.CharField(
        label=_("As known at (UTC)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "60"}),
        help_text=_("Show the figures as they were known then. Empty: now."),
    )  # fmt: skip
    layer = forms.ChoiceField(
        label=_("Shade countries by"), choices=LAYER_CHOICES, required=False, widget=forms.RadioSelect,
        initial="arrivals",
    )  # fmt: skip

    def clean_as_of(self) -> datetime | None:
        try:
            return parse_as_of(self.cleaned_data["as_of"])
        except InvalidInput as error:
            raise forms.ValidationError(error.errors[0].message) from None

    def clean_layer(self) -> str:
        return self.cleaned_data["layer"] or "arrivals"


class ImpactForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label=_("Impact level"), choices=ImpactLevel.choices)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the level and shown to every member."),
    )  # fmt: skip
