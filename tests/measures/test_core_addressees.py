"""Addressees computed from a measure's scope, and the issuer's own list before notifying."""

from __future__ import annotations

from typing import Any

import pytest

from seemix.core.errors import Conflict, InvalidInput
from seemix.measures import services
from seemix.measures.addressees import within_hops
from seemix.measures.models import Addressee, Subscription
from tests.measures.conftest import closure_data


def _addressees(measure: Any) -> dict[str, list[str]]:
    return {
        a.participant.code: a.reasons
        for a in Addressee.objects.filter(measure=measure).select_related("participant")
    }


def test_within_hops_counts_legs_not_nodes():
    # given
    graph = {"A": {"B"}, "B": {"C"}, "C": {"D"}}
    # when / then
    assert within_hops(graph, ["A"], 2) == {"B", "C"}
    assert within_hops(graph, ["A"], 1) == {"B"}


def test_hungary_closing_the_serbian_border_notifies_serbia_croatia_the_route_and_the_secretariat(
    draft_closure,
):
    # when
    addressees = _addressees(draft_closure)
    # then
    assert addressees == {
        "AT": ["route"],
        "BG": ["route"],
        "DE": ["route"],
        "GR": ["route"],
        "HR": ["route"],
        "MK": ["route"],
        "RCC": ["secretariat"],
        "RS": ["neighbour", "route"],
        "SI": ["route"],
        "TR": ["route"],
    }


def test_hungary_closing_the_croatian_border_makes_croatia_a_neighbour(world):
    # when
    measure = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(
            title="Closure of the border with Croatia", border_sections=("HR-HU",), crossing_points=()
        ),
    )
    # then
    addressees = _addressees(measure)
    assert addressees["HR"] == ["neighbour", "route"]
    assert addressees["RS"] == ["route"]
    assert "HU" not in addressees


def test_a_subscriber_is_added_for_its_countries_only(world):
    # given
    Subscription.objects.create(participant=world["UNHCR"], countries=["HU"])
    Subscription.objects.create(participant=world["IOM"], countries=["GR"])
    Subscription.objects.create(participant=world["FRONTEX"], countries=[])
    # when
    measure = services.create_measure(actor=None, issuer=world["HU"], data=closure_data())
    # then
    addressees = _addressees(measure)
    assert addressees["UNHCR"] == ["subscription"]
    assert addressees["FRONTEX"] == ["subscription"]
    assert "IOM" not in addressees


def test_the_issuing_coordinator_replaces_the_list(draft_closure, principal):
    # when
    services.set_addressees(draft_closure, actor=principal("HU", "coordinator"), codes=["rs", "AL"])
    # then
    assert _addressees(draft_closure) == {"AL": ["added"], "RS": ["neighbour", "route"]}


def test_an_edited_list_is_kept_when_the_draft_changes(draft_closure, principal):
    # given
    coordinator = principal("HU", "coordinator")
    services.set_addressees(draft_closure, actor=coordinator, codes=["RS"])
    # when
    draft_closure.refresh_from_db()
    services.update_draft(
        draft_closure, actor=coordinator, data=closure_data(border_sections=("HR-HU", "HU-RS"))
    )
    # then
    assert list(_addressees(draft_closure)) == ["RS"]


@pytest.mark.parametrize(
    ("codes", "message"),
    [(["XX"], "Unknown participants: XX."), (["HU"], "The issuer is not its own addressee.")],
)
def test_a_wrong_list_is_refused_and_nothing_changes(draft_closure, principal, codes, message):
    # given
    before = _addressees(draft_closure)
    # when
    with pytest.raises(InvalidInput) as error:
        services.set_addressees(draft_closure, actor=principal("HU", "coordinator"), codes=codes)
    # then
    assert [(e.field, e.message) for e in error.value.errors] == [("addressees", message)]
    assert _addressees(draft_closure) == before


def test_the_list_is_fixed_once_notified(draft_closure, principal):
    # given
    coordinator = principal("HU", "coordinator")
    services.notify_measure(draft_closure, actor=coordinator)
    draft_closure.refresh_from_db()
    # when / then
    with pytest.raises(Conflict):
        services.set_addressees(draft_closure, actor=coordinator, codes=["RS"])
