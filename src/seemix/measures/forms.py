"""Forms of the measures pages. They parse and present; the services validate and write.

``MeasureForm`` turns the page's fields into ``MeasureData``; the ``InvalidInput`` a service raises
is put back on the form field by field (``attach_errors``), so the page and the API refuse the same
input for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from seemix.core.classification import Classification
from seemix.core.errors import InvalidInput
from seemix.directory.models import Participant
from seemix.gazetteer.models import BorderSection, CrossingPoint
from seemix.measures.inputs import MeasureData
from seemix.measures.models import MeasureType, NotificationPath

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _codes(value: str) -> tuple[str, ...]:
    """'SY, af iq' -> ('SY', 'AF', 'IQ')."""
    return tuple(part.upper() for part in value.replace(",", " ").replace(";", " ").split() if part)


def attach_errors(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's field errors on the form: on the field of that name, else above the form."""
    for field_error in error.errors:
        name = field_error.field if field_error.field in form.fields else None
        form.add_error(name, field_error.message)


class Form(forms.Form):
    """No colon after the labels: the page's layout sets them apart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MeasureForm(Form):
    """Every field of a measure (issue 4, item 1), grouped on the page as the template says."""

    issuer = forms.ModelChoiceField(
        label=_("Issuing participant"), queryset=Participant.objects.none(), empty_label=None
    )
    type = forms.ChoiceField(label=_("Type of measure"), choices=MeasureType.choices)
    title = forms.CharField(label=_("Title (English)"), max_length=300)
    description = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}))
    original_language = forms.CharField(
        label=_("Original language"),
        required=False,
        max_length=8,
        help_text=_("ISO 639-1 code, e.g. hu or sr-Latn. Leave empty when the original is English."),
    )
    original_title = forms.CharField(label=_("Title (original language)"), required=False, max_length=300)
    original_description = forms.CharField(
        label=_("Description (original language)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    border_sections = forms.MultipleChoiceField(
        label=_("Affected border sections"), required=False, widget=forms.CheckboxSelectMultiple
    )
    crossing_points = forms.MultipleChoiceField(
        label=_("Affected crossing points"), required=False, widget=forms.CheckboxSelectMultiple
    )
    nationalities = forms.CharField(
        label=_("Nationalities concerned"),
        required=False,
        help_text=_("ISO 3166-1 alpha-2 codes separated by commas, e.g. SY, AF, IQ. Empty: everyone."),
    )
    categories_of_persons = forms.CharField(
        label=_("Categories of persons concerned"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_start = forms.DateTimeField(label=_("Planned start"), widget=DATETIME_INPUT)
    planned_end = forms.DateTimeField(
        label=_("Planned end"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Empty: until further notice."),
    )
    persons_affected_per_day = forms.IntegerField(
        label=_("Estimated persons affected per day"), required=False, min_value=0
    )
    expected_of_others = forms.CharField(
        label=_("Measures expected of other parties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the neighbours and the route should prepare (Schengen Borders Code, Art. 27)."),
    )
    path = forms.ChoiceField(
        label=_("Path"),
        choices=NotificationPath.choices,
        widget=forms.RadioSelect,
        initial=NotificationPath.PLANNED,
    )
    immediate_justification = forms.CharField(
        label=_("Why prior notice is impossible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for the immediate path."),
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        widget=forms.RadioSelect,
        initial=Classification.REGIONAL,
        help_text=_(
            "A restricted measure is read only by its issuer, its addressees and the audience below."
        ),
    )
    audience = forms.MultipleChoiceField(
        label=_("Further readers of a restricted measure"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        issuers: Iterable[Participant],
        border_sections: Iterable[BorderSection],
        crossing_points: Iterable[CrossingPoint],
        participants: Iterable[Participant],
        fixed_issuer: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        issuers = list(issuers)
        issuer_field = self.fields["issuer"]
        assert isinstance(issuer_field, forms.ModelChoiceField)
        issuer_field.queryset = Participant.objects.filter(pk__in=[p.pk for p in issuers]).order_by("name")
        if fixed_issuer or len(issuers) == 1:
            issuer_field.disabled = True
            issuer_field.initial = issuers[0].pk if issuers else None
        sections = self.fields["border_sections"]
        assert isinstance(sections, forms.MultipleChoiceField)
        sections.choices = [(s.code, f"{s.code} · {s.name}") for s in border_sections]
        points = self.fields["crossing_points"]
        assert isinstance(points, forms.MultipleChoiceField)
        points.choices = [(p.code, f"{p.name_latin} ({p.code})") for p in crossing_points]
        audience = self.fields["audience"]
        assert isinstance(audience, forms.MultipleChoiceField)
        audience.choices = [(p.code, f"{p.name} ({p.code})") for p in participants]
        for name in ("planned_start", "planned_end"):
            field = self.fields[name]
            zone = _("Time zone: %(zone)s.") % {"zone": settings.TIME_ZONE}
            field.help_text = f"{field.help_text} {zone}".strip()

    def to_data(self) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            type=d["type"],
            title=d["title"],
            description=d["description"],
            planned_start=d["planned_start"],
            path=d["path"],
            planned_end=d.get("planned_end"),
            original_language=d.get("original_language", "").strip(),
            original_title=d.get("original_title", ""),
            original_description=d.get("original_description", ""),
            legal_basis=d.get("legal_basis", ""),
            reasons=d.get("reasons", ""),
            border_sections=tuple(d.get("border_sections", ())),
            crossing_points=tuple(d.get("crossing_points", ())),
            nationalities=_codes(d.get("nationalities", "")),
            categories_of_persons=d.get("categories_of_persons", ""),
            persons_affected_per_day=d.get("persons_affected_per_day"),
            expected_of_others=d.get("expected_of_others", ""),
            immediate_justification=d.get("immediate_justification", ""),
            classification=d["classification"],
            audience=tuple(d.get("audience", ())) if d["classification"] == Classification.RESTRICTED else (),
        )


def initial_of(data: MeasureData, issuer: Participant) -> dict[str, Any]:
    """The form's initial values for an existing measure's content."""
    return {
        "issuer": issuer.pk,
        "type": data.type,
        "title": data.title,
        "description": data.description,
        "original_language": data.original_language,
        "original_title": data.original_title,
        "original_description": data.original_description,
        "legal_basis": data.legal_basis,
        "reasons": data.reasons,
        "border_sections": list(data.border_sections),
        "crossing_points": list(data.crossing_points),
        "nationalities": ", ".join(data.nationalities),
        "categories_of_persons": data.categories_of_persons,
        "planned_start": data.planned_start,
        "planned_end": data.planned_end,
        "persons_affected_per_day": data.persons_affected_per_day,
        "expected_of_others": data.expected_of_others,
        "path": data.path,
        "immediate_justification": data.immediate_justification,
        "classification": data.classification,
        "audience": list(data.audience),
    }


class UpdateNoteForm(Form):
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent with the update to every addressee."),
    )


class AddresseesForm(Form):
    """The issuing coordinator's choice of addressees, before notifying."""

    addressees = forms.MultipleChoiceField(
        label=_("Addressees"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, participants: Iterable[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["addressees"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(p.code, p.name) for p in participants]


class AcknowledgeForm(Form):
    comment = forms.CharField(
        label=_("Comment or question (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(Form):
    """Cancel or lift: an optional note, and for lifting the time it ended."""

    note = forms.CharField(
        label=_("Note to the addressees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    at = forms.DateTimeField(label=_("When (empty: now)"), required=False, widget=DATETIME_INPUT)


class TimelineFilterForm(Form):
    issuer = forms.ChoiceField(label=_("Issuer"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, issuers: Iterable[Participant], statuses: Iterable[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["issuer"].choices = everyone + [(p.code, p.name) for p in issuers]  # type: ignore[attr-defined]
        self.fields["type"].choices = everyone + list(MeasureType.choices)  # type: ignore[attr-defined]
        self.fields["status"].choices = everyone + list(statuses)  # type: ignore[attr-defined]


class ComplianceFilterForm(Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
