"""Forms of the flows pages: the day's grid, the upload, the filters of the observations page.

The grid is not a Django form with one field per cell: its rows (the participant's crossing points,
sites and the country as a whole) and columns (the daily indicators) come from the reference data,
and its cells are read with the same number rules as a file (``readers.values.parse_count``). Every
cell becomes an ``ObservationInput`` located at (row, column), so the one validation path's
Problems come back to the cell they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows.exports import FORMATS
from seemix.flows.inputs import ObservationInput, Problem, SourceLocation
from seemix.flows.models import Indicator
from seemix.flows.readers.values import CellError, parse_count
from seemix.gazetteer.models import CrossingPoint, ReceptionSite

GRID_FILE = "web form"


@dataclass
class GridCell:
    indicator: Indicator
    name: str  # the input's name
    text: str = ""
    enabled: bool = True
    problems: list[Problem] = field(default_factory=list)


@dataclass
class GridRow:
    number: int  # 1-based, as the Problems locate it
    place: str  # the code handed to validation
    label: str
    kind: str
    counterpart: str  # the destination country of exits at this place, "" where there is none
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class Grid:
    participant: Participant
    day: date
    indicators: list[Indicator]
    rows: list[GridRow]
    other_problems: list[Problem] = field(default_factory=list)

    def cell(self, row: int | None, column: str) -> GridCell | None:
        if row is None or not 1 <= row <= len(self.rows):
            return None
        for cell in self.rows[row - 1].cells:
            if cell.indicator.code == column:
                return cell
        return None

    def attach(self, problems: list[Problem]) -> None:
        """Put each Problem next to its cell; those about no cell go to ``other_problems``."""
        for problem in problems:
            found = self.cell(problem.location.row, problem.location.column)
            (found.problems if found else self.other_problems).append(problem)

    @property
    def has_problems(self) -> bool:
        return bool(self.other_problems) or any(c.problems for r in self.rows for c in r.cells)


def _exit_destination(point: CrossingPoint) -> str:
    if point.counterpart_id and point.counterpart is not None:
        return str(point.counterpart.country_id)
    if point.border_section is not None:
        a, b = point.border_section.country_codes
        return b if a == point.country_id else a
    return ""


def build_grid(
    participant: Participant,
    day: date,
    indicators: list[Indicator],
    crossing_points: list[CrossingPoint],
    sites: list[ReceptionSite],
    initial: dict[tuple[str, str], int | None],
) -> Grid:
    """The empty grid, filled with ``initial`` {(place code, indicator code): value}."""
    places: list[tuple[str, str, str, str]] = [
        (p.code, p.name_latin, "crossing_point", _exit_destination(p)) for p in crossing_points
    ]
    places += [(s.code, s.name_latin, "site", "") for s in sites]
    places.append((participant.code, _("%(name)s as a whole") % {"name": participant.name}, "country", ""))
    rows = []
    for number, (code, label, kind, counterpart) in enumerate(places, start=1):
        row = GridRow(number, code, label, kind, counterpart)
        for indicator in indicators:
            value = initial.get((code, indicator.code), "")
            row.cells.append(
                GridCell(
                    indicator,
                    f"cell__{code}__{indicator.code}",
                    "N/A" if value is None else str(value),
                    enabled=not indicator.needs_counterpart or bool(counterpart),
                )
            )
        rows.append(row)
    return Grid(participant, day, indicators, rows)


def read_grid(
    grid: Grid, data: Any, *, estimate: bool, provisional: bool
) -> tuple[list[ObservationInput], list[Problem]]:
    """The filled cells as inputs (an empty cell is not reported; "N/A" is reported as missing)."""
    inputs: list[ObservationInput] = []
    problems: list[Problem] = []
    for row in grid.rows:
        for cell in row.cells:
            cell.text = str(data.get(cell.name, "")).strip()
            if not cell.text or not cell.enabled:
                continue
            location = SourceLocation(file=GRID_FILE, row=row.number, column=cell.indicator.code)
            try:
                value = parse_count(cell.text, grid.participant.code).value
            except CellError as error:
                problems.append(
                    Problem(location, "value", cell.text, error.message, suggestion=error.suggestion)
                )
                continue
            inputs.append(
                ObservationInput(
                    location=location,
                    date=grid.day,
                    indicator=cell.indicator.code,
                    place=row.place,
                    value=value,
                    counterpart=row.counterpart if cell.indicator.needs_counterpart else "",
                    estimate=estimate,
                    provisional=provisional,
                    raw={"place": row.label, "indicator": cell.indicator.code, "value": cell.text},
                )
            )
    return inputs, problems


class SharingForm(forms.Form):
    """Who may read the figures, and where they come from: asked by the grid and the upload."""

    classification = forms.ChoiceField(
        label=gettext_lazy("Classification"), choices=Classification.choices, initial=Classification.REGIONAL,
        help_text=gettext_lazy("Public: everyone signed in. Regional: every participant and partner. "
                               "Restricted: your participant and the audience below."),
    )  # fmt: skip
    audience = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Audience (restricted only)"), queryset=Participant.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    source_note = forms.CharField(
        label=gettext_lazy("Source note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Where the figures come from (office, system, method)."),
    )  # fmt: skip
    estimate = forms.BooleanField(label=gettext_lazy("These figures are estimates"), required=False)
    provisional = forms.BooleanField(label=gettext_lazy("These figures are provisional"), required=False)

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ModelMultipleChoiceField)
        audience.queryset = Participant.objects.filter(is_active=True).exclude(pk=participant.pk)


class UploadForm(SharingForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV, XLSX, or HXL-tagged CSV/XLSX: one row per figure."),
    )
    sheet = forms.CharField(
        label=gettext_lazy("Sheet (XLSX)"), required=False, max_length=100,
        help_text=gettext_lazy("Leave empty to read the first sheet."),
    )  # fmt: skip
    row_by_row = forms.BooleanField(
        label=gettext_lazy("Accept the good rows and report the rejected ones"), required=False,
        help_text=gettext_lazy("Otherwise the file is accepted whole or not at all."),
    )  # fmt: skip

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, participant=participant, **kwargs)
        # Ticked, a box marks every figure of the file; unticked, the file's own columns say, row by row.
        self.fields["estimate"].label = gettext_lazy("Every figure of the file is an estimate")
        self.fields["provisional"].label = gettext_lazy("Every figure of the file is provisional")
        self.fields["estimate"].help_text = gettext_lazy(
            "Otherwise the file's estimate and provisional columns say which figures are."
        )


class ObservationFilterForm(forms.Form):
    participant = forms.CharField(label=gettext_lazy("Participant (code)"), required=False, max_length=16)
    indicator = forms.CharField(label=gettext_lazy("Indicator (code)"), required=False, max_length=24)
    place = forms.CharField(label=gettext_lazy("Place (code)"), required=False, max_length=40)
    breakdown = forms.CharField(label=gettext_lazy("Breakdown"), required=False, max_length=24)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


EXPORT_CHOICES = [(f.name, f.label) for f in FORMATS.values()]
