"""Match records: wins, losses and the current streak."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchRecord:
    wins: int
    losses: int
    streak: str  # "W3", "L1" or ""

    @property
    def played(self):
        return self.wins + self.losses

    @property
    def win_rate(self):
        return round(100 * self.wins / self.played) if self.played else None


def match_record(results):
    """Return wins, losses and the current streak from results, newest first."""
    wins = sum(1 for won in results if won)
    streak = 0
    for won in results:
        if won != results[0]:
            break
        streak += 1
    label = f"{'W' if results[0] else 'L'}{streak}" if results else ""
    return MatchRecord(wins=wins, losses=len(results) - wins, streak=label)
