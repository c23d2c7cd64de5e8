"""Benchmark the ranking job and the leaderboard query on 100,000 teams.

Creates a dedicated PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/dc_bench), migrates it, bulk-inserts the
teams and their ledger entries, times the ranking job and the leaderboard
page's query, writes the figures to docs/benchmarks.md and drops the
database. It stops without touching anything when the database already
exists.

Run it with `make bench` or `.venv/bin/python bench/rankings_bench.py`.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dc_bench"
SECTION_START = "<!-- rankings-bench:start -->"
SECTION_END = "<!-- rankings-bench:end -->"
BATCH_SIZE = 5000
PAGE_SIZE_NOTE = (
    "The slice query reads the page's team ids and the board size with the "
    "page's ORDER BY (points desc, standing, name key, team id), LIMIT 50 "
    "and OFFSET. The rows query reads those 50 rankings with their teams and "
    "previous ranks."
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--teams", type=int, default=100_000, help="Teams to create (default 100000)."
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=30,
        help="Timed runs of each leaderboard query (default 30).",
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="Print the report without writing docs/benchmarks.md.",
    )
    return parser.parse_args()


def maintenance_url(url):
    """Return the URL of the server's "postgres" database, for CREATE/DROP."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url):
    name = urlsplit(url).path.lstrip("/")
    if not name:
        sys.exit(f"BENCH_DATABASE_URL has no database name: {url}")
    return name


def create_database(url):
    name = database_name(url)
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            sys.exit(
                f"Database {name!r} already exists; the benchmark only uses a "
                f"database it creates. Drop it (dropdb {name}) or set "
                "BENCH_DATABASE_URL to another name."
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url):
    name = database_name(url)
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def build_teams(count, rng):
    """Bulk-insert ``count`` teams over every game and region, with ledger entries.

    About 85% of the teams get points (1-5000, many ties); the rest have none.
    The first 200 teams of each game get a published standing.
    """
    from games.models import Game, Region
    from rankings.models import LedgerEntry, TeamRanking
    from teams.models import Team
    from teams.naming import name_key, name_sort_key

    games = list(Game.objects.order_by("sort_order"))
    regions = list(Region.objects.order_by("sort_order"))
    teams = []
    for index in range(count):
        game = games[index % len(games)]
        name = f"Bench {game.slug} {index:06d}"
        teams.append(
            Team(
                game=game,
                name=name,
                name_key=name_key(name),
                name_sort=name_sort_key(name),
                slug=f"bench-{index:06d}",
                region=rng.choice(regions),
                total_points=rng.randint(1, 5000) if rng.random() < 0.85 else 0,
            )
        )
    Team.objects.bulk_create(teams, batch_size=BATCH_SIZE)
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                team=team,
                amount=team.total_points,
                source=LedgerEntry.Source.IMPORT,
                reason="Benchmark data",
                idempotency_key=f"bench:{team.pk}",
            )
            for team in teams
            if team.total_points
        ),
        batch_size=BATCH_SIZE,
    )
    standings = []
    for game in games:
        game_teams = [team for team in teams if team.game_id == game.pk][:200]
        for position, team in enumerate(game_teams, start=1):
            standings.append(
                TeamRanking(
                    team=team,
                    game=game,
                    region_id=team.region_id,
                    name_sort=team.name_sort,
                    published_standing=position,
                )
            )
    TeamRanking.objects.bulk_create(standings, batch_size=BATCH_SIZE)
    return teams


def add_ledger_entries(teams, count, rng):
    from rankings.services import ledger_add

    for number, team in enumerate(rng.sample(teams, count)):
        ledger_add(
            team,
            amount=rng.randint(1, 200),
            source="match",
            reason="Benchmark match",
            idempotency_key=f"bench-match:{number}",
        )


def time_query(queryset, repeat):
    """Return the (median, p95) milliseconds of running the query's SQL."""
    from django.db import connection

    sql_text, params = queryset.query.sql_with_params()
    seconds = []
    for _ in range(repeat):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql_text, params)
            cursor.fetchall()
            seconds.append(time.perf_counter() - started)
    return summarize(seconds)


def summarize(seconds):
    values = sorted(value * 1000 for value in seconds)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return statistics.median(values), p95


def plan_index(queryset):
    """Return the scans in the query's EXPLAIN, such as "Index Scan using x"."""
    scans = []
    for line in queryset.explain().splitlines():
        if "Scan" not in line:
            continue
        node = line.split("(cost=")[0].strip().removeprefix("->").strip()
        if " using " in node:
            node = node.split(" on ")[0]
        scans.append(node)
    return "; ".join(dict.fromkeys(scans))


def machine():
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "postgres": server,
        "python": platform.python_version(),
    }


def run(args):
    from django.core.management import call_command
    from django.db import connection

    from games.models import Game, Region
    from rankings.models import RankingSnapshot, SnapshotEntry
    from rankings.selectors import (
        PAGE_SIZE,
        board_queryset,
        board_rows_queryset,
        board_slice,
        board_slice_queryset,
    )
    from rankings.services import rank_teams

    rng = random.Random(20_240_601)
    figures = {}

    _, figures["migrate"] = timed(call_command, "migrate", verbosity=0)
    teams, figures["build"] = timed(build_teams, args.teams, rng)

    results, figures["rank_first"] = timed(rank_teams)
    figures["snapshot_entries"] = SnapshotEntry.objects.count()
    results, figures["rank_unchanged"] = timed(rank_teams)
    figures["unchanged_snapshots"] = sum(1 for r in results if r.snapshot)

    _, figures["ledger_1000"] = timed(add_ledger_entries, teams, 1000, rng)
    results, figures["rank_changed"] = timed(rank_teams)
    figures["changed_rows"] = sum(r.rows_updated for r in results)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    game = Game.objects.get(slug="cs2")
    region = Region.objects.get(slug="europe")
    previous = RankingSnapshot.objects.filter(game=game)[1]
    queries = {}
    for name, board_region in [("global", None), ("europe", region)]:
        count = board_queryset(game, board_region).count()
        middle_page = max(1, (count // PAGE_SIZE) // 2)
        for page in (1, middle_page):
            offset = (page - 1) * PAGE_SIZE
            slice_query = board_slice_queryset(
                game, board_region, offset=offset, limit=PAGE_SIZE
            )
            team_ids, _ = board_slice(
                game, board_region, offset=offset, limit=PAGE_SIZE
            )
            rows_query = board_rows_queryset(team_ids, board_region, previous)
            queries[f"{name}, page {page}"] = {
                "slice": time_query(slice_query, args.repeat),
                "rows": time_query(rows_query, args.repeat),
                "plan": plan_index(slice_query),
                "board": count,
            }
    return figures, queries, machine()


def report(args, figures, queries, host):
    lines = [
        SECTION_START,
        "## Rankings: ranking job and leaderboard query",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench`, "
        "which runs `.venv/bin/python bench/rankings_bench.py`. The figures come "
        "from one run and vary with other load on the machine.",
        "",
        f"Machine: {host['nproc']} cores (nproc), {host['cpu']}; "
        f"PostgreSQL {host['postgres']}; Python {host['python']}. The database "
        "runs on the same machine with its default configuration.",
        "",
        f"Data: {args.teams:,} teams spread evenly over the 9 games and 6 "
        "regions; about 85% have 1-5000 points from one ledger entry each, the "
        "rest none; 200 teams per game have a published standing.",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| migrate an empty database | {figures['migrate']:.1f} |",
        f"| bulk-insert teams, ledger entries, standings | {figures['build']:.1f} |",
        f"| ranking job, first run (every ranking row created, "
        f"{figures['snapshot_entries']:,} snapshot entries) "
        f"| {figures['rank_first']:.1f} |",
        f"| ranking job, nothing changed ({figures['unchanged_snapshots']} "
        f"snapshots written) | {figures['rank_unchanged']:.1f} |",
        f"| 1,000 ledger additions through ledger_add | {figures['ledger_1000']:.1f} |",
        f"| ranking job after them ({figures['changed_rows']:,} ranking rows "
        f"updated) | {figures['rank_changed']:.1f} |",
        "",
        f"Leaderboard page queries for cs2, {args.repeat} runs each after "
        f"ANALYZE, as database round trips. {PAGE_SIZE_NOTE}",
        "",
        "| board | teams on board | slice median / p95 ms "
        "| rows median / p95 ms | slice plan |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, query in queries.items():
        lines.append(
            f"| {label} | {query['board']:,} | {query['slice'][0]:.2f} / "
            f"{query['slice'][1]:.2f} | {query['rows'][0]:.2f} / "
            f"{query['rows'][1]:.2f} | {query['plan']} |"
        )
    lines += [SECTION_END, ""]
    return "\n".join(lines)


def write_report(text, start=SECTION_START, end=SECTION_END):
    """Replace one benchmark's section of docs/benchmarks.md, keeping the rest."""
    DOCS.parent.mkdir(exist_ok=True)
    if DOCS.exists():
        current = DOCS.read_text(encoding="utf-8")
    else:
        current = (
            "# Benchmarks\n\nFigures measured on one machine; rerun the "
            "command of a section to measure yours.\n\n"
        )
    if start in current and end in current:
        before = current.split(start)[0]
        after = current.split(end, 1)[1].lstrip("\n")
        current = before + text + after
    else:
        current = current.rstrip("\n") + "\n\n" + text
    DOCS.write_text(current, encoding="utf-8")


def main():
    args = parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    create_database(url)
    started = time.perf_counter()
    try:
        setup_django(url)
        figures, queries, host = run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except ImportError:
            pass
        drop_database(url)
    text = report(args, figures, queries, host)
    print(text)
    if not args.no_write:
        write_report(text)
        print(f"Wrote {DOCS.relative_to(ROOT)}")
    print(f"Total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
