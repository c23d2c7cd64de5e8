"""Fast builders for large boards: bulk inserts instead of factories."""

from django.utils import timezone

from accounts.models import GameAccount, Profile
from rankings.models import LedgerEntry
from teams.models import Membership, Team
from teams.naming import name_key, name_sort_key, slug_base


def bulk_teams(game, count, *, prefix, points, region=None, private=()):
    """Create ``count`` teams with opening ledger entries; return them in order.

    ``points`` and ``region`` are callables of the team index (region may be
    None for no region); ``private`` is a set of indexes of private teams.
    """
    teams = []
    for index in range(count):
        name = f"{prefix} {index:05d}"
        teams.append(
            Team(
                game=game,
                name=name,
                name_key=name_key(name),
                name_sort=name_sort_key(name),
                slug=slug_base(f"{game.slug} {name}"),
                region=region(index) if region else None,
                total_points=points(index),
                privacy=Team.Privacy.PRIVATE
                if index in private
                else Team.Privacy.PUBLIC,
            )
        )
    Team.objects.bulk_create(teams, batch_size=2000)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                team=team,
                amount=team.total_points,
                source=LedgerEntry.Source.OPENING,
                reason="Test data",
                idempotency_key=f"test:{team.pk}",
            )
            for team in teams
            if team.total_points
        ],
        batch_size=2000,
    )
    return teams


def bulk_rosters(teams, size, *, with_game_accounts=False):
    """Give each team ``size`` active members (the first one captain)."""
    now = timezone.now()
    profiles = [
        Profile(handle=f"m{team.pk}x{slot}", display_name=f"m{team.pk}x{slot}")
        for team in teams
        for slot in range(size)
    ]
    Profile.objects.bulk_create(profiles, batch_size=2000)
    memberships = []
    accounts = []
    for number, profile in enumerate(profiles):
        team = teams[number // size]
        slot = number % size
        memberships.append(
            Membership(
                team=team,
                profile=profile,
                game_id=team.game_id,
                role=Membership.Role.CAPTAIN if slot == 0 else Membership.Role.PLAYER,
                joined_at=now,
            )
        )
        if with_game_accounts:
            accounts.append(
                GameAccount(
                    profile=profile,
                    game_id=team.game_id,
                    account_id=f"id-{profile.pk}",
                    in_game_name=f"ign-{profile.handle}",
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    GameAccount.objects.bulk_create(accounts, batch_size=2000)
    return profiles
