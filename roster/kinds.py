"""Notification kinds the roster sends, registered from RosterConfig.ready()."""

REMOVED = "roster_removed"
ROLE_CHANGED = "roster_role_changed"
CAPTAIN_TRANSFERRED = "roster_captain_transferred"
DISBANDED = "team_disbanded"
LOCKED = "roster_locked"
UNLOCKED = "roster_unlocked"


def _disbanded_text(data):
    if data.get("actor_is_member"):
        return "{actor} disbanded {team}.".format(**data)
    return "{team} was disbanded.".format(**data)


def _locked_text(data):
    text = "Staff locked the roster of {team}".format(**data)
    if data.get("until"):
        text += f" until {data['until']}"
    if data.get("reason"):
        text += f" ({data['reason']})"
    return text + ". Roster changes are paused."


# kind: (label, template). Templates read the notification data, which
# always contains "actor" and "team".
KINDS = {
    REMOVED: ("Removed from a team", "{actor} removed you from {team}."),
    ROLE_CHANGED: (
        "Role changed",
        "{actor} changed your role in {team} from {previous_role} to {role}.",
    ),
    CAPTAIN_TRANSFERRED: (
        "Captaincy transferred",
        "{actor} handed the captaincy of {team} to {captain}.",
    ),
    DISBANDED: ("Team disbanded", _disbanded_text),
    LOCKED: ("Roster locked", _locked_text),
    UNLOCKED: (
        "Roster unlocked",
        "Staff unlocked the roster of {team}. Roster changes are possible again.",
    ),
}


def register_kinds():
    from notifications.registry import register

    for kind, (label, template) in KINDS.items():
        register(kind, label=label, template=template)
