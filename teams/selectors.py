"""Team reads."""

from .models import Membership, Team, TeamSlug


def team_name_taken(game, key, *, exclude=None):
    teams = Team.objects.filter(game=game, name_key=key, disbanded_at__isnull=True)
    if exclude:
        teams = teams.exclude(pk=exclude)
    return teams.exists()


def team_tag_taken(game, key, *, exclude=None):
    teams = Team.objects.filter(game=game, tag_key=key, disbanded_at__isnull=True)
    if exclude:
        teams = teams.exclude(pk=exclude)
    return teams.exists()


def team_by_old_slug(slug):
    old = TeamSlug.objects.select_related("team").filter(slug=slug).first()
    return old.team if old else None


def active_members(team):
    return (
        Membership.objects.filter(team=team, status=Membership.Status.ACTIVE)
        .select_related("profile", "profile__user")
        .order_by("joined_at", "pk")
    )
