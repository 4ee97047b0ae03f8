"""HXL-tagged CSV and XLSX, read with libhxl: the hashtag row says what each column holds.

libhxl finds the hashtag row (within the first 25 rows; a plain header above it is allowed) and
parses each column's tag and attributes. The hashtags seemix reads:

========================================  ===============================================================
``#date``                                  the date (same formats as a plain file)
``#loc+code``, ``#loc+name``, ``#loc``     the place: a crossing point, site or border section
``#country+code``, ``#country+name``       the place when the file has no ``#loc`` column; else ignored
``#country+code+destination`` (``+dest``)  the counterpart of exits (where they go)
``#country+code+origin``                   the counterpart of the other figures (where they came from)
``#country+code+counterpart``              the counterpart of any figure (seemix's export writes it)
``#country+code+nationality``              a nationality breakdown
``#meta+breakdown``, ``#meta+breakdown+value``  a breakdown and its value (long format: nationality,
                                           sex, age_group or unaccompanied_minors, and e.g. SY)
``#indicator+code``                        the indicator (long format, one figure per row) ...
``#indicator+num``, ``#indicator+value``   ... and its figure
``#affected+arrivals``, ``+exits``         a figure column per indicator (wide format): ARRIVALS,
``+departures``, ``+present``,             EXITS, PRESENT, STRANDED, REGISTRATIONS; a row gives one
``+stranded``, ``+registrations``          observation per non-empty figure cell
``#meta+estimate``, ``#meta+provisional``  the flags
``#org+reporting``, ``#meta+classification``  checked against the import (see ``exported.py``)
========================================  ===============================================================

The place is the ``#loc+code`` column, else the ``#loc`` column, else ``#loc+name``; a file without
any ``#loc`` takes it from ``#country`` the same way. The columns not chosen name the same place and
are read past (a ``#loc+name`` beside a ``#loc+code``, as in seemix's export).

Attributes of a figure column break it down: ``+f``/``+female`` and ``+m``/``+male`` (sex),
``+age0_13``, ``+age14_17``, ``+age18_34``, ``+age35_64``, ``+age65plus`` (age group), and
``+unaccompanied`` (unaccompanied minors). ``+children`` alone spans two of seemix's age groups and is
an error that says which to use. ``+num``, ``+total`` and language attributes (``+i_en``) change
nothing.

Unknown hashtags: a column whose hashtag seemix does not read is ignored, with a warning naming it
(the context columns of seemix's own export, ``#meta+periodicity``, ``#meta+unit``... are read past),
when it carries context (``#org``, ``#sector``, ``#meta+notes``, ``#adm1``...), as the HXL standard
asks of software that meets tags it does not use. A column that looks like it carries figures
(``#affected``, ``#inneed``, ``#targeted``, ``#reached``, ``#population``, ``#indicator``) but that
seemix cannot place is an error: ignoring it would drop figures without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seemix.flows.inputs import ObservationInput, Problem, SourceLocation
from seemix.flows.readers.columns import column_letter
from seemix.flows.readers.exported import CONTEXT_HASHTAGS, RowChecks
from seemix.flows.readers.hxlvocabulary import (
    BREAKDOWN_ATTRIBUTES,
    EXITS,
    FIGURE_TAGS,
    HASHTAG_ROWS,
    INDICATOR_ATTRIBUTES,
    LANGUAGE,
    NEUTRAL_ATTRIBUTES,
    PLACE_PREFERENCE,
)
from seemix.flows.readers.plain import DateFormats, cell_text, header_only, is_blank, note_grouping
from seemix.flows.readers.problems import FileRejected, ProblemLog
from seemix.flows.readers.values import CellError, count_from_cell, parse_date, parse_flag


@dataclass
class FigureColumn:
    position: int
    label: str
    indicator: str  # "" when the row's #indicator+code names it
    breakdown: str = ""
    breakdown_value: str = ""


@dataclass
class Layout:
    date: int | None = None
    place: int | None = None
    destination: int | None = None
    origin: int | None = None
    counterpart: int | None = None
    nationality: int | None = None
    breakdown: int | None = None
    breakdown_value: int | None = None
    indicator: int | None = None
    estimate: int | None = None
    provisional: int | None = None
    participant: int | None = None
    classification: int | None = None
    places: dict[str, int] = field(default_factory=dict)  # "#loc+code" etc.: the columns naming the place
    figures: list[FigureColumn] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def _spec(column: Any) -> str:
    return column.display_tag or ""


class HxlReader:
    """ObservationInputs from an HXL-tagged row source (text or workbook)."""

    format = "hxl"

    def __init__(
        self, source: Any, *, participant: str, log: ProblemLog, classification: str | None = None
    ) -> None:
        self.source = source
        self.participant = participant
        self.log = log
        self.checks = RowChecks(participant=participant, classification=classification, log=log)
        self.layout = Layout()
        self._dataset: Any = None
        self._hashtag_row = 0
        self.sheet = getattr(source, "sheet", "")

    def start(self) -> None:
        import hxl  # libhxl: imported here so that plain files never need it

        cells_only = (cells for _row, cells in self.source)
        self._dataset = hxl.input.HXLReader(hxl.input.ArrayInput(_as_text_rows(cells_only)))
        try:
            columns = self._dataset.columns
        except hxl.input.HXLTagsNotFoundException:
            raise FileRejected(
                [
                    Problem(
                        SourceLocation(file=self.source.label, sheet=self.sheet),
                        "file",
                        "",
                        ngettext(
                            "No row of HXL hashtags was found in the first %(n)s row.",
                            "No row of HXL hashtags was found in the first %(n)s rows.",
                            HASHTAG_ROWS,
                        )
                        % {"n": HASHTAG_ROWS},
                        suggestion=_(
                            "Add a row of hashtags (#date, #loc+code, #affected+arrivals...) under the "
                            "header, or import the file as plain CSV or XLSX."
                        ),
                    )
                ]
            ) from None
        self._hashtag_row = self._dataset._source_row_number + 1
        self._map(columns)

    def _where(self, position: int | None, row: int | None = None) -> SourceLocation:
        column = self.layout.labels[position] if position is not None else ""
        return SourceLocation(file=self.source.label, sheet=self.sheet, row=row, column=column)

    def _map(self, columns: list[Any]) -> None:
        layout = self.layout
        errors: list[Problem] = []
        layout.labels = [
            f"{column_letter(i)} ({_spec(c)})" if self.sheet else (_spec(c) or column_letter(i))
            for i, c in enumerate(columns)
        ]
        self.source.labels = layout.labels
        for position, column in enumerate(columns):
            tag, attributes = column.tag, set(column.attributes)
            where = self._where(position, self._hashtag_row)
            problem = self._map_one(position, tag, attributes, where)
            if problem is not None:
                errors.append(problem)
        layout.place = next((layout.places[k] for k in PLACE_PREFERENCE if k in layout.places), None)
        if layout.counterpart is not None and (layout.destination, layout.origin) != (None, None):
            other = layout.destination if layout.destination is not None else layout.origin
            errors.append(
                Problem(
                    self._where(layout.counterpart, self._hashtag_row),
                    "hashtag",
                    layout.labels[layout.counterpart],
                    _("The columns %(first)s and %(second)s both give the counterpart.")
                    % {"first": layout.labels[other], "second": layout.labels[layout.counterpart]},
                    suggestion=_("Keep one of them."),
                )
            )
        missing = [
            name
            for name, present in (
                ("#date", layout.date is not None),
                ("#loc or #country+code", layout.place is not None),
                (
                    "a figure column (#affected+arrivals..., or #indicator+code with #indicator+num)",
                    # A figure column seemix could not read has its own error already.
                    bool(layout.figures) or any(p.field == "hashtag" for p in errors),
                ),
            )
            if not present
        ]
        if any(f.indicator == "" for f in layout.figures) and layout.indicator is None:
            missing.append("#indicator+code (for the #indicator+num column)")
        if missing:
            errors.append(
                Problem(
                    self._where(None, self._hashtag_row),
                    "header",
                    "",
                    _("The hashtag row has no column for: %(fields)s.") % {"fields": "; ".join(missing)},
                    suggestion=_("See the hashtags seemix reads in the import documentation."),
                )
            )
        if errors:
            raise FileRejected(errors)
        following = self.source.peek(100)
        if len(following) < 100 and all(is_blank(cells) for _row, cells in following):
            raise FileRejected([header_only(self.source.label, self.sheet, self._hashtag_row)])

    def _map_one(
        self, position: int, tag: str, attributes: set[str], where: SourceLocation
    ) -> Problem | None:
        layout = self.layout
        spec = self.layout.labels[position]
        if tag == "#date":
            return self._assign("date", position, where)
        if tag == "#country":
            if attributes & {"destination", "dest"}:
                return self._assign("destination", position, where)
            if "origin" in attributes:
                return self._assign("origin", position, where)
            if "counterpart" in attributes:
                return self._assign("counterpart", position, where)
            if "nationality" in attributes:
                return self._assign("nationality", position, where)
        if tag in ("#loc", "#country"):
            kind = "+code" if "code" in attributes else "+name" if "name" in attributes else ""
            return self._assign_place(tag + kind, position, where)
        if tag == "#meta":
            for name in ("estimate", "provisional", "classification"):
                if name in attributes:
                    return self._assign(name, position, where)
            if "breakdown" in attributes:
                name = "breakdown_value" if "value" in attributes else "breakdown"
                return self._assign(name, position, where)
        if tag == "#org" and "reporting" in attributes:
            return self._assign("participant", position, where)
        if any(tag == t and a in attributes for t, a in CONTEXT_HASHTAGS):
            return None  # what seemix's export writes about the old report: the import gives it anew
        if tag == "#indicator" and "code" in attributes:
            return self._assign("indicator", position, where)
        if tag == "#indicator" and attributes & {"num", "value"}:
            layout.figures.append(FigureColumn(position, spec, ""))
            return None
        if tag == "#affected":
            named = [INDICATOR_ATTRIBUTES[a] for a in attributes if a in INDICATOR_ATTRIBUTES]
            if len(set(named)) == 1:
                return self._figure(position, spec, named[0], attributes, where)
        if tag in FIGURE_TAGS:
            return Problem(
                where,
                "hashtag",
                spec,
                _("The column %(tag)s seems to hold figures, but seemix does not know which indicator.")
                % {"tag": spec},
                suggestion=_("Use #affected with one of +%(names)s, or #indicator+code with #indicator+num.")
                % {"names": ", +".join(INDICATOR_ATTRIBUTES)},
            )
        self.log.warning(
            where,
            "hashtag",
            spec,
            _("The column %(tag)s is not one seemix reads: it was ignored.") % {"tag": spec},
        )
        return None

    def _assign(self, name: str, position: int, where: SourceLocation) -> Problem | None:
        current = getattr(self.layout, name)
        if current is not None:
            return Problem(
                where,
                "hashtag",
                self.layout.labels[position],
                _("The columns %(first)s and %(second)s both give the %(field)s.")
                % {
                    "first": self.layout.labels[current],
                    "second": self.layout.labels[position],
                    "field": name,
                },
                suggestion=_("Keep one of them."),
            )
        setattr(self.layout, name, position)
        return None

    def _assign_place(self, key: str, position: int, where: SourceLocation) -> Problem | None:
        places = self.layout.places
        if key in places:
            return Problem(
                where,
                "hashtag",
                self.layout.labels[position],
                _("The columns %(first)s and %(second)s both give the %(field)s.")
                % {
                    "first": self.layout.labels[places[key]],
                    "second": self.layout.labels[position],
                    "field": "place",
                },
                suggestion=_("Keep one of them."),
            )
        places[key] = position
        return None

    def _figure(
        self, position: int, spec: str, indicator: str, attributes: set[str], where: SourceLocation
    ) -> Problem | None:
        rest = {
            a
            for a in attributes
            if a not in INDICATOR_ATTRIBUTES and a not in NEUTRAL_ATTRIBUTES and not LANGUAGE.match(a)
        }
        breakdowns = {BREAKDOWN_ATTRIBUTES[a] for a in rest if a in BREAKDOWN_ATTRIBUTES}
        if "unaccompanied" in rest:
            rest.discard("children")
            breakdowns = {("unaccompanied_minors", "yes")}
        unknown = sorted(a for a in rest if a not in BREAKDOWN_ATTRIBUTES)
        if "children" in unknown:
            return Problem(
                where,
                "hashtag",
                spec,
                _("+children spans two of seemix's age groups (0-13 and 14-17)."),
                suggestion=_(
                    "Tag the column +age0_13 or +age14_17, or +children+unaccompanied for "
                    "unaccompanied minors."
                ),
            )
        if unknown or len(breakdowns) > 1:
            return Problem(
                where,
                "hashtag",
                spec,
                _("seemix cannot read the attributes %(attributes)s of the figure column %(tag)s.")
                % {"attributes": ", ".join(f"+{a}" for a in unknown) or ", ".join(sorted(rest)), "tag": spec},
                suggestion=_(
                    "A figure column takes at most one breakdown: +f, +m, +age0_13, +age14_17, "
                    "+age18_34, +age35_64, +age65plus or +unaccompanied."
                ),
            )
        breakdown, value = next(iter(breakdowns)) if breakdowns else ("", "")
        self.layout.figures.append(FigureColumn(position, spec, indicator, breakdown, value))
        return None

    def __iter__(self) -> Iterator[ObservationInput]:
        layout = self.layout
        dates = DateFormats(self.log)
        rejected: set[int] = getattr(self.source, "rejected", set())
        file, sheet, participant, log = self.source.label, self.sheet, self.participant, self.log

        def text(values: list[Any], position: int | None) -> str:
            if position is None or position >= len(values):
                return ""
            return cell_text(values[position])

        def cell(values: list[Any], position: int | None) -> Any:
            return values[position] if position is not None and position < len(values) else None

        for hxl_row in self._dataset:
            row = hxl_row.source_row_number + 1
            values = hxl_row.values
            if is_blank(values) or row in rejected or self.source.undecoded(row, values):
                continue
            ok = True
            try:
                parsed = parse_date(cell(values, layout.date))
                ok = dates.check(parsed.format, self._where(layout.date, row), text(values, layout.date))
                observed = parsed.value
            except CellError as error:
                ok = False
                log.error(
                    self._where(layout.date, row),
                    "date",
                    text(values, layout.date),
                    error.message,
                    error.suggestion,
                )
            flags = {}
            for name in ("estimate", "provisional"):
                position = getattr(layout, name)
                try:
                    flags[name] = parse_flag(cell(values, position))
                except CellError as error:
                    ok = False
                    log.error(
                        self._where(position, row),
                        name,
                        text(values, position),
                        error.message,
                        error.suggestion,
                    )
            for position, check in (
                (layout.participant, self.checks.participant_ok),
                (layout.classification, self.checks.classification_ok),
            ):
                if position is not None:
                    ok = check(self._where(position, row), text(values, position)) and ok
            row_breakdown = self._row_breakdown(values, row)
            if row_breakdown is None:
                ok = False
                row_breakdown = ("", "")
            counterpart = text(values, layout.counterpart)
            out = []
            for figure in layout.figures:
                raw_value = text(values, figure.position)
                try:
                    count = count_from_cell(cell(values, figure.position), participant)
                except CellError as error:
                    ok = False
                    log.error(
                        self._where(figure.position, row), "value", raw_value, error.message, error.suggestion
                    )
                    continue
                if count.value is None and figure.indicator:
                    continue  # wide format: an empty or N/A cell is no observation
                if count.interpretation:
                    where = self._where(figure.position, row)
                    note_grouping(log, participant, where, raw_value, count.interpretation, count.value)
                breakdown, breakdown_value = figure.breakdown, figure.breakdown_value
                if row_breakdown != ("", "") and breakdown:
                    ok = False
                    log.error(
                        self._where(figure.position, row),
                        "breakdown",
                        raw_value,
                        _("The column %(tag)s is broken down by %(breakdown)s, and the row by %(other)s.")
                        % {"tag": figure.label, "breakdown": breakdown, "other": row_breakdown[0]},
                        suggestion=_("A figure has one breakdown: leave the row's breakdown empty."),
                    )
                    continue
                breakdown, breakdown_value = (breakdown, breakdown_value) if breakdown else row_breakdown
                indicator = figure.indicator or text(values, layout.indicator)
                exits = indicator.upper() == EXITS
                out.append(
                    ObservationInput(
                        location=SourceLocation(file=file, sheet=sheet, row=row, column=figure.label),
                        date=None,
                        indicator=indicator,
                        place=text(values, layout.place),
                        value=count.value,
                        counterpart=counterpart
                        or text(values, layout.destination if exits else layout.origin),
                        breakdown=breakdown,
                        breakdown_value=breakdown_value,
                        estimate=flags.get("estimate", False),
                        provisional=flags.get("provisional", False),
                        raw={figure.label: raw_value},
                    )
                )
            if not ok:
                continue
            for observation in out:
                observation.date = observed
                yield observation

    def _row_breakdown(self, values: list[Any], row: int) -> tuple[str, str] | None:
        """The row's own breakdown (its nationality, or its breakdown and value columns); None when
        they contradict each other (logged)."""
        layout = self.layout

        def text(position: int | None) -> str:
            return cell_text(values[position]) if position is not None and position < len(values) else ""

        nationality = text(layout.nationality)
        breakdown, value = text(layout.breakdown), text(layout.breakdown_value)
        if nationality and (breakdown or value) and (breakdown, value) != ("nationality", nationality):
            self.log.error(
                self._where(layout.nationality, row),
                "breakdown",
                nationality,
                _("The row gives the nationality %(nationality)s and the breakdown %(breakdown)s %(value)s.")
                % {"nationality": nationality, "breakdown": breakdown, "value": value},
                suggestion=_("A figure has one breakdown: keep one of them."),
            )
            return None
        if nationality:
            return "nationality", nationality
        return breakdown, value


def _as_text_rows(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """libhxl parses hashtags from strings; spreadsheet cells above the data may be numbers or None."""
    for cells in rows:
        yield ["" if c is None else c for c in cells]
