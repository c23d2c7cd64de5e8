from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from teams.signals import team_disbanded

from .services import invites_attach_email, team_invites_close


@receiver(team_disbanded, dispatch_uid="invites_close_on_disband")
def close_invites_of_disbanded_team(sender, team, actor=None, at=None, **kwargs):
    team_invites_close(team, actor=actor, at=at)


@receiver(email_confirmed, dispatch_uid="invites_attach_on_email_confirmed")
def attach_invites_to_verified_address(sender, email_address, **kwargs):
    invites_attach_email(email_address.user, email_address.email)
