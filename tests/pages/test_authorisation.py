"""Who may open which page: anonymous visitors sign in first; users without a membership are refused
the directory and the gazetteer (as the API refuses them); members and platform administrators read."""

from __future__ import annotations

import pytest

PAGES = [
    "/directory/",
    "/directory/RS/",
    "/gazetteer/",
    "/gazetteer/crossing-points/",
    "/gazetteer/sites/",
    "/gazetteer/route/",
    "/gazetteer/map/",
]
# A member of a SEECP participant, one of a partner, and a platform administrator without membership.
READERS = ["RS coordinator", "RCC analyst", "admin"]


@pytest.mark.parametrize("path", ["/", *PAGES])
def test_anonymous_visitor_is_sent_to_the_login_page(path, browser, participants):
    # when
    response = browser("anonymous").get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.fixture
def data_for(request):
    """data_for(path): what the page shows, so that it renders with content, not just its empty state."""

    def load(path: str) -> None:
        request.getfixturevalue("contact_points")
        if path.startswith("/gazetteer/"):
            request.getfixturevalue("gazetteer")

    return load


@pytest.mark.parametrize("path", PAGES)
def test_user_without_membership_is_refused(path, browser, participants, contact_points):
    # when
    response = browser("nobody").get(path)
    # then
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not open this page" in html
    assert "Border Police Operations Centre" not in html


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("path", ["/", *PAGES])
def test_members_and_platform_administrators_read(path, who, browser, participants, data_for):
    # given
    data_for(path)
    # when
    response = browser(who).get(path)
    # then
    assert response.status_code == 200


def test_user_without_membership_gets_a_polite_home_page(browser, participants):
    # when
    response = browser("nobody").get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no membership yet." in html
    # No way into pages that would refuse the user.
    assert 'href="/directory/"' not in html
    assert 'href="/gazetteer/"' not in html


def test_unknown_participant_is_not_found(browser, participants):
    # when
    response = browser("RS coordinator").get("/directory/ZZ/")
    # then
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_deactivated_participant_is_not_found_for_members(browser, participants):
    # given
    participants["SI"].is_active = False
    participants["SI"].save()
    # when
    response = browser("RS coordinator").get("/directory/SI/")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/", *PAGES])
def test_pages_refuse_unsafe_methods(path, browser, participants):
    # when
    response = browser("RS coordinator").post(path)
    # then
    assert response.status_code == 405
