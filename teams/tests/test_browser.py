"""From sign-up to a listed team, in headless Chromium."""

import re

from django.core import mail
from PIL import Image

from core.tests.browser import (
    BROWSER_TEST_MARKS,
    expect,
    flash_messages,
    submit,
    visit,
)
from teams.models import Team

pytestmark = BROWSER_TEST_MARKS

CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")
NEW_PASSWORD = "violet-anchor-2931"


def _png(path):
    Image.new("RGB", (96, 96), (200, 40, 60)).save(path, format="PNG")
    return path


def test_signup_then_create_team(open_person, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = open_person()

    # Sign up through the allauth form.
    visit(page, "/accounts/signup/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Handle").fill("newcomer")
    page.get_by_label("Password:").fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    submit(page.get_by_role("button", name="Sign Up"))
    assert page.url.endswith("/accounts/confirm-email/")
    assert page.locator(".user-chip").count() == 0

    # An unverified account cannot create a team yet.
    visit(page, "/teams/create/")
    assert "/accounts/login/" in page.url

    # Open the verification link from the email and confirm.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    match = CONFIRM_PATH.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    visit(page, match.group(1))
    submit(page.get_by_role("button", name="Confirm"))
    expect(page.locator(".user-chip")).to_have_text("newcomer")

    # Create a team with a PNG logo.
    visit(page, "/teams/create/")
    page.get_by_label("Game").select_option("cs2")
    page.get_by_label("Name").fill("Crimson Foxes")
    page.get_by_label("Tag").fill("CRF")
    page.get_by_label("Region").select_option("europe")
    page.get_by_label("Logo").set_input_files(_png(tmp_path / "logo.png"))
    page.get_by_label("Recruiting", exact=True).check()
    submit(page.get_by_role("button", name="Create team"))
    assert flash_messages(page) == ["Crimson Foxes is ready. You are its captain."]
    team = Team.objects.get(name="Crimson Foxes")
    assert page.url.endswith(f"/teams/{team.slug}/")
    expect(page.locator(".team-title h1")).to_contain_text("Crimson Foxes")
    expect(page.locator(".team-badges")).to_contain_text("Your role: Captain")

    # The logo was stored re-encoded, and the page shows it.
    assert team.logo.name.endswith(".png")
    with Image.open(team.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (96, 96)
    logo = page.locator(".team-header .team-logo img")
    expect(logo).to_have_attribute("src", team.logo.url)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=logo.element_handle()
    )
    assert logo.evaluate("img => img.naturalWidth") == 96

    # The hub and the search list the new team.
    visit(page, "/teams/hub/")
    new_teams = page.locator("section[aria-labelledby=new-heading]")
    expect(new_teams.get_by_role("link", name="Crimson Foxes")).to_be_visible()
    visit(page, "/teams/search/?q=crimson")
    expect(page.get_by_role("link", name="Crimson Foxes")).to_be_visible()
    visit(page, "/teams/search/?q=CRF")
    expect(page.get_by_role("link", name="Crimson Foxes")).to_be_visible()
