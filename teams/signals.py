"""Domain signals other apps listen to, so teams need not import them."""

from django.dispatch import Signal

# Sent inside the disbanding transaction, after the team row is marked.
# Arguments: team, actor (a user or None), memberships (the ones just ended,
# with their final role), at (the disband time).
team_disbanded = Signal()
