"""Notification kinds this app sends, registered from InvitesConfig.ready()."""

INVITE_RECEIVED = "invite_received"
INVITE_ACCEPTED = "invite_accepted"
INVITE_DECLINED = "invite_declined"
INVITE_CANCELLED = "invite_cancelled"
JOIN_REQUEST_RECEIVED = "join_request_received"
JOIN_REQUEST_APPROVED = "join_request_approved"
JOIN_REQUEST_REJECTED = "join_request_rejected"

# kind: (label, template). Templates read the notification data, which
# always contains "actor" and "team"; the services add "role" where needed.
KINDS = {
    INVITE_RECEIVED: (
        "Team invite received",
        "{actor} invited you to join {team} as {role}.",
    ),
    INVITE_ACCEPTED: (
        "Invite accepted",
        "{actor} accepted the invite to join {team} as {role}.",
    ),
    INVITE_DECLINED: (
        "Invite declined",
        "{actor} declined the invite to join {team}.",
    ),
    INVITE_CANCELLED: (
        "Invite cancelled",
        "{team} cancelled its invite to you.",
    ),
    JOIN_REQUEST_RECEIVED: (
        "Join request received",
        "{actor} asks to join {team} as {role}.",
    ),
    JOIN_REQUEST_APPROVED: (
        "Join request approved",
        "{team} approved your request to join as {role}.",
    ),
    JOIN_REQUEST_REJECTED: (
        "Join request rejected",
        "{team} rejected your request to join.",
    ),
}


def register_kinds():
    from notifications.registry import register

    for kind, (label, template) in KINDS.items():
        register(kind, label=label, template=template)
