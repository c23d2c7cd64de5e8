"""Roster of an imported team: unclaimed profiles, memberships, roster events.

Nicknames are not identities: each team gets its own unclaimed profile per
nickname. Within a team a nickname matches its profile exactly first, then
case-insensitively, so a player whose casing changed stays one profile while
two players whose nicknames differ only by case stay two.
"""

from accounts.models import Profile
from roster.models import RosterEvent
from roster.services import roster_event_record
from teams.models import Membership

Role = Membership.Role
Status = Membership.Status
HANDLE_MAX_LENGTH = Profile._meta.get_field("handle").max_length


def _pair_nicknames(nicknames, memberships):
    """Split into (kept {nickname: membership}, new nicknames, gone memberships)."""
    remaining = list(memberships)
    kept = {}
    for same in (str.__eq__, lambda a, b: a.casefold() == b.casefold()):
        for nickname in nicknames:
            if nickname in kept:
                continue
            for membership in remaining:
                if same(membership.profile.handle, nickname[:HANDLE_MAX_LENGTH]):
                    kept[nickname] = membership
                    remaining.remove(membership)
                    break
    new = [nickname for nickname in nicknames if nickname not in kept]
    return kept, new, remaining


def _former_profile(team, nickname, taken):
    """Return the profile of a player returning to this team, if there is one."""
    for membership in (
        Membership.objects.filter(team=team, status=Status.ENDED)
        .select_related("profile")
        .order_by("-ended_at")
    ):
        profile = membership.profile
        if profile.pk in taken or profile.user_id is not None:
            continue
        if profile.handle.casefold() == nickname.casefold():
            return profile
    return None


def roster_sync(team, nicknames, *, at):
    """Make the team's active roster the given nicknames, as of ``at``."""
    active = list(
        Membership.objects.filter(team=team, status=Status.ACTIVE).select_related(
            "profile"
        )
    )
    kept, new, gone = _pair_nicknames(nicknames, active)
    for nickname, membership in kept.items():
        profile = membership.profile
        if profile.handle != nickname[:HANDLE_MAX_LENGTH] and profile.user_id is None:
            profile.handle = nickname[:HANDLE_MAX_LENGTH]
            profile.display_name = nickname
            profile.save(update_fields=["handle", "display_name", "updated_at"])
    for membership in gone:
        Membership.objects.filter(pk=membership.pk).update(
            status=Status.ENDED, ended_at=at
        )
        roster_event_record(
            team,
            RosterEvent.Kind.LEFT,
            profile=membership.profile,
            role=membership.role,
            at=at,
            data={"source": "import"},
        )
    taken = {membership.profile_id for membership in kept.values()}
    for nickname in new:
        profile = _former_profile(team, nickname, taken) or Profile.objects.create(
            handle=nickname[:HANDLE_MAX_LENGTH], display_name=nickname
        )
        taken.add(profile.pk)
        Membership.objects.create(
            team=team,
            profile=profile,
            game_id=team.game_id,
            role=Role.PLAYER,
            joined_at=at,
        )
        roster_event_record(
            team,
            RosterEvent.Kind.JOINED,
            profile=profile,
            role=Role.PLAYER,
            at=at,
            data={"source": "import"},
        )
