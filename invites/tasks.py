from celery import shared_task

from .services import invites_expire


@shared_task(time_limit=120, soft_time_limit=100)
def expire_invites_task():
    """Mark expired invites and links; safe to run any number of times."""
    invites, links = invites_expire()
    return {"invites": invites, "links": links}
