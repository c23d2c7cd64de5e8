"""Roster of an imported team: unclaimed profiles, memberships, roster events.

Nicknames are not identities: each team gets its own profile per nickname,
recorded as an ImportedPlayer. Within a team a nickname matches its player
exactly first, then case-insensitively, so a player whose casing changed
stays one profile while two players whose nicknames differ only by case stay
two. Members who did not come from the import are left alone.
"""

from accounts.models import Profile
from roster.models import RosterEvent
from roster.services import roster_event_record
from teams.models import Membership

from .models import ImportedPlayer

Role = Membership.Role
Status = Membership.Status
HANDLE_MAX_LENGTH = Profile._meta.get_field("handle").max_length


def _pair_nicknames(nicknames, members):
    """Split into (continuing, new nicknames, departed members).

    continuing maps each kept nickname to its (player, membership).

    members is a list of (player, membership) for the imported players who
    are active members now.
    """
    remaining = list(members)
    continuing = {}
    for same in (str.__eq__, lambda a, b: a.casefold() == b.casefold()):
        for nickname in nicknames:
            if nickname in continuing:
                continue
            for member in remaining:
                if same(member[0].nickname, nickname):
                    continuing[nickname] = member
                    remaining.remove(member)
                    break
    new = [nickname for nickname in nicknames if nickname not in continuing]
    return continuing, new, remaining


def _returning_player(players, nickname, assigned_profiles):
    """Return the record of a former, unclaimed player with this nickname.

    A profile that belongs to an account is never put back on a roster it
    left or was removed from. A new unclaimed profile takes the nickname.
    """
    for player in players:
        if player.profile_id in assigned_profiles or player.profile.user_id is not None:
            continue
        if player.nickname.casefold() == nickname.casefold():
            return player
    return None


def _rename(player, nickname):
    player.nickname = nickname
    player.save(update_fields=["nickname"])
    profile = player.profile
    if profile.user_id is None:
        profile.handle = nickname[:HANDLE_MAX_LENGTH]
        profile.display_name = nickname
        profile.save(update_fields=["handle", "display_name", "updated_at"])


def _record(team, kind, profile, role, at):
    roster_event_record(
        team, kind, profile=profile, role=role, at=at, data={"source": "import"}
    )


def roster_sync(team, nicknames, *, at):
    """Make the team's imported players the given nicknames, as of ``at``."""
    players = list(
        ImportedPlayer.objects.filter(team=team)
        .select_related("profile")
        .order_by("pk")
    )
    by_profile = {player.profile_id: player for player in players}
    active = Membership.objects.filter(team=team, status=Status.ACTIVE)
    members = [
        (by_profile[membership.profile_id], membership)
        for membership in active
        if membership.profile_id in by_profile
    ]
    continuing, new, departed = _pair_nicknames(nicknames, members)
    for nickname, (player, _membership) in continuing.items():
        if player.nickname != nickname:
            _rename(player, nickname)
    for player, membership in departed:
        Membership.objects.filter(pk=membership.pk).update(
            status=Status.ENDED, ended_at=at
        )
        _record(team, RosterEvent.Kind.LEFT, player.profile, membership.role, at)
    assigned_profiles = {
        player.profile_id for player, _membership in continuing.values()
    }
    for nickname in new:
        player = _returning_player(players, nickname, assigned_profiles)
        if player is None:
            profile = Profile.objects.create(
                handle=nickname[:HANDLE_MAX_LENGTH], display_name=nickname
            )
            player = ImportedPlayer.objects.create(
                team=team, profile=profile, nickname=nickname
            )
        elif player.nickname != nickname:
            _rename(player, nickname)
        assigned_profiles.add(player.profile_id)
        Membership.objects.create(
            team=team,
            profile=player.profile,
            game_id=team.game_id,
            role=Role.PLAYER,
            joined_at=at,
        )
        _record(team, RosterEvent.Kind.JOINED, player.profile, Role.PLAYER, at)
