"""Decide which imported team each row of a newer snapshot continues.

The standings rank rosters, not organisations, so a row continues the team
with which it shares the most players. Nicknames are compared case
insensitively. A pair needs at least 3 shared nicknames, or all nicknames of
the smaller of the two rosters. Ties go to the team with the same name, then
to the better standing. Each team takes at most one row and each row at most
one team.
"""

from dataclasses import dataclass

MIN_SHARED_PLAYERS = 3


@dataclass(frozen=True)
class KnownTeam:
    """An imported team as its latest appearance left it."""

    team_id: int
    name: str
    nicknames: frozenset[str]  # case folded
    standing: int  # its standing in the snapshot it last appeared in


def required_overlap(row_size, team_size):
    return min(MIN_SHARED_PLAYERS, row_size, team_size)


def match_rows(rows, teams):
    """Return {row standing: team_id} for the rows that continue a known team.

    rows are StandingRow objects of one snapshot. The pairing is greedy over
    candidate pairs ordered by shared players (more first), same name (first),
    the team's previous standing and the row's standing (lower first), so the
    same input always gives the same pairing.
    """
    by_nickname = {}
    for team in teams:
        for nickname in team.nicknames:
            by_nickname.setdefault(nickname, []).append(team)
    candidates = []
    for row in rows:
        nicknames = {nickname.casefold() for nickname in row.roster}
        shared_counts = {}
        for nickname in nicknames:
            for team in by_nickname.get(nickname, ()):
                shared_counts[team] = shared_counts.get(team, 0) + 1
        for team, shared in shared_counts.items():
            if shared < required_overlap(len(nicknames), len(team.nicknames)):
                continue
            same_name = team.name.casefold() == row.name.casefold()
            candidates.append(
                (-shared, not same_name, team.standing, row.standing, team.team_id, row)
            )
    candidates.sort(key=lambda candidate: candidate[:5])
    assigned_rows = {}
    taken_teams = set()
    for _shared, _other_name, _team_standing, standing, team_id, _row in candidates:
        if standing in assigned_rows or team_id in taken_teams:
            continue
        assigned_rows[standing] = team_id
        taken_teams.add(team_id)
    return assigned_rows
