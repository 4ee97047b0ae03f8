"""Submitting through the services: all or nothing, row by row, revisions, drafts, as-of, idempotency."""

from datetime import date

import pytest

from seemix.core.errors import Conflict, Forbidden
from seemix.core.models import AuditEntry
from seemix.flows.models import Observation, Report, ReportRevision
from seemix.flows.services import ImportRejected, correct_report, submit_draft, submit_observations
from tests.flows.conftest import counts, row


def values(revision):
    return sorted(
        (
            o.indicator.code,
            o.date.isoformat(),
            o.crossing_point.code if o.crossing_point else o.country_id,
            o.breakdown,
            o.breakdown_value,
            o.value,
        )
        for o in Observation.objects.filter(revision=revision).select_related("indicator", "crossing_point")
    )


def test_a_submission_makes_one_report_per_day_with_its_first_revision(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    rows = [
        row("RS-MIRATOVAC", 100, number=2),
        row("RS-SID", 80, number=3),
        row("RS-SID", 70, number=4, day=date(2016, 1, 11)),
    ]
    # when
    result = submit_observations(actor=reporter, participant=flows_world["RS"], rows=rows, channel="api")
    # then
    assert (result.accepted, result.rejected) == (3, 0)
    assert [(r["period_start"], r["number"], r["status"], r["observations"]) for r in result.revisions] == [
        ("2016-01-10", 1, "submitted", 2),
        ("2016-01-11", 1, "submitted", 1),
    ]
    assert Report.objects.count() == 2
    assert AuditEntry.objects.filter(action="flows.submitted").count() == 1


def test_all_or_nothing_writes_nothing_when_one_row_is_wrong(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    before = counts()
    rows = [row("RS-MIRATOVAC", 100, number=2), row("RS-MIRATOVAC", -5, number=3, day=date(2016, 1, 11))]
    # when
    with pytest.raises(ImportRejected) as rejected:
        submit_observations(actor=reporter, participant=flows_world["RS"], rows=rows, channel="api")
    # then
    assert [(p.location.row, p.field, p.message) for p in rejected.value.problems] == [
        (3, "value", "A count cannot be negative."),
    ]
    assert counts() == before


def test_row_by_row_keeps_the_good_rows_and_reports_every_rejected_one(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    rows = [
        row("RS-MIRATOVAC", 100, number=2),
        row("RS-MIRATOVAC", -5, number=3, day=date(2016, 1, 11)),
        row("MK-TABANOVCE", 5, number=4),
    ]
    # when
    result = submit_observations(actor=reporter, participant=flows_world["RS"], rows=rows, row_by_row=True)
    # then
    assert (result.accepted, result.rejected) == (1, 2)
    assert [(p.location.row, p.field) for p in result.problems] == [(3, "value"), (4, "place")]
    assert Observation.objects.count() == 1


def test_a_correction_is_a_new_revision_and_the_old_one_is_kept(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    first = submit_observations(
        actor=reporter,
        participant=flows_world["RS"],
        rows=[row("RS-MIRATOVAC", 100), row("RS-SID", 80, number=3)],
    )
    report = Report.objects.get()
    # when
    correct_report(report, actor=reporter, rows=[row("RS-SID", 85)], note="Šid recounted")
    # then
    old, new = ReportRevision.objects.filter(report=report).order_by("number")
    assert (old.number, new.number) == (1, 2)
    assert old.superseded_at == new.submitted_at
    assert values(old) == [
        ("ARRIVALS", "2016-01-10", "RS-MIRATOVAC", "", "", 100),
        ("ARRIVALS", "2016-01-10", "RS-SID", "", "", 80),
    ]
    assert values(new) == [
        ("ARRIVALS", "2016-01-10", "RS-MIRATOVAC", "", "", 100),
        ("ARRIVALS", "2016-01-10", "RS-SID", "", "", 85),
    ]
    assert new.change_seq > old.change_seq
    assert first.revisions[0]["revision"] == old.pk


def test_a_draft_is_saved_again_then_submitted(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    submit_observations(
        actor=reporter, participant=flows_world["RS"], rows=[row("RS-MIRATOVAC", 100)], as_draft=True
    )
    submit_observations(
        actor=reporter,
        participant=flows_world["RS"],
        rows=[row("RS-MIRATOVAC", 110), row("RS-SID", 3, number=3)],
        as_draft=True,
    )
    draft = ReportRevision.objects.get()
    # when
    submit_draft(draft, actor=reporter)
    # then
    draft.refresh_from_db()
    assert (draft.number, draft.status, draft.observation_count) == (1, "submitted", 2)
    assert values(draft) == [
        ("ARRIVALS", "2016-01-10", "RS-MIRATOVAC", "", "", 110),
        ("ARRIVALS", "2016-01-10", "RS-SID", "", "", 3),
    ]


def test_an_analyst_cannot_submit(flows_world, principal_of):
    # given
    analyst = principal_of("RS", "analyst")
    before = counts()
    # when
    with pytest.raises(Forbidden):
        submit_observations(actor=analyst, participant=flows_world["RS"], rows=[row("RS-MIRATOVAC", 1)])
    # then
    assert counts() == before


def test_the_same_idempotency_key_returns_the_first_result_and_other_rows_conflict(flows_world, principal_of):
    # given
    reporter = principal_of("RS", "reporter")
    first = submit_observations(
        actor=reporter, participant=flows_world["RS"], rows=[row("RS-MIRATOVAC", 1)], idempotency_key="k-1"
    )
    before = counts()
    # when
    again = submit_observations(
        actor=reporter, participant=flows_world["RS"], rows=[row("RS-MIRATOVAC", 1)], idempotency_key="k-1"
    )
    # then
    assert again.replayed is True
    assert again.as_dict() == first.as_dict()
    assert counts() == before
    with pytest.raises(Conflict):
        submit_observations(
            actor=reporter,
            participant=flows_world["RS"],
            rows=[row("RS-MIRATOVAC", 2)],
            idempotency_key="k-1",
        )
    assert counts() == before


def test_row_by_row_leaves_no_empty_revision_when_a_whole_day_is_rejected(flows_world, principal_of):
    # given a day whose breakdown exceeds its total, and a good day
    reporter = principal_of("RS", "reporter")
    rows = [
        row("RS-SID", 10, number=2),
        row("RS-SID", 20, breakdown="sex", breakdown_value="male", number=3),
        row("RS-SID", 5, day=date(2016, 1, 11), number=4),
    ]
    # when
    result = submit_observations(actor=reporter, participant=flows_world["RS"], rows=rows, row_by_row=True)
    # then
    assert (result.accepted, result.rejected) == (1, 2)
    assert [r["period_start"] for r in result.revisions] == ["2016-01-11"]
    assert list(Report.objects.values_list("period_start", flat=True)) == [date(2016, 1, 11)]
