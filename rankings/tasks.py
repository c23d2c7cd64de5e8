import logging

from celery import shared_task

from .services import rank_teams

logger = logging.getLogger(__name__)


@shared_task(time_limit=900, soft_time_limit=840)
def rank_teams_task(game_slug=None):
    """Run the ranking job for one game or every active game (daily in beat)."""
    results = rank_teams(game_slug)
    summary = {
        result.game.slug: {
            "totals_fixed": len(result.totals_fixed),
            "rows_created": result.rows_created,
            "rows_updated": result.rows_updated,
            "snapshot": result.snapshot.pk if result.snapshot else None,
        }
        for result in results
    }
    logger.info("rank_teams_task finished: %s", summary)
    return summary
