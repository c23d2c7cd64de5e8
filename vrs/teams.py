"""Team identity for imported rows: names that never clash, renames."""

from django.conf import settings

from games.models import Game
from teams.models import Team
from teams.naming import name_key, name_sort_key
from teams.selectors import team_name_taken
from teams.services import allocate_slug, team_update


def free_name(game, published_name, *, exclude=None):
    """Return the published name, or "Name (2)", "Name (3)"... when it is taken.

    Rows are imported in standing order and snapshots in date order, so the
    first team to appear under a name keeps it.
    """
    candidate = published_name
    number = 1
    while team_name_taken(game, name_key(candidate), exclude=exclude):
        number += 1
        candidate = f"{published_name} ({number})"
    return candidate


def team_create_imported(published_name, *, region):
    game = Game.objects.get(slug=settings.VRS_GAME_SLUG)
    name = free_name(game, published_name)
    team = Team(
        game=game,
        name=name,
        name_key=name_key(name),
        name_sort=name_sort_key(name),
        slug=allocate_slug(name),
        region=region,
    )
    team.save()
    return team


def team_rename_imported(team, published_name, *, at):
    """Rename a team whose players now play under a new name; the old slug redirects.

    The rename cooldown limits captains, not published data, so it is not
    applied; the rename is dated by the snapshot.
    """
    name = free_name(team.game, published_name, exclude=team.pk)
    if name == team.name:
        return team
    return team_update(team, name=name, cooldown=False, renamed_at=at)
