"""The home page and the directory pages show each user what they may see, and nothing more."""

from __future__ import annotations

from seemix.directory.models import Membership


def test_home_shows_the_users_participant_role_and_contact_points(browser, participants, contact_points):
    # when
    response = browser("RS coordinator").get("/")
    # then
    html = response.content.decode()
    assert "Welcome, rs-coordinator" in html
    assert '<a href="/directory/RS/">Serbia</a>' in html
    assert '<span class="badge badge-role">Coordinator</span>' in html
    assert "Contact points of Serbia" in html
    assert "Flows: Border Police Operations Centre" in html
    assert "+381 11 306 2000" in html
    # Their own RESTRICTED contact point is theirs to see, and badged.
    assert "Readmission: Liaison desk for Croatia" in html
    assert '<span class="badge badge-restricted">Restricted</span>' in html
    # Other participants' contact points are in the directory, not on the home page.
    assert "Hellenic Police Aliens Division" not in html


def test_home_lists_every_membership_of_the_user(browser, participants, make_user, client):
    # given
    user = make_user("GR", "reporter")
    Membership.objects.create(user=user, participant=participants["MK"], role="analyst")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # when
    html = client.get("/").content.decode()
    # then
    assert "Contact points of Greece" in html
    assert "Contact points of North Macedonia" in html
    assert html.index('<a href="/directory/GR/">Greece</a>') < html.index(
        '<a href="/directory/MK/">North Macedonia</a>'
    )


def test_home_of_a_platform_administrator_without_membership(browser, participants):
    # when
    html = browser("admin").get("/").content.decode()
    # then
    assert "You are a platform administrator." in html
    assert 'href="/admin/"' in html
    assert 'href="/directory/"' in html


def test_home_links_to_the_api_documentation(browser, participants):
    # when
    html = browser("nobody").get("/").content.decode()
    # then
    assert 'href="/api/v1/docs"' in html


def test_directory_lists_participants_with_their_kind(browser, participants):
    # when
    html = browser("GR reporter").get("/directory/").content.decode()
    # then
    assert "7 participants" in html
    assert '<td><a href="/directory/AT/">Austria</a></td>' in html
    assert "<td>EU member state</td>" in html
    assert "<td>Secretariat</td>" in html
    assert "Regional Cooperation Council Secretariat" in html


def test_participant_page_shows_regional_contact_points_to_others(browser, participants, contact_points):
    # when
    html = browser("GR reporter").get("/directory/RS/").content.decode()
    # then
    assert "<h1>Serbia" in html
    assert "Flows: Border Police Operations Centre" in html
    assert '<span class="badge badge-247">24/7</span>' in html
    assert "SR, EN" in html
    # Serbia's RESTRICTED contact point is for Croatia only.
    assert "Liaison desk for Croatia" not in html
    assert "Restricted" not in html.split("<h2>Contact points</h2>")[1].split("</ul>")[0]


def test_restricted_contact_point_is_shown_to_its_audience_and_badged(browser, participants, contact_points):
    # when
    html = browser("HR observer").get("/directory/RS/").content.decode()
    # then
    assert "Readmission: Liaison desk for Croatia" in html
    assert '<li class="contact is-restricted">' in html
    assert '<span class="badge badge-restricted">Restricted</span>' in html


def test_restricted_contact_point_stays_hidden_from_administrators(browser, participants, contact_points):
    # when
    html = browser("admin").get("/directory/GR/").content.decode()
    # then
    assert "Hellenic Police Aliens Division" in html
    assert "Evros night duty officer" not in html
    assert "+30 25510 00000" not in html


def test_participant_without_visible_contact_points(browser, participants, contact_points):
    # when
    html = browser("RS coordinator").get("/directory/SI/").content.decode()
    # then
    assert "No contact point of this participant is visible to you." in html
