"""The roster page in headless Chromium: three members, each in a browser."""

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
from roster.services import MSG_CAPTAIN_MUST_TRANSFER
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = BROWSER_TEST_MARKS


def _member_row(page, name):
    return page.locator("table.roster-table tbody tr").filter(has_text=name)


def _team_roster(page, slug):
    """Open the team page and return {member name: role} from its roster."""
    visit(page, f"/teams/{slug}/")
    roles = {}
    for row in page.locator("table.team-roster tbody tr").all():
        name = row.locator(".member-name").inner_text()
        roles[name] = row.locator(".role").inner_text()
    return roles


def _timeline(page):
    """Return the roster history of the page that is open, newest first."""
    return page.locator(".roster-timeline .roster-event span").all_inner_texts()


def _alumni(page):
    return page.locator("table.roster-alumni tbody tr td:first-child").all_inner_texts()


def test_roster_managed_by_three_people(open_person):
    team = TeamFactory(name="Night Owls")
    slug = team.slug
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    carol = UserFactory(username="carol")
    MembershipFactory(team=team, profile=alice.profile, role="captain")
    MembershipFactory(team=team, profile=bob.profile, role="player")
    MembershipFactory(team=team, profile=carol.profile, role="player")
    alice_page, bob_page, carol_page = open_person(), open_person(), open_person()
    log_in(alice_page, alice, PASSWORD)
    log_in(bob_page, bob, PASSWORD)
    log_in(carol_page, carol, PASSWORD)
    roster_url = f"/teams/{slug}/roster/"

    # Members see the roster page without the management forms.
    visit(bob_page, roster_url)
    expect(bob_page.get_by_role("button", name="Leave team")).to_be_visible()
    assert bob_page.get_by_role("button", name="Change role").count() == 0
    assert unread_count(bob_page) == 0

    # 1. The captain makes Bob a co-captain.
    visit(alice_page, roster_url)
    bob_row = _member_row(alice_page, "bob")
    bob_row.get_by_label("Role of bob").select_option("co_captain")
    submit(bob_row.get_by_role("button", name="Change role"))
    assert flash_messages(alice_page) == ["bob is now co-captain."]
    assert _team_roster(alice_page, slug) == {
        "alice": "Captain",
        "bob": "Co-captain",
        "carol": "Player",
    }
    assert _timeline(alice_page)[0] == "bob changed from player to co-captain."
    visit(bob_page, f"/teams/{slug}/")
    assert unread_count(bob_page) == 1
    assert notification_texts(bob_page) == [
        "alice changed your role in Night Owls from player to co-captain."
    ]

    # 2. The captain removes Carol.
    visit(alice_page, roster_url)
    submit(_member_row(alice_page, "carol").get_by_role("button", name="Remove"))
    assert flash_messages(alice_page) == ["carol was removed from the roster."]
    assert _member_row(alice_page, "carol").count() == 0
    assert _team_roster(alice_page, slug) == {"alice": "Captain", "bob": "Co-captain"}
    assert _timeline(alice_page)[0] == "carol was removed by alice."
    assert _alumni(alice_page) == ["carol"]
    visit(carol_page, f"/teams/{slug}/")
    assert unread_count(carol_page) == 1
    assert carol_page.locator(".team-badges").inner_text().strip() == ""
    assert notification_texts(carol_page) == ["alice removed you from Night Owls."]
    # Carol is no longer a member, so the roster page is closed to her.
    visit(carol_page, roster_url, status=403)

    # 3. The captain cannot leave before handing over the captaincy.
    visit(alice_page, roster_url)
    submit(alice_page.get_by_role("button", name="Leave team"), status=409)
    expect(alice_page.get_by_text(MSG_CAPTAIN_MUST_TRANSFER)).to_be_visible()
    assert _team_roster(alice_page, slug) == {"alice": "Captain", "bob": "Co-captain"}

    # 4. The captain hands the captaincy to Bob and becomes a co-captain.
    visit(alice_page, roster_url)
    submit(_member_row(alice_page, "bob").get_by_role("button", name="Make captain"))
    assert flash_messages(alice_page) == [
        "bob is now the captain, and you are a co-captain."
    ]
    assert _team_roster(alice_page, slug) == {"alice": "Co-captain", "bob": "Captain"}
    assert _timeline(alice_page)[0] == "Captaincy passed from alice to bob."
    visit(bob_page, f"/teams/{slug}/")
    assert unread_count(bob_page) == 2
    assert notification_texts(bob_page) == [
        "alice handed the captaincy of Night Owls to bob.",
        "alice changed your role in Night Owls from player to co-captain.",
    ]
    # The new captain now manages the roster: Alice's row has the forms.
    visit(bob_page, roster_url)
    alice_row = _member_row(bob_page, "alice")
    expect(alice_row.get_by_role("button", name="Change role")).to_be_visible()
    expect(alice_row.get_by_role("button", name="Remove")).to_be_visible()
    # The old captain has no transfer button any more.
    visit(alice_page, roster_url)
    assert alice_page.get_by_role("button", name="Make captain").count() == 0

    # 5. The old captain, now a co-captain, leaves.
    submit(alice_page.get_by_role("button", name="Leave team"))
    assert flash_messages(alice_page) == ["You left Night Owls."]
    assert _team_roster(alice_page, slug) == {"bob": "Captain"}
    assert _timeline(alice_page)[0] == "alice left the team."
    assert sorted(_alumni(alice_page)) == ["alice", "carol"]
    # Leaving sends no notification, so Bob's count stays where it was.
    visit(bob_page, f"/teams/{slug}/")
    assert unread_count(bob_page) == 2

    # 6. Bob, the last member, leaves as captain and disbands the team.
    visit(bob_page, roster_url)
    submit(bob_page.get_by_role("button", name="Leave team"))
    assert flash_messages(bob_page) == [
        "You left Night Owls. You were its last member, so the team was disbanded."
    ]
    expect(bob_page.locator(".team-badges .badge-danger")).to_contain_text("Disbanded")
    assert _timeline(bob_page)[0] == "The team was disbanded."
    visit(bob_page, roster_url, status=404)


def test_notifications_marked_read(open_person):
    team = TeamFactory(name="Night Owls")
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    MembershipFactory(team=team, profile=alice.profile, role="captain")
    bob_membership = MembershipFactory(team=team, profile=bob.profile, role="player")
    captain, member = open_person(), open_person()
    log_in(captain, alice, PASSWORD)
    log_in(member, bob, PASSWORD)
    visit(captain, f"/teams/{team.slug}/roster/")
    role_select = captain.locator(f"#role-{bob_membership.pk}")
    for role in ("substitute", "coach"):
        role_select.select_option(role)
        submit(_member_row(captain, "bob").get_by_role("button", name="Change role"))

    notification_texts(member)
    assert unread_count(member) == 2
    # "Open" marks the notification read and leads to the roster page.
    submit(member.get_by_role("button", name="Open").first)
    assert member.url.endswith(f"/teams/{team.slug}/roster/")
    assert unread_count(member) == 1
    notification_texts(member)
    submit(member.get_by_role("button", name="Mark all read"))
    assert flash_messages(member) == ["Marked 1 notification as read."]
    assert unread_count(member) == 0
    assert member.locator(".notification-unread").count() == 0
