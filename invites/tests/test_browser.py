"""Invites, invite links and join requests in headless Chromium."""

import re

from accounts.tests.factories import PASSWORD, UserFactory
from core.tests.browser import (
    BROWSER_TEST_MARKS,
    expect,
    flash_messages,
    log_in,
    notification_texts,
    submit,
    unread_count,
    visit,
)
from games.models import Game
from invites.services.links import MSG_LINK_USED_UP
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = BROWSER_TEST_MARKS

INVITE_FORM = "section[aria-labelledby=invite-heading] form"
LINK_FORM = "section[aria-labelledby=link-heading] form"


def _team_with_captain(name, username, **team_fields):
    team = TeamFactory(name=name, **team_fields)
    captain = UserFactory(username=username)
    MembershipFactory(team=team, profile=captain.profile, role="captain")
    return team, captain


def _roster_names(page, slug):
    visit(page, f"/teams/{slug}/roster/")
    return page.locator(
        "table.roster-table tbody tr td:first-child a"
    ).all_inner_texts()


def test_invite_by_handle_accepted(open_person):
    team, alice = _team_with_captain("Night Owls", "alice")
    bob = UserFactory(username="bob")
    captain, player = open_person(), open_person()
    log_in(captain, alice, PASSWORD)
    log_in(player, bob, PASSWORD)

    visit(captain, f"/teams/{team.slug}/invites/")
    form = captain.locator(INVITE_FORM)
    form.get_by_label("Handle or email address").fill("bob")
    form.get_by_label("Role").select_option("substitute")
    submit(form.get_by_role("button", name="Send invite"))
    assert flash_messages(captain) == ["Invite sent to bob. It expires in 7 days."]
    pending = captain.locator(".invites-pending tbody tr")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("bob")

    # The player sees the invite in the header count, the list and /invites/.
    visit(player, "/invites/")
    assert unread_count(player) == 1
    invite = player.locator(".invites-inbox li")
    expect(invite).to_have_count(1)
    expect(invite).to_contain_text("Night Owls")
    expect(invite).to_contain_text("invites you as substitute, sent by alice.")
    assert notification_texts(player) == [
        "alice invited you to join Night Owls as substitute."
    ]
    visit(player, "/invites/")
    submit(player.get_by_role("button", name="Accept"))
    assert player.url.endswith(f"/teams/{team.slug}/")
    assert flash_messages(player) == [
        "Welcome to Night Owls! You joined as substitute."
    ]
    expect(player.locator(".team-badges")).to_contain_text("Your role: Substitute")

    # The captain's roster and notifications show the new member.
    assert _roster_names(captain, team.slug) == ["alice", "bob"]
    expect(captain.locator(".invites-pending")).to_contain_text("No pending invites.")
    assert unread_count(captain) == 1
    assert notification_texts(captain) == [
        "bob accepted the invite to join Night Owls as substitute."
    ]
    visit(player, "/invites/")
    expect(player.locator(".invites-inbox")).to_have_count(0)


def test_invite_link_joins_team(open_person, live_server):
    team, alice = _team_with_captain("Night Owls", "alice", is_recruiting=True)
    carol = UserFactory(username="carol")
    dave = UserFactory(username="dave")
    captain, joiner, latecomer = open_person(), open_person(), open_person()
    log_in(captain, alice, PASSWORD)
    log_in(joiner, carol, PASSWORD)
    log_in(latecomer, dave, PASSWORD)

    visit(captain, f"/teams/{team.slug}/invites/")
    form = captain.locator(LINK_FORM)
    # By name: the "Role" label of this form points at the invite form's
    # select (see test_manage_page_ids_unique).
    form.locator("select[name=role]").select_option("coach")
    form.get_by_label("Expires after").select_option(label="1 day")
    form.get_by_label("Maximum uses").fill("1")
    submit(form.get_by_role("button", name="Create link"))
    assert flash_messages(captain) == [
        "Invite link created. Copy it now: it is shown only once."
    ]
    link_url = captain.get_by_label("Invite link").input_value()
    link_page = captain.url
    pattern = rf"{re.escape(live_server.url)}/invites/link/[\w-]+/"
    assert re.fullmatch(pattern, link_url)

    # The token is shown once: a reload of the link page no longer has it.
    visit(captain, link_page)
    assert captain.get_by_label("Invite link").count() == 0

    # A third person opens the link, sees what it offers and joins.
    visit(joiner, link_url)
    expect(joiner.locator("h1")).to_have_text("Join Night Owls")
    landing = joiner.locator(".invites-landing")
    expect(landing).to_contain_text("this Counter-Strike 2 team as coach.")
    expect(landing).to_contain_text("can be used 1 more time.")
    submit(joiner.get_by_role("button", name="Join as coach"))
    assert joiner.url.endswith(f"/teams/{team.slug}/")
    assert flash_messages(joiner) == ["Welcome to Night Owls! You joined as coach."]
    assert _roster_names(captain, team.slug) == ["alice", "carol"]

    # The captain sees who used the link, which is now used up.
    visit(captain, link_page)
    uses = captain.locator("section[aria-labelledby=uses-heading] tbody tr")
    expect(uses).to_have_count(1)
    expect(uses).to_contain_text("carol")
    expect(captain.locator(".invites-facts")).to_contain_text("1 of 1")

    # A used-up link offers a join request to the recruiting team instead.
    visit(latecomer, link_url, status=409)
    expect(latecomer.locator(".error-message")).to_have_text(
        MSG_LINK_USED_UP.format(max_uses=1)
    )
    expect(
        latecomer.get_by_role("link", name="Request to join Night Owls")
    ).to_be_visible()


def test_manage_page_ids_unique(open_person):
    team, alice = _team_with_captain("Night Owls", "alice")
    captain = open_person()
    log_in(captain, alice, PASSWORD)
    visit(captain, f"/teams/{team.slug}/invites/")

    ids = captain.locator("[id]").evaluate_all("nodes => nodes.map(n => n.id)")
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    assert duplicates == []
    link_role = captain.locator(LINK_FORM).get_by_label("Role")
    expect(link_role).to_have_count(1)


def test_join_request_approved(open_person):
    home, _alice = _team_with_captain("Night Owls", "alice")
    bob = UserFactory(username="bob")
    MembershipFactory(team=home, profile=bob.profile, role="player")
    valorant = Game.objects.get(slug="valorant")
    other, dave = _team_with_captain(
        "Dawn Patrol",
        "dave",
        game=valorant,
        is_recruiting=True,
        recruiting_message="Looking for a duelist.",
    )
    player, captain = open_person(), open_person()
    log_in(player, bob, PASSWORD)
    log_in(captain, dave, PASSWORD)

    # Bob, already in a Counter-Strike 2 team, requests to join a Valorant team.
    visit(player, f"/teams/{other.slug}/")
    expect(player.locator(".recruiting-callout")).to_contain_text(
        "Looking for a duelist."
    )
    player.get_by_role("link", name="Ask to join").click()
    player.wait_for_url(f"**/teams/{other.slug}/invites/request/")
    player.get_by_label("Role you want").select_option("player")
    player.get_by_label("Message").fill("Radiant duelist, free most evenings.")
    submit(player.get_by_role("button", name="Send request"))
    assert flash_messages(player) == [
        "Request sent. The captain and co-captains of Dawn Patrol will answer."
    ]
    expect(player.get_by_role("button", name="Withdraw request")).to_be_visible()

    # The other team's captain gets a notification and approves.
    visit(captain, f"/teams/{other.slug}/")
    assert unread_count(captain) == 1
    assert notification_texts(captain) == ["bob asks to join Dawn Patrol as player."]
    visit(captain, f"/teams/{other.slug}/invites/")
    request = captain.locator(".invites-requests li")
    expect(request).to_have_count(1)
    expect(request).to_contain_text("Radiant duelist, free most evenings.")
    submit(request.get_by_role("button", name="Approve"))
    assert flash_messages(captain) == ["bob joined the team as player."]
    expect(captain.locator(".invites-requests")).to_have_count(0)
    assert _roster_names(captain, other.slug) == ["dave", "bob"]

    # Bob gets a notification, and /invites/ shows the request approved.
    visit(player, "/invites/")
    assert unread_count(player) == 1
    expect(player.locator("section[aria-labelledby=requests-heading]")).to_contain_text(
        "Approved"
    )
    assert notification_texts(player) == [
        "Dawn Patrol approved your request to join as player."
    ]
    assert _roster_names(player, home.slug) == ["alice", "bob"]
