"""The indicator catalogue: the shipped seed, idempotent loading."""

from seemix.core.models import AuditEntry
from seemix.flows.models import Indicator
from seemix.flows.services import load_indicators


def test_the_seed_holds_the_daily_and_the_fran_indicators(indicators):
    # given the catalogue loaded by the fixture
    # when
    codes = dict(Indicator.objects.values_list("code", "periodicity"))
    # then
    assert codes == {
        "ARRIVALS": "daily",
        "EXITS": "daily",
        "PRESENT": "daily",
        "STRANDED": "daily",
        "REGISTRATIONS": "daily",
        "FRAN-1A": "monthly",
        "FRAN-1B": "monthly",
        "FRAN-2": "monthly",
        "FRAN-3": "monthly",
        "FRAN-4": "monthly",
        "FRAN-5": "monthly",
        "FRAN-6": "monthly",
        "FRAN-7A": "monthly",
        "FRAN-7B": "monthly",
    }
    assert Indicator.objects.get(code="EXITS").needs_counterpart is True
    assert Indicator.objects.get(code="ARRIVALS").allowed_breakdowns == [
        "nationality",
        "sex",
        "age_group",
        "unaccompanied_minors",
    ]


def test_loading_twice_writes_nothing_the_second_time(indicators):
    # given
    audit_rows = AuditEntry.objects.count()
    # when
    summary = load_indicators(actor=None)
    # then
    assert (len(summary.created), len(summary.updated), len(summary.unchanged)) == (0, 0, 14)
    assert AuditEntry.objects.count() == audit_rows


def test_loading_restores_a_changed_seed_field_with_an_audit_row(indicators):
    # given
    Indicator.objects.filter(code="FRAN-2").update(unit="cases")
    audit_rows = AuditEntry.objects.count()
    # when
    summary = load_indicators(actor=None)
    # then
    assert summary.updated == ["FRAN-2"]
    assert Indicator.objects.get(code="FRAN-2").unit == "persons"
    assert AuditEntry.objects.count() == audit_rows + 1
    assert AuditEntry.objects.first().action == "flows.indicator.updated"
