"""Readers for Valve Regional Standings files.

A standings file contains one Markdown table: standing, points, team name,
roster (comma-separated nicknames) and a link to the roster's details file.
Lines are padded with spaces and wrapped in HTML line breaks. A details file
describes one roster of the global table: region, the factors behind its
points and the matches that counted.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

STANDINGS_FILE = re.compile(
    r"^standings_(?P<scope>[a-z][a-z_-]*)_(?P<year>\d{4})_(?P<month>\d{2})_(?P<day>\d{2})\.md$"
)
GLOBAL_SCOPE = "global"
HEADER_CELLS = ("standing", "points", "team name", "roster")
DETAILS_LINK = re.compile(r"^\[details\]\((?P<path>[^)\s]+)\)$")
BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


class StandingsFormatError(ValueError):
    """A standings or details file cannot be read; names the file and line."""

    def __init__(self, path, line, problem):
        location = f"{path}:{line}" if line else str(path)
        super().__init__(f"{location}: {problem}")
        self.path = Path(path)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class StandingRow:
    scope: str
    path: Path
    line: int
    standing: int
    points: int
    name: str
    roster: tuple[str, ...]
    details: str = ""

    @property
    def roster_key(self):
        """Nicknames case folded and sorted: what identifies a row's roster."""
        return tuple(sorted(nickname.casefold() for nickname in self.roster))


@dataclass
class StandingsFile:
    scope: str
    date: datetime.date
    path: Path
    rows: list[StandingRow] = field(default_factory=list)


@dataclass
class SnapshotFiles:
    """Every standings file of one date: the global one and the regions."""

    date: datetime.date
    global_path: Path | None = None
    regional_paths: dict[str, Path] = field(default_factory=dict)


def standings_file_info(path):
    """Return (scope, date) for a standings file name, or None for other files."""
    match = STANDINGS_FILE.match(Path(path).name)
    if not match:
        return None
    try:
        date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return match["scope"], date


def _clean(text):
    return BREAK_TAG.sub("", text).strip()


def _cells(line):
    text = _clean(line)
    if not text.startswith("|"):
        return None
    parts = text.split("|")
    # A row written as "| a | b |" splits into ["", "a", "b", ""].
    if parts and parts[-1].strip() == "":
        parts = parts[:-1]
    return [part.strip() for part in parts[1:]]


def _is_separator(cells):
    return all(re.fullmatch(r":?-+:?", cell) for cell in cells if cell)


def _parse_int(value, what, path, number):
    if not re.fullmatch(r"-?\d+", value):
        raise StandingsFormatError(path, number, f"{what} {value!r} is not a number")
    return int(value)


def _parse_row(cells, scope, path, number):
    if len(cells) < 4:
        raise StandingsFormatError(
            path, number, f"expected at least 4 columns, found {len(cells)}"
        )
    standing = _parse_int(cells[0], "standing", path, number)
    points = _parse_int(cells[1], "points", path, number)
    if standing < 1:
        raise StandingsFormatError(path, number, f"standing {standing} is below 1")
    name = cells[2]
    if not name:
        raise StandingsFormatError(path, number, "the team name is empty")
    roster = tuple(nickname.strip() for nickname in cells[3].split(","))
    if not roster or any(not nickname for nickname in roster):
        raise StandingsFormatError(path, number, "the roster has an empty nickname")
    details = ""
    if len(cells) > 4 and cells[4]:
        link = DETAILS_LINK.match(cells[4])
        if not link:
            raise StandingsFormatError(
                path, number, f"the details cell {cells[4]!r} is not a details link"
            )
        details = link["path"]
    return StandingRow(
        scope=scope,
        path=Path(path),
        line=number,
        standing=standing,
        points=points,
        name=name,
        roster=roster,
        details=details,
    )


def read_standings_file(path):
    """Parse one standings file into a StandingsFile.

    Raises StandingsFormatError naming the file and line when the file has no
    standings table, a row is malformed, or a standing repeats.
    """
    path = Path(path)
    info = standings_file_info(path)
    if info is None:
        raise StandingsFormatError(
            path, 0, "the name is not standings_<scope>_<date>.md"
        )
    scope, date = info
    parsed = StandingsFile(scope=scope, date=date, path=path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise StandingsFormatError(path, 0, "the file is not UTF-8 text") from error
    header_seen = False
    seen_standings = {}
    for number, line in enumerate(lines, start=1):
        cells = _cells(line)
        if cells is None:
            if header_seen and parsed.rows and line.strip():
                header_seen = False  # the table ended; text follows
            continue
        if not header_seen:
            names = tuple(cell.lower() for cell in cells[:4])
            if names != HEADER_CELLS:
                raise StandingsFormatError(
                    path,
                    number,
                    "expected the header | Standing | Points | Team Name | Roster |",
                )
            header_seen = True
            continue
        if _is_separator(cells):
            continue
        row = _parse_row(cells, scope, path, number)
        if row.standing in seen_standings:
            raise StandingsFormatError(
                path,
                number,
                f"standing {row.standing} repeats line {seen_standings[row.standing]}",
            )
        seen_standings[row.standing] = number
        parsed.rows.append(row)
    if not parsed.rows:
        raise StandingsFormatError(path, 0, "no standings table found")
    return parsed


def find_snapshots(paths):
    """Group the standings files found in files or folders by date.

    README and other files are ignored; folders are searched one level deep
    (the details folders are read separately).
    """
    snapshots = {}
    for given in paths:
        given = Path(given)
        if given.is_dir():
            candidates = sorted(given.iterdir())
        elif given.exists():
            candidates = [given]
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
        for candidate in candidates:
            info = standings_file_info(candidate) if candidate.is_file() else None
            if info is None:
                continue
            scope, date = info
            snapshot = snapshots.setdefault(date, SnapshotFiles(date=date))
            if scope == GLOBAL_SCOPE:
                snapshot.global_path = candidate
            else:
                snapshot.regional_paths[scope] = candidate
    return [snapshots[date] for date in sorted(snapshots)]
