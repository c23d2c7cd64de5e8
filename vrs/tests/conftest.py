from pathlib import Path

import pytest
from django.conf import settings


def write_standings(folder, scope, date, rows, *, title=None):
    """Write a standings file like Valve's: padded cells, <br /> line ends.

    rows are (standing, points, name, nicknames) or with a details path.
    """
    lines = [
        f"### {title or 'Standings'} as of {date.replace('-', '_')}<br />",
        "<br />",
        "",
        "| Standing | Points | Team Name            | Roster        |      |",
        "| :- | -: | :- | :- | :- |",
    ]
    for row in rows:
        standing, points, name, nicknames, *details = row
        link = f"[details]({details[0]})" if details else ""
        lines.append(
            f"| {standing:<8} | {points:>6} | {name:<20} | "
            f"{', '.join(nicknames):<40} | {link} |"
        )
    lines += ["", "", "_Event data for Regional Standings provided by HLTV.org_<br />"]
    path = Path(folder) / f"standings_{scope}_{date.replace('-', '_')}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def standings_folder(tmp_path):
    folder = tmp_path / "vrs"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def vrs_data_dir():
    folder = Path(settings.VRS_DATA_DIR)
    if not (folder / "README.md").is_file():
        pytest.skip(f"the standings data is not at {folder} (set VRS_DATA_DIR)")
    return folder
