"""Each validation rule, with its exact message and location (flows.validation, the one path)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from seemix.flows.inputs import ObservationInput, Severity, SourceLocation
from seemix.flows.validation import Validator
from tests.flows.conftest import row


@pytest.fixture
def check(flows_world):
    """check(*rows, participant="RS", period=None) -> [(row, field, value, message, suggestion, severity)]."""

    def run(*rows, participant="RS", period=None):
        validator = Validator(flows_world[participant], period=period)
        validator.run(rows)
        return [
            (p.location.row, p.field, p.value, p.message, p.suggestion, str(p.severity))
            for p in validator.problems
        ]

    return run


def test_a_good_row_has_no_problem(check):
    assert check(row("RS-MIRATOVAC", 100)) == []


@pytest.mark.parametrize(
    "name", ["Tabanovce", "Табановце", "tabanovce", "TABANOVCE", "MK-TABANOVCE", "mk-tabanovce"]
)
def test_a_place_is_found_by_code_local_name_or_latin_name(check, name):
    assert check(row(name, 5), participant="MK") == []


def test_accents_do_not_matter(check):
    assert (
        check(row("Sid", 5), row("Šid", 6, day=date(2016, 1, 11)), row("Шид", 7, day=date(2016, 1, 12))) == []
    )


def test_an_unknown_place_suggests_the_nearest(check):
    assert check(row("Tabanovca", 5), participant="MK") == [
        (
            2,
            "place",
            "Tabanovca",
            "There is no crossing point, site, border section or country 'Tabanovca'.",
            "Did you mean Tabanovce (MK-TABANOVCE)?",
            "error",
        ),
    ]


def test_an_unknown_indicator_suggests_the_nearest(check):
    assert check(
        ObservationInput(SourceLocation("a.csv", row=7), date(2016, 1, 10), "ARIVALS", "RS-SID", 5)
    ) == [
        (
            7,
            "indicator",
            "ARIVALS",
            "There is no indicator 'ARIVALS'.",
            "Did you mean ARRIVALS (Arrivals (entries))?",
            "error",
        ),
    ]


def test_a_place_of_another_participant_is_an_error_naming_the_row(check):
    assert check(row("MK-TABANOVCE", 5, number=9)) == [
        (
            9,
            "place",
            "MK-TABANOVCE",
            "Tabanovce (MK-TABANOVCE) is in North Macedonia (MK): Serbia (RS) reports only "
            "places in its own country.",
            "",
            "error",
        ),
    ]


def test_a_future_date_is_an_error(check):
    tomorrow = (timezone.now() + timedelta(days=2)).date()
    assert check(row("RS-SID", 5, day=tomorrow)) == [
        (2, "date", tomorrow.isoformat(), f"{tomorrow.isoformat()} is in the future.", "", "error"),
    ]


def test_a_date_outside_the_reports_period_is_an_error(check):
    assert check(row("RS-SID", 5, day=date(2016, 1, 11)), period=("daily", date(2016, 1, 10))) == [
        (
            2,
            "date",
            "2016-01-11",
            "2016-01-11 is outside the report's period (daily 2016-01-10).",
            "",
            "error",
        ),
    ]


def test_a_monthly_figure_is_dated_by_the_first_of_its_month(check):
    assert check(row("RS", 5, indicator="FRAN-1A", day=date(2016, 1, 15))) == [
        (
            2,
            "date",
            "2016-01-15",
            "FRAN-1A is monthly: date it by the first day of its month.",
            "Did you mean 2016-01-01?",
            "error",
        ),
    ]


def test_a_negative_value_is_an_error(check):
    assert check(row("RS-SID", -3)) == [(2, "value", "-3", "A count cannot be negative.", "", "error")]


def test_a_missing_value_is_not_an_error(check):
    assert check(row("RS-SID", None)) == []


def test_breakdowns_summing_above_their_total_are_an_error_at_the_total(check):
    assert check(
        row("RS-SID", 100, number=2),
        row("RS-SID", 70, breakdown="nationality", breakdown_value="SY", number=3),
        row("RS-SID", 40, breakdown="nationality", breakdown_value="AF", number=4),
        row("RS-SID", 50, breakdown="sex", breakdown_value="female", number=5),
    ) == [(2, "value", "100", "The nationality breakdown sums to 110, above the total 100.", "", "error")]


def test_a_duplicate_names_the_first_row(check):
    assert check(row("RS-SID", 5, number=2), row("Šid", 6, number=3)) == [
        (
            3,
            "row",
            "",
            "The same figure (indicator, date, place, counterpart and breakdown) is already given in row 2.",
            "",
            "error",
        ),
    ]


def test_exits_need_their_destination(check):
    assert check(row("RS-SID", 5, indicator="EXITS")) == [
        (2, "counterpart", "", "EXITS needs the destination country as counterpart.", "", "error"),
    ]


def test_an_unknown_counterpart_suggests_a_country(check):
    assert check(row("RS-SID", 5, indicator="EXITS", counterpart="Croatai")) == [
        (
            2,
            "counterpart",
            "Croatai",
            "There is no country 'Croatai': use an ISO 3166 alpha-2 code (XK for Kosovo).",
            "Did you mean HR (Croatia)?",
            "error",
        ),
    ]


def test_a_breakdown_the_indicator_lacks_is_an_error(check):
    assert check(
        row(
            "RS",
            5,
            indicator="FRAN-2",
            day=date(2016, 1, 1),
            breakdown="unaccompanied_minors",
            breakdown_value="yes",
        )
    ) == [
        (
            2,
            "breakdown",
            "unaccompanied_minors",
            "FRAN-2 has no breakdown by unaccompanied_minors (it has: nationality, sex, age_group).",
            "",
            "error",
        ),
    ]


def test_an_unknown_nationality_suggests_a_code(check):
    assert check(row("RS-SID", 5, breakdown="nationality", breakdown_value="Syria")) == [
        (
            2,
            "breakdown_value",
            "Syria",
            "'Syria' is not an ISO 3166 alpha-2 country code (XK for Kosovo).",
            "Did you mean SY (Syria)?",
            "error",
        ),
    ]


def test_a_latin_word_with_a_cyrillic_letter_is_reported_with_its_position(check):
    # given "Tabanovce" whose "c" is CYRILLIC SMALL LETTER ES: read as "Tabanovse", it names no place
    assert check(row("Tabanov\u0441e", 5), participant="MK") == [
        (
            2,
            "place",
            "Tabanov\u0441e",
            "There is no crossing point, site, border section or country 'Tabanov\u0441e'.",
            "Did you mean Tabanovce (MK-TABANOVCE)?",
            "error",
        ),
        (
            2,
            "place",
            "Tabanov\u0441e",
            "The word 'Tabanov\u0441e' is written in Latin letters but has '\u0441' "
            "(CYRILLIC SMALL LETTER ES, U+0441) at position 8. Retype it in one script.",
            "",
            "error",
        ),
    ]


def test_a_cyrillic_letter_that_reads_the_same_is_a_warning(check):
    # given "Tabanovce" whose "o" is CYRILLIC SMALL LETTER O: it still reads "tabanovce"
    assert check(row("Taban\u043evce", 5), participant="MK") == [
        (
            2,
            "place",
            "Taban\u043evce",
            "The word 'Taban\u043evce' is written in Latin letters but has '\u043e' "
            "(CYRILLIC SMALL LETTER O, U+043E) at position 6; it was read as Tabanovce (MK-TABANOVCE) all "
            "the same. Retype it in one script.",
            "",
            "warning",
        ),
    ]


def test_a_mixed_word_that_still_names_a_place_is_a_warning(check):
    # given "Šid" written with a Latin Š and a Cyrillic и, д: folded, it still reads "sid"
    problems = check(row("Š\u0438\u0434", 5))
    assert problems == [
        (
            2,
            "place",
            "Š\u0438\u0434",
            "The word 'Š\u0438\u0434' is written in Cyrillic letters but has 'Š' (LATIN "
            "CAPITAL LETTER S WITH CARON, U+0160) at position 1; it was read as Šid (RS-SID) all the same. "
            "Retype it in one script.",
            "",
            "warning",
        ),
    ]


def test_a_value_far_above_the_recent_history_is_a_warning(check):
    # given ten quiet days then a jump
    days = [row("RS-SID", 100 + i, day=date(2016, 1, 1) + timedelta(days=i), number=i + 2) for i in range(10)]
    spike = row("RS-SID", 1000, day=date(2016, 1, 11), number=12)
    # when
    problems = check(*days, spike)
    # then
    assert problems == [
        (
            12,
            "value",
            "1000",
            "1000 is far above the recent history of this series: median 104.5 (MAD 2.5) over 10 "
            "figures of the previous 30 days; flagged above 313.5. Check the figure; it is accepted as it "
            "is.",
            "",
            "warning",
        ),
    ]


def test_a_normal_rise_is_not_flagged(check):
    days = [
        row("RS-SID", 100 + 10 * i, day=date(2016, 1, 1) + timedelta(days=i), number=i + 2) for i in range(12)
    ]
    assert check(*days) == []


def test_problems_carry_the_file_and_column_of_the_source(flows_world):
    # given a reader that passes its cells along
    source = ObservationInput(
        SourceLocation("arrivals.csv", "", 4, ""),
        date(2016, 1, 10),
        "ARRIVALS",
        "Tabanovca",
        5,
        raw={"Date": "2016-01-10", "Crossing point": "Tabanovca", "Arrivals": "5"},
    )
    validator = Validator(flows_world["MK"])
    # when
    validator.run([source])
    # then
    [problem] = validator.problems
    assert problem.as_dict() == {
        "file": "arrivals.csv",
        "sheet": "",
        "row": 4,
        "column": "Crossing point",
        "field": "place",
        "value": "Tabanovca",
        "message": "There is no crossing point, site, border section or country 'Tabanovca'.",
        "severity": "error",
        "suggestion": "Did you mean Tabanovce (MK-TABANOVCE)?",
    }
    assert problem.severity == Severity.ERROR


def test_a_missing_date_is_a_located_error_not_a_crash(check):
    assert check(ObservationInput(SourceLocation("a.csv", row=4), None, "ARRIVALS", "RS-SID", 5)) == [
        (4, "date", "", "The date is missing.", "", "error"),
    ]
