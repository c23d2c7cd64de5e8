"""Keep the leaderboard in step with team lifecycle changes between runs.

A team that turns private leaves the board at once, so its points never
show to outsiders. NOTE: a team that turns public, or changes region, is
placed on the board only at the next ranking run.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from rankings.models import TeamRanking
from teams.models import Team
from teams.signals import team_disbanded


@receiver(post_save, sender=Team, dispatch_uid="rankings_team_saved")
def update_board_for_saved_team(sender, instance, created, raw=False, **kwargs):
    """Give a new team an unranked row, so it is listed before the next run,
    and take a team that turned private off the board.

    A private team's row is off the board (is_active False), because the
    ranking job lists only public teams.
    """
    if raw:
        return
    if not created:
        _hide_private_team(instance)
        return
    TeamRanking.objects.bulk_create(
        [
            TeamRanking(
                team=instance,
                game_id=instance.game_id,
                region_id=instance.region_id,
                points=instance.total_points,
                name_sort=instance.name_sort,
                is_active=instance.disbanded_at is None and not instance.is_private,
            )
        ],
        ignore_conflicts=True,
    )


def _hide_private_team(team):
    """Take a team that is now private off the board (a no-op otherwise)."""
    if not team.is_private:
        return
    TeamRanking.objects.filter(team=team, is_active=True).update(
        is_active=False, rank=None, regional_rank=None, updated_at=timezone.now()
    )


@receiver(team_disbanded, dispatch_uid="rankings_team_disbanded")
def remove_disbanded_team(sender, team, **kwargs):
    """Take a disbanded team off the board at once.

    NOTE: the ranks of the teams below it keep a gap until the next ranking
    run renumbers them.
    """
    TeamRanking.objects.filter(team=team).update(
        is_active=False, rank=None, regional_rank=None, updated_at=timezone.now()
    )
