import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from invites.selectors import pending_invites_for_team
from teams.models import Membership, Team
from teams.permissions import (
    ASSIGNABLE_ROLES,
    can_change_member_role,
    can_manage_roster,
    can_remove_member,
    can_transfer_captaincy,
    require,
)
from teams.selectors import team_by_old_slug

from .selectors import (
    roster_lock_active,
    roster_members,
    roster_usage,
    team_roster_history,
)
from .services import (
    lock_message,
    roster_change_role,
    roster_leave,
    roster_page_url,
    roster_remove_member,
    roster_transfer_captaincy,
    team_page_url,
)

MSG_TEAM_NOT_FOUND = "No team has this address."
MSG_TEAM_DISBANDED = "This team was disbanded, so it has no roster to manage."
MSG_BAD_MEMBER = "Choose a member of the roster."
MEMBERSHIP_ID_PATTERN = re.compile(r"[0-9]{1,18}")

Role = Membership.Role
# Role choices in the order the role menu lists them.
ROLE_MENU = [role for role in Role if role in ASSIGNABLE_ROLES]


def _team(slug):
    """Return the active team a roster URL names; old slugs still work."""
    team = Team.objects.select_related("game").filter(slug=slug).first()
    if team is None:
        team = team_by_old_slug(slug)
    if team is None:
        raise NotFound(MSG_TEAM_NOT_FOUND, code="team_not_found")
    if not team.is_active:
        raise NotFound(MSG_TEAM_DISBANDED, code="disbanded")
    return team


def _posted_membership_id(request):
    value = request.POST.get("membership", "")
    # ASCII digits only: str.isdigit() also accepts "²", which int() rejects.
    # At most 18 digits, so the id fits a bigint column.
    if MEMBERSHIP_ID_PATTERN.fullmatch(value) is None:
        raise DomainError(MSG_BAD_MEMBER, code="invalid_member")
    return int(value)


def _member_rows(user, team, members, mine):
    """Pair each member with the actions the viewer may take on them."""
    rows = []
    for member in members:
        choices = [
            (role.value, role.label)
            for role in ROLE_MENU
            if role == member.role
            or can_change_member_role(user, team, member, mine or False, role=role)
        ]
        rows.append(
            {
                "membership": member,
                "is_me": mine is not None and member.pk == mine.pk,
                "role_choices": choices if len(choices) > 1 else [],
                "can_remove": can_remove_member(user, team, member, mine or False),
                "can_transfer": member.profile.user_id is not None
                and can_transfer_captaincy(user, team, member, mine or False),
            }
        )
    return rows


@login_required
def roster_page(request, slug):
    team = _team(slug)
    if team.slug != slug:
        return redirect(roster_page_url(team))
    members = roster_members(team)
    mine = next((m for m in members if m.profile.user_id == request.user.pk), None)
    require("view_roster", request.user, team, membership=mine or False)
    lock = roster_lock_active(team)
    slots, coaches = roster_usage(members)
    history = team_roster_history(team)
    is_manager = can_manage_roster(request.user, team, mine or False)
    return render(
        request,
        "roster/page.html",
        {
            "team": team,
            "team_url": team_page_url(team),
            "rows": _member_rows(request.user, team, members, mine),
            "my_membership": mine,
            "is_manager": is_manager,
            "pending_invites": pending_invites_for_team(team) if is_manager else None,
            "lock": lock,
            "lock_message": lock_message(lock) if lock else "",
            "slots": slots,
            "coaches": coaches,
            "alumni": history.alumni,
            "timeline": history.timeline,
        },
    )


@login_required
@require_POST
def roster_role(request, slug):
    team = _team(slug)
    membership = roster_change_role(
        team,
        _posted_membership_id(request),
        request.POST.get("role", ""),
        actor=request.user,
    )
    messages.success(
        request,
        f"{membership.profile.name} is now {membership.get_role_display().lower()}.",
    )
    return redirect(roster_page_url(team))


@login_required
@require_POST
def roster_remove(request, slug):
    team = _team(slug)
    membership = roster_remove_member(
        team, _posted_membership_id(request), actor=request.user
    )
    messages.success(request, f"{membership.profile.name} was removed from the roster.")
    return redirect(roster_page_url(team))


@login_required
@require_POST
def roster_transfer(request, slug):
    team = _team(slug)
    membership = roster_transfer_captaincy(
        team, _posted_membership_id(request), actor=request.user
    )
    messages.success(
        request,
        f"{membership.profile.name} is now the captain, and you are a co-captain.",
    )
    return redirect(roster_page_url(team))


@login_required
@require_POST
def roster_leave_view(request, slug):
    team = _team(slug)
    result = roster_leave(team, actor=request.user)
    if result.disbanded:
        messages.success(
            request,
            f"You left {team.name}. You were its last member, so the team was "
            "disbanded.",
        )
    else:
        messages.success(request, f"You left {team.name}.")
    return redirect(team_page_url(team))
