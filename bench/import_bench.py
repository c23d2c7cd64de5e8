"""Time the import of every Valve Regional Standings snapshot into a fresh database.

Creates a dedicated PostgreSQL database (BENCH_IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/dc_bench_import), migrates it, imports
the standings folder (VRS_DATA_DIR, default ../shared/data/vrs) with
`manage.py import_vrs`, times a second import that changes nothing, writes
the figures to docs/benchmarks.md and drops the database.

Run it with `make bench` or `.venv/bin/python bench/import_bench.py`.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rankings_bench import (  # noqa: E402 (the folder is put on the path above)
    ROOT,
    create_database,
    drop_database,
    machine,
    setup_django,
    timed,
    write_report,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dc_bench_import"
SECTION_START = "<!-- import-bench:start -->"
SECTION_END = "<!-- import-bench:end -->"


def run(folder):
    from django.core.management import call_command

    from teams.models import Team
    from vrs.models import ImportedRow, TeamMatch

    _, migrate = timed(call_command, "migrate", verbosity=0)
    _, first = timed(call_command, "import_vrs", str(folder), "--no-progress")
    _, second = timed(call_command, "import_vrs", str(folder), "--no-progress")
    return {
        "migrate": migrate,
        "first": first,
        "second": second,
        "teams": Team.objects.filter(game__slug="cs2").count(),
        "rows": ImportedRow.objects.count(),
        "matches": TeamMatch.objects.count(),
    }


def report(figures, host, folder):
    return "\n".join(
        [
            SECTION_START,
            "## Standings import: six Valve Regional Standings snapshots",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench`, "
            "which runs `.venv/bin/python bench/import_bench.py`. One run; the "
            "figures vary with other load on the machine.",
            "",
            f"Machine: {host['nproc']} cores (nproc), {host['cpu']}; "
            f"PostgreSQL {host['postgres']}; Python {host['python']}.",
            "",
            f"Data: `{folder.name}/`, {figures['rows']:,} global rows in six "
            f"monthly snapshots, giving {figures['teams']:,} teams and "
            f"{figures['matches']:,} match records.",
            "",
            "| step | seconds |",
            "| --- | ---: |",
            f"| migrate an empty database | {figures['migrate']:.1f} |",
            f"| import all six snapshots | {figures['first']:.1f} |",
            f"| import again (nothing changes) | {figures['second']:.1f} |",
            SECTION_END,
            "",
        ]
    )


def main():
    from django.conf import settings

    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    create_database(url)
    try:
        setup_django(url)
        folder = Path(settings.VRS_DATA_DIR)
        if not (folder / "README.md").is_file():
            print(f"Skipped: no standings data at {folder} (set VRS_DATA_DIR).")
            return
        figures = run(folder)
        host = machine()
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    text = report(figures, host, folder)
    print(text)
    write_report(text, SECTION_START, SECTION_END)
    print(f"Wrote {(ROOT / 'docs' / 'benchmarks.md').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
