"""Writes for invites, invite links and join requests.

Every path that adds a member (accepting an invite, joining by link,
approving a request) locks the team row first and then its own row, in one
transaction, and lets roster.services.membership_join check the roster.
"""

from .direct import (
    invite_accept,
    invite_cancel,
    invite_decline,
    invite_send,
    invites_attach_email,
)
from .housekeeping import invites_expire, team_invites_close
from .join_requests import (
    join_request_approve,
    join_request_create,
    join_request_reject,
    join_request_withdraw,
)
from .links import (
    invite_link_check,
    invite_link_create,
    invite_link_for_team,
    invite_link_get,
    invite_link_join,
    invite_link_revoke,
)

__all__ = [
    "invite_accept",
    "invite_cancel",
    "invite_decline",
    "invite_link_check",
    "invite_link_create",
    "invite_link_for_team",
    "invite_link_get",
    "invite_link_join",
    "invite_link_revoke",
    "invite_send",
    "invites_attach_email",
    "invites_expire",
    "join_request_approve",
    "join_request_create",
    "join_request_reject",
    "join_request_withdraw",
    "team_invites_close",
]
