"""Reader for a roster's details file: the factors and matches behind its points."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .parsing import StandingsFormatError, _cells, _clean, _is_separator

FACTOR_LINE = re.compile(r"^- (?P<name>[A-Za-z ]+): (?P<value>-?\d+(?:\.\d+)?)")
LABELLED_VALUE = {
    "final_value": re.compile(r"^Final Rank Value:\s*(-?\d+(?:\.\d+)?)"),
    "starting_value": re.compile(r"Starting Rank Value \((-?\d+(?:\.\d+)?)\)"),
    "head_to_head": re.compile(r"Head To Head Adjustments \((-?\d+(?:\.\d+)?)\)"),
    "factor_average": re.compile(r"^The average of these factors is (-?\d+(?:\.\d+)?)"),
}
REGION_LINE = re.compile(r"^Region:\s*\[(?P<name>[^\]]+)\]")
REGIONAL_RANK_LINE = re.compile(r"^Regional Rank:\s*\[(?P<rank>\d+)\]")
MATCH_HEADER = ("match played", "match id", "date", "opponent", "w/l")
FACTOR_NAMES = {
    "Bounty Offered": "bounty_offered",
    "Bounty Collected": "bounty_collected",
    "Opponent Network": "opponent_network",
    "LAN Wins": "lan_wins",
}


@dataclass(frozen=True)
class MatchRow:
    line: int
    match_id: int
    date: datetime.date
    opponent: str
    won: bool
    head_to_head: Decimal | None
    roster: tuple[str, ...]


@dataclass
class RosterDetails:
    path: Path
    region: str = ""
    regional_rank: int | None = None
    values: dict = field(default_factory=dict)
    factors: dict = field(default_factory=dict)
    matches: list[MatchRow] = field(default_factory=list)


def _decimal(value, path, number, what):
    if value in ("", "-"):
        return None
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise StandingsFormatError(
            path, number, f"{what} {value!r} is not a number"
        ) from error


def _match_row(cells, columns, path, number):
    try:
        record = {name: cells[index] for name, index in columns.items()}
    except IndexError as error:
        raise StandingsFormatError(path, number, "the match row is short") from error
    if not re.fullmatch(r"\d+", record["match id"]):
        raise StandingsFormatError(
            path, number, f"match id {record['match id']!r} is not a number"
        )
    try:
        date = datetime.date.fromisoformat(record["date"])
    except ValueError as error:
        raise StandingsFormatError(
            path, number, f"date {record['date']!r} is not YYYY-MM-DD"
        ) from error
    result = record["w/l"].upper()
    if result not in ("W", "L"):
        raise StandingsFormatError(path, number, f"result {result!r} is not W or L")
    roster = tuple(
        nickname.strip() for nickname in record.get("roster", "").split(",") if nickname
    )
    return MatchRow(
        line=number,
        match_id=int(record["match id"]),
        date=date,
        opponent=record["opponent"],
        won=result == "W",
        head_to_head=_decimal(record.get("h2h adj.", ""), path, number, "H2H"),
        roster=roster,
    )


def read_details_file(path):
    """Parse a details file. Raises StandingsFormatError on a malformed match row."""
    path = Path(path)
    details = RosterDetails(path=path)
    columns = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = _clean(raw)
        cells = _cells(raw)
        if cells is None:
            columns = None
            _read_text_line(details, line, path, number)
            continue
        if columns is None:
            names = [cell.lower() for cell in cells]
            if tuple(names[: len(MATCH_HEADER)]) == MATCH_HEADER:
                columns = {name: index for index, name in enumerate(names)}
            else:
                columns = {}  # another table (prize winnings): skipped
            continue
        if not columns or _is_separator(cells):
            continue
        details.matches.append(_match_row(cells, columns, path, number))
    return details


def _read_text_line(details, line, path, number):
    region = REGION_LINE.match(line)
    if region:
        details.region = region["name"].strip()
        return
    rank = REGIONAL_RANK_LINE.match(line)
    if rank:
        details.regional_rank = int(rank["rank"])
        return
    factor = FACTOR_LINE.match(line)
    if factor and factor["name"].strip() in FACTOR_NAMES:
        key = FACTOR_NAMES[factor["name"].strip()]
        details.factors.setdefault(key, _decimal(factor["value"], path, number, key))
        return
    for key, pattern in LABELLED_VALUE.items():
        found = pattern.search(line)
        if found and key not in details.values:
            details.values[key] = _decimal(found.group(1), path, number, key)
