# ruff: noqa: F811  (the fixtures are imported from picture_world)
"""Impact levels: the rules, the daily computation, levels set by hand, the command, the worker."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from seemix.core.classification import Classification
from seemix.core.errors import Forbidden
from seemix.core.models import AuditEntry
from seemix.gazetteer.models import BorderSection
from seemix.situation.models import ImpactAssessment
from seemix.situation.picture import build_picture
from seemix.situation.services.impact import assess, assess_impact_levels, compute_levels, set_impact_level
from tests.situation.picture_world import DAY, gazetteer, indicators, principal_of, report, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("flow", "baseline", "stranded", "measures", "level"),
    [
        (1000, 1000, None, [], "low"),
        (1500, 1000, None, [], "medium"),
        (3000, 1000, None, [], "high"),
        (40, 10, None, [], "low"),  # four times, but only 30 people above the baseline
        (3000, None, None, [], "low"),  # no baseline: the flow gives no level
        (None, None, 100, [], "medium"),
        (None, None, 1000, [], "high"),
        (None, None, 5000, [], "critical"),
        (None, None, None, ["border_control"], "medium"),
        (None, None, None, ["closure"], "high"),
        (None, None, None, ["reception_capacity"], "low"),
        (3000, 1000, 1000, [], "critical"),  # two factors high
        (3000, 1000, None, ["closure"], "critical"),
        (1500, 1000, 100, ["procedure"], "medium"),  # three factors, all medium
    ],
)
def test_rules(flow, baseline, stranded, measures, level):
    assessment = assess(flow=flow, baseline=baseline, stranded=stranded, measure_types=measures)
    assert assessment.level == level
    assert assessment.evidence["incidents"] is None
    assert (assessment.reasons == []) == (level == "low")


def _history(report, *, flow_today: int, code: str = "SI", place: str = "HR-SI", days: int = 14, **kwargs):
    for offset in range(days, 0, -1):
        report(code, [(place, "ARRIVALS", 1000 + offset, "")], day=DAY - timedelta(days=offset), **kwargs)
    report(code, [(place, "ARRIVALS", flow_today, "")], day=DAY, **kwargs)


def test_flow_against_the_14_day_baseline(report):
    # given: about 1,000 a day at the Croatian-Slovenian border, then 3,500
    _history(report, flow_today=3500)
    # when
    levels = compute_levels(DAY)
    # then
    assessment = levels["HR-SI"]
    assert assessment.level == "high"
    assert assessment.evidence["baseline"] == 1007.5
    assert assessment.evidence["flow"] == 3500
    assert assessment.reason == "flow 3.5 times the 14-day baseline"
    assert levels["GR-MK"].level == "low"


def test_computed_levels_ignore_restricted_figures(report):
    _history(report, flow_today=3500, classification=Classification.RESTRICTED, audience=("HR",))
    assessment = compute_levels(DAY)["HR-SI"]
    assert assessment.level == "low"
    assert assessment.evidence["flow"] is None


def test_daily_computation_is_recorded_once_with_an_audit_row_each(report):
    _history(report, flow_today=3500)
    sections = BorderSection.objects.count()
    # when
    first = assess_impact_levels(DAY)
    second = assess_impact_levels(DAY)
    # then
    assert len(first) == sections
    assert second == []
    assert AuditEntry.objects.filter(action="situation.impact_computed").count() == sections
    row = ImpactAssessment.objects.get(border_section__code="HR-SI", day=DAY)
    assert (row.level, row.source, row.participant) == ("high", "computed", None)


def test_manual_level_wins_and_later_computation_keeps_it(report, principal_of):
    # given
    _history(report, flow_today=3500)
    assess_impact_levels(DAY)
    section = BorderSection.objects.get(code="HR-SI")
    coordinator = principal_of("SI", "coordinator")
    # when
    row = set_impact_level(
        section, day=DAY, level="critical", reason="Rigonce camp overflowing", actor=coordinator
    )
    report("SI", [("HR-SI", "ARRIVALS", 1000, "")], day=DAY)  # a correction: the rules would now say low
    again = assess_impact_levels(DAY)
    # then
    assert (row.source, row.participant.code, row.created_by) == ("manual", "SI", coordinator.user)
    assert [r.border_section.code for r in again if r.border_section.code == "HR-SI"] == []
    impact = build_picture(principal_of("MK", "analyst"), DAY).section("HR-SI").impact
    assert (impact.level, impact.source, impact.reason, impact.participant) == (
        "critical", "manual", "Rigonce camp overflowing", "SI",
    )  # fmt: skip
    audit = AuditEntry.objects.get(action="situation.impact_set")
    assert audit.participant_code == "SI"
    assert audit.changes["reason"] == "Rigonce camp overflowing"


def test_as_of_shows_the_level_known_then(report, principal_of):
    _history(report, flow_today=3500)
    [computed] = [r for r in assess_impact_levels(DAY) if r.border_section.code == "HR-SI"]
    set_impact_level(BorderSection.objects.get(code="HR-SI"), day=DAY, level="medium", reason="calmer",
                     actor=principal_of("HR", "coordinator"))  # fmt: skip
    reader = principal_of("MK", "analyst")
    assert build_picture(reader, DAY).section("HR-SI").impact.level == "medium"
    assert build_picture(reader, DAY, as_of=computed.created_at).section("HR-SI").impact.level == "high"


def test_only_a_coordinator_of_the_sections_countries_sets_a_level(world, principal_of):
    section = BorderSection.objects.get(code="HR-SI")
    for code, role in (("RS", "coordinator"), ("SI", "reporter"), ("SI", "analyst")):
        with pytest.raises(Forbidden):
            set_impact_level(section, day=DAY, level="high", reason="x", actor=principal_of(code, role))
    assert not ImpactAssessment.objects.exists()


def test_command(report):
    _history(report, flow_today=3500, days=7)
    out = StringIO()
    call_command("assess_impact", "--date", "2015-10-20", "--to", "2015-10-21", stdout=out)
    text = out.getvalue()
    assert "2015-10-20: " in text
    assert (
        ImpactAssessment.objects.filter(day=date(2015, 10, 21), border_section__code="HR-SI").get().level
        == "high"
    )
    assert ImpactAssessment.objects.filter(day=date(2015, 10, 20)).count() == BorderSection.objects.count()
    with pytest.raises(CommandError, match="not a date"):
        call_command("assess_impact", "--date", "21/10/2015")
    with pytest.raises(CommandError, match="before"):
        call_command("assess_impact", "--date", "2015-10-21", "--to", "2015-10-20")


def test_worker_computes_the_latest_days(report):
    _history(report, flow_today=3500, days=7)
    apps.get_app_config("situation").worker_started(batch=True)
    assert set(ImpactAssessment.objects.values_list("day", flat=True)) == {DAY - timedelta(days=1), DAY}
