"""Domain signals other apps listen to, so teams need not import them."""

from django.dispatch import Signal

# Sent inside the disbanding transaction, after the team row is marked.
# Arguments: team, actor (a user or None), memberships (the ones just ended,
# with their final role), at (the disband time).
team_disbanded = Signal()

# Sent inside the creating transaction, after the captain's membership row.
# Arguments: team, actor (the creating user), membership (the captain's).
team_created = Signal()
