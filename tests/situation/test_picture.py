# ruff: noqa: F811  (the fixtures are imported from picture_world)
"""build_picture: figures per country, border section and place, visibility, as-of, query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import Forbidden
from seemix.situation.picture import build_picture
from tests.situation.picture_world import DAY, gazetteer, indicators, principal_of, report, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_country_figures_exits_by_destination_and_totals(report, principal_of):
    # given
    report("RS", [("RS", "ARRIVALS", 6850, ""), ("RS-SID", "EXITS", 6000, "HR"), ("RS", "EXITS", 50, "HU")])
    report("HR", [("HR-TOVARNIK", "ARRIVALS", 5900, ""), ("HR-OPATOVAC", "PRESENT", 3700, ""),
                  ("HR-RS", "STRANDED", 1200, "")])  # fmt: skip
    # when
    picture = build_picture(principal_of("SI", "analyst"))
    # then
    assert picture.day == DAY
    assert picture.latest_day == DAY
    serbia, croatia = picture.country("RS"), picture.country("HR")
    assert (serbia.arrivals, serbia.exits, serbia.exits_by_destination) == (
        6850,
        6050,
        {"HR": 6000, "HU": 50},
    )
    assert (croatia.arrivals, croatia.present, croatia.stranded) == (5900, 3700, 1200)
    assert croatia.capacity == 4000  # Opatovac, from the gazetteer's capacities
    assert croatia.occupancy == pytest.approx(0.925)
    assert picture.country("SI").arrivals is None  # nothing reported: missing, not zero
    assert (picture.totals.arrivals, picture.totals.exits, picture.totals.stranded) == (12750, 6050, 1200)
    site = next(s for s in picture.sites if s.code == "HR-OPATOVAC")
    assert (site.present, site.capacity, site.state) == (3700, 4000, "near_full")


def test_border_section_both_sides_counts_and_difference(report, principal_of):
    # given: Serbia counts 6000 leaving for Croatia at Sid; Croatia counts 5900 arriving at Tovarnik
    report("RS", [("RS-SID", "EXITS", 6000, "HR")])
    report("HR", [("HR-TOVARNIK", "ARRIVALS", 5900, ""), ("HR-RS", "STRANDED", 300, "")])
    # when
    section = build_picture(principal_of("SI", "analyst")).section("HR-RS")
    # then
    [direction] = [d for d in section.directions if d.origin == "RS"]
    assert (direction.counted_by_origin, direction.counted_by_destination) == (6000, 5900)
    assert direction.difference == -100
    assert (direction.flow, direction.basis) == (5900, "destination")
    assert section.flow == 5900
    assert section.stranded == 300


def test_a_leg_with_a_single_way_in_takes_the_destinations_arrivals_marked_inferred(report, principal_of):
    # given: Slovenia reports its arrivals for the country only; on 21 Oct 2015 its one way in was Croatia
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    # when
    picture = build_picture(principal_of("RS", "analyst"))
    # then
    leg = next(g for g in picture.legs if (g.origin, g.destination) == ("HR", "SI"))
    assert (leg.flow, leg.basis, leg.section) == (12616, "inferred", "HR-SI")


def test_restricted_report_of_another_participant_neither_shows_nor_changes_totals(report, principal_of):
    # given
    report("RS", [("RS", "ARRIVALS", 100, "")])
    report("HR", [("HR", "ARRIVALS", 5000, "")], classification=Classification.RESTRICTED, audience=("SI",))
    # when
    outsider = build_picture(principal_of("MK", "analyst"))
    audience = build_picture(principal_of("SI", "analyst"))
    own = build_picture(principal_of("HR", "reporter"))
    # then
    assert outsider.country("HR").arrivals is None
    assert outsider.totals.arrivals == 100
    assert {f.participant: f.latest_day for f in outsider.freshness}["HR"] is None
    assert audience.country("HR").arrivals == 5000
    assert audience.totals.arrivals == 5100
    assert own.totals.arrivals == 5100


def test_default_day_is_the_latest_visible_one(report, principal_of):
    # given: a later day reported only RESTRICTED to Slovenia
    report("RS", [("RS", "ARRIVALS", 100, "")])
    report("HR", [("HR", "ARRIVALS", 7, "")], day=DAY + timedelta(days=1),
           classification=Classification.RESTRICTED, audience=("SI",))  # fmt: skip
    # then
    assert build_picture(principal_of("MK", "analyst")).day == DAY
    assert build_picture(principal_of("SI", "analyst")).day == DAY + timedelta(days=1)
    assert build_picture(principal_of("MK", "analyst"), date(2015, 10, 1)).country("RS").arrivals is None


def test_as_of_shows_the_figures_known_then(report, principal_of):
    # given: a report, then its correction
    first = report("RS", [("RS", "ARRIVALS", 6850, "")])
    before_correction = timezone.now()
    report("RS", [("RS", "ARRIVALS", 7100, "")])
    reader = principal_of("HR", "analyst")
    # when
    now = build_picture(reader, DAY)
    then = build_picture(reader, DAY, as_of=before_correction)
    earlier = build_picture(reader, DAY, as_of=before_correction - timedelta(days=1))
    # then
    assert first.accepted == 1
    assert now.country("RS").arrivals == 7100
    assert then.country("RS").arrivals == 6850
    assert then.as_of == before_correction
    assert earlier.country("RS").arrivals is None
    assert earlier.latest_day is None


def test_a_member_of_no_participant_is_refused(make_user, world):
    from seemix.directory.principals import principal_for_user

    with pytest.raises(Forbidden):
        build_picture(principal_for_user(make_user()))
    with pytest.raises(Forbidden):
        build_picture(Principal(user=None))


def test_number_of_queries_does_not_grow_with_the_figures(
    report, principal_of, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given: one figure, then many places and participants reporting
    report("MK", [("MK", "ARRIVALS", 1, "")])
    reader = principal_of("GR", "analyst")
    with CaptureQueriesContext(connection) as few:
        build_picture(reader)
    report("RS", [("RS", "ARRIVALS", 1, ""), ("RS-SID", "EXITS", 1, "HR"), ("RS-PRESEVO", "PRESENT", 1, "")])
    report("HR", [("HR-TOVARNIK", "ARRIVALS", 1, ""), ("HR-OPATOVAC", "PRESENT", 1, ""),
                  ("HR-SLAVONSKI-BROD", "PRESENT", 1, ""), ("HR-RS", "STRANDED", 1, "")])  # fmt: skip
    report("SI", [("SI", "ARRIVALS", 1, ""), ("SI-DOBOVA", "PRESENT", 1, "")])
    # then
    with django_assert_max_num_queries(len(few)):
        picture = build_picture(reader)
    assert len(few) <= 16
    assert picture.totals.arrivals == 4


def test_freshness_looks_back_sixty_days(report, principal_of):
    # given: Serbia reported the day itself, Croatia 60 days before (just outside the window), Slovenia 59
    report("RS", [("RS", "ARRIVALS", 1, "")])
    report("HR", [("HR", "ARRIVALS", 1, "")], day=DAY - timedelta(days=60))
    report("SI", [("SI", "ARRIVALS", 1, "")], day=DAY - timedelta(days=59))
    # when
    fresh = {f.participant: f for f in build_picture(principal_of("MK", "analyst"), DAY).freshness}
    # then
    assert (fresh["RS"].latest_day, fresh["RS"].days_behind, fresh["RS"].reported_on_day) == (DAY, 0, True)
    assert (fresh["SI"].days_behind, fresh["SI"].reported_on_day) == (59, False)
    assert (fresh["HR"].latest_day, fresh["HR"].days_behind) == (None, None)
