"""Reads for leaderboards: the board order, pages, rosters and movement."""

import re
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Case, Count, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce

from accounts.models import GameAccount
from core.errors import DomainError, NotFound
from games.models import Game, Region
from rankings.models import RankingSnapshot, SnapshotEntry, TeamRanking
from teams.models import Membership

PAGE_SIZE = 50
# The largest page whose OFFSET, (page - 1) * PAGE_SIZE, fits the signed
# 64-bit integers of PostgreSQL and SQLite. Any higher page is past the end.
MAX_PAGE = (2**63 - 1) // PAGE_SIZE
# A page number: ASCII digits, leading zeros skipped (an empty group is 0).
PAGE_NUMBER_PATTERN = re.compile(r"0*([0-9]*)")
# Teams shown on each side of one's own team in "around my team".
NEIGHBOURS = 2

MSG_NO_GAMES = "No game has a leaderboard yet: staff must activate a game first."
MSG_UNKNOWN_GAME = "No game with the slug “{slug}”. Choose a game from the list."
MSG_UNKNOWN_REGION = "No region with the slug “{slug}”. Choose a region from the list."
MSG_INVALID_PAGE = "Invalid page number “{page}”: use a whole number from 1."
MSG_PAGE_OUT_OF_RANGE = "Page {page} does not exist: this leaderboard has {pages}."

# The leaderboard order. An index on the same columns serves each board
# (rankings_board_order, rankings_region_board_order), so a page reads its
# rows without sorting the game's teams.
BOARD_ORDER = ("-points", "standing_order", "name_sort", "team_id")

ROLE_ORDER = {role: index for index, role in enumerate(Membership.Role.values)}


def board_queryset(game, region=None):
    """Return the active TeamRanking rows of a game's board, in board order."""
    rankings = TeamRanking.objects.filter(game=game, is_active=True)
    if region is not None:
        rankings = rankings.filter(region=region)
    return rankings.order_by(*BOARD_ORDER)


def board_slice_queryset(game, region=None, *, offset, limit):
    """Return the query of board_slice: (team id, board size) pairs in order."""
    return (
        board_queryset(game, region)
        .annotate(board_size=Window(Count("pk")))
        .values_list("pk", "board_size")[offset : offset + limit]
    )


def board_slice(game, region=None, *, offset, limit):
    """Return the team ids of one slice of the board and the board's size.

    One query, served by the board index: it reads the ids in board order
    with COUNT(*) OVER () beside each. The size is None when the slice is
    empty. Only the slice's rows are then read in full (board_rows_queryset),
    because with a join and subqueries in the same statement PostgreSQL
    would evaluate them for every row skipped by the OFFSET too.
    """
    ids_and_size = list(board_slice_queryset(game, region, offset=offset, limit=limit))
    if not ids_and_size:
        return [], None
    return [team_id for team_id, _ in ids_and_size], ids_and_size[0][1]


def board_rows_queryset(team_ids, region=None, previous_snapshot=None):
    """Return the TeamRanking rows of the given teams, in board order.

    Each row comes with its team and, given a previous snapshot, the team's
    rank in it (``previous_rank``, and ``previous_region_id`` on a regional
    board).
    """
    rankings = (
        TeamRanking.objects.filter(pk__in=list(team_ids))
        .select_related("team")
        .order_by(*BOARD_ORDER)
    )
    if previous_snapshot is None:
        return rankings
    previous = SnapshotEntry.objects.filter(
        snapshot=previous_snapshot, team=OuterRef("team_id")
    )
    rank_field = "regional_rank" if region is not None else "rank"
    rankings = rankings.annotate(
        previous_rank=Subquery(previous.values(rank_field)[:1])
    )
    if region is not None:
        rankings = rankings.annotate(
            previous_region_id=Subquery(previous.values("region_id")[:1])
        )
    return rankings


def team_rosters(team_ids):
    """Return {team id: [nickname, ...]} for the active members of the teams.

    A nickname is the in-game name of the member's game account for the
    team's game, or the profile handle when the member has no such account.
    Members are listed captain first, then by role, then by nickname in
    case-insensitive order, as published standings list them. One query.
    """
    in_game_name = (
        GameAccount.objects.filter(
            profile=OuterRef("profile_id"), game=OuterRef("game_id")
        )
        .order_by()
        .values("in_game_name")[:1]
    )
    members = (
        Membership.objects.filter(
            team_id__in=list(team_ids), status=Membership.Status.ACTIVE
        )
        .annotate(in_game_name=Subquery(in_game_name))
        .order_by("team_id", "joined_at", "pk")
        .values_list("team_id", "role", "profile__handle", "in_game_name")
    )
    rosters = {}
    for team_id, role, handle, game_name in members:
        rosters.setdefault(team_id, []).append((ROLE_ORDER[role], game_name or handle))
    return {
        team_id: [
            name
            for _, name in sorted(names, key=lambda item: (item[0], item[1].casefold()))
        ]
        for team_id, names in rosters.items()
    }


@dataclass(frozen=True)
class Movement:
    """Change of a team's rank since the previous snapshot."""

    kind: str  # "up", "down", "same" or "new"
    steps: int = 0


def rank_movement(current, previous):
    """Return the Movement from rank ``previous`` to ``current`` (None: no rank)."""
    if current is None:
        return None
    if previous is None:
        return Movement("new")
    if previous > current:
        return Movement("up", previous - current)
    if previous < current:
        return Movement("down", current - previous)
    return Movement("same")


@dataclass
class BoardRow:
    ranking: TeamRanking
    rank: int | None
    movement: Movement | None
    roster: list[str]
    is_mine: bool = False

    @property
    def team(self):
        return self.ranking.team


def board_rows(rankings, *, region=None, with_movement=False, my_team_id=None):
    """Turn TeamRanking rows into BoardRows with rosters (one roster query).

    The ranking job leaves private teams off the board. A team that turned
    private since the last run is still listed until the next one, so the
    roster of a private team is never read.
    """
    rankings = list(rankings)
    public_ids = [
        ranking.team_id for ranking in rankings if not ranking.team.is_private
    ]
    rosters = team_rosters(public_ids) if public_ids else {}
    rows = []
    for ranking in rankings:
        rank = ranking.regional_rank if region is not None else ranking.rank
        movement = None
        if with_movement:
            previous = ranking.previous_rank
            if region is not None and ranking.previous_region_id != region.pk:
                previous = None
            movement = rank_movement(rank, previous)
        rows.append(
            BoardRow(
                ranking=ranking,
                rank=rank,
                movement=movement,
                roster=rosters.get(ranking.team_id, []),
                is_mine=ranking.team_id == my_team_id,
            )
        )
    return rows


@dataclass
class AroundMyTeam:
    """Position of the signed-in member's team on the board being shown."""

    ranking: TeamRanking
    position: int | None = None  # None when the team plays in another region
    is_ranked: bool = False
    page_number: int | None = None
    on_this_page: bool = False
    other_region: bool = False
    neighbours: list[TeamRanking] = field(default_factory=list)


@dataclass
class LeaderboardPage:
    game: Game
    region: Region | None
    games: list[Game]
    regions: list[Region]
    rows: list[BoardRow]
    page: object  # django.core.paginator.Page
    latest_snapshot: RankingSnapshot | None
    previous_snapshot: RankingSnapshot | None
    around: AroundMyTeam | None = None


def _select_game(games, slug):
    if not games:
        raise NotFound(MSG_NO_GAMES, code="no_games")
    if not slug:
        return games[0]
    for game in games:
        if game.slug == slug:
            return game
    raise NotFound(MSG_UNKNOWN_GAME.format(slug=slug), code="unknown_game")


def _select_region(regions, slug):
    if not slug:
        return None
    for region in regions:
        if region.slug == slug:
            return region
    raise NotFound(MSG_UNKNOWN_REGION.format(slug=slug), code="unknown_region")


def _page_number(value):
    """Return the page number, or MAX_PAGE + 1 for any larger one.

    Raises DomainError unless the value is ASCII digits above zero. int()
    alone would also read "١" as 1, and it fails on more digits than its
    conversion limit.
    """
    if value in (None, ""):
        return 1
    digits = PAGE_NUMBER_PATTERN.fullmatch(str(value))
    if digits is None or not digits[1]:
        raise DomainError(MSG_INVALID_PAGE.format(page=value), code="invalid_page")
    if len(digits[1]) > len(str(MAX_PAGE)):
        return MAX_PAGE + 1
    return min(int(digits[1]), MAX_PAGE + 1)


def _board_filter(game, region):
    condition = Q(game=game, is_active=True)
    if region is not None:
        condition &= Q(region=region)
    return condition


def _count_ahead(game, region):
    """Return a subquery counting the board rows ahead of the outer row."""
    points = OuterRef("points")
    standing = OuterRef("standing_order")
    name = OuterRef("name_sort")
    ahead = (
        Q(points__gt=points)
        | Q(points=points, standing_order__lt=standing)
        | Q(points=points, standing_order=standing, name_sort__lt=name)
        | Q(
            points=points,
            standing_order=standing,
            name_sort=name,
            team_id__lt=OuterRef("team_id"),
        )
    )
    rows_ahead = (
        TeamRanking.objects.filter(_board_filter(game, region) & ahead)
        .order_by()
        .values("game")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows_ahead), 0)


def around_my_team(my_team_id, game, region, page):
    """Locate the user's team on the board, or return None without a team.

    Needs no query when the team is on the page shown. Otherwise one query
    reads the team's row with its neighbours. For a team without a rank, the
    same query counts the rows ahead of it instead.
    """
    if my_team_id is None:
        return None
    for index, row in enumerate(page.object_list):
        if row.team_id == my_team_id:
            rank = row.regional_rank if region is not None else row.rank
            return AroundMyTeam(
                ranking=row,
                position=page.start_index() + index,
                is_ranked=rank is not None,
                page_number=page.number,
                on_this_page=True,
            )

    rank_field = "regional_rank" if region is not None else "rank"
    my_rank = Subquery(
        TeamRanking.objects.filter(team_id=my_team_id).values(rank_field)[:1]
    )
    neighbours = _board_filter(game, region) & Q(
        **{
            f"{rank_field}__gte": my_rank - NEIGHBOURS,
            f"{rank_field}__lte": my_rank + NEIGHBOURS,
        }
    )
    unranked_mine = Q(team_id=my_team_id, **{f"{rank_field}__isnull": True})
    if region is not None:
        unranked_mine &= Q(region=region)
    rows = list(
        TeamRanking.objects.filter(Q(team_id=my_team_id, is_active=True) | neighbours)
        .select_related("team", "region")
        .annotate(
            # Counting is only needed, and only run, for an unranked team.
            ahead=Case(When(unranked_mine, then=_count_ahead(game, region)))
        )
        .order_by(*BOARD_ORDER)
    )
    mine = next((row for row in rows if row.team_id == my_team_id), None)
    if mine is None:
        return None
    if region is not None and mine.region_id != region.pk:
        return AroundMyTeam(ranking=mine, other_region=True)
    rank = getattr(mine, rank_field)
    # Ranked teams come first in rank order, so a rank is the position.
    position = rank if rank is not None else mine.ahead + 1
    return AroundMyTeam(
        ranking=mine,
        position=position,
        is_ranked=rank is not None,
        page_number=(position - 1) // PAGE_SIZE + 1,
        neighbours=rows if rank is not None else [],
    )


def _active_games(user):
    """Return the active games, each with the signed-in user's team as my_team_id."""
    games = Game.objects.filter(is_active=True)
    if user.is_authenticated:
        my_team = Membership.objects.filter(
            game=OuterRef("pk"),
            profile__user=user,
            status=Membership.Status.ACTIVE,
        ).values("team_id")[:1]
        games = games.annotate(my_team_id=Subquery(my_team))
    return list(games)


def leaderboard_page(*, user, game_slug=None, region_slug=None, page=None):
    """Return one page of a game's leaderboard, optionally for one region.

    Raises NotFound for an unknown game, region or page and DomainError for a
    page number that is not a positive whole number.
    """
    games = _active_games(user)
    game = _select_game(games, game_slug)
    regions = list(Region.objects.all())
    region = _select_region(regions, region_slug)
    page_number = _page_number(page)
    snapshots = list(RankingSnapshot.objects.filter(game=game)[:2])
    latest = snapshots[0] if snapshots else None
    previous = snapshots[1] if len(snapshots) > 1 else None

    board = board_queryset(game, region)
    team_ids, board_size = [], None
    if page_number <= MAX_PAGE:
        team_ids, board_size = board_slice(
            game, region, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    # Past MAX_PAGE the slice is skipped, and the paginator's COUNT query
    # finds the page out of range.
    paginator = Paginator(board, PAGE_SIZE)
    if board_size is not None:
        paginator.count = board_size  # saves the separate COUNT query
    try:
        page_obj = paginator.page(page_number)
    except EmptyPage as error:
        pages = f"{paginator.num_pages} page" + ("s" if paginator.num_pages > 1 else "")
        page_label = page_number if page_number <= MAX_PAGE else page
        raise NotFound(
            MSG_PAGE_OUT_OF_RANGE.format(page=page_label, pages=pages),
            code="page_out_of_range",
        ) from error
    page_obj.object_list = (
        list(board_rows_queryset(team_ids, region, previous)) if team_ids else []
    )

    around = around_my_team(getattr(game, "my_team_id", None), game, region, page_obj)
    rows = board_rows(
        page_obj.object_list,
        region=region,
        with_movement=previous is not None,
        my_team_id=around.ranking.team_id if around else None,
    )
    return LeaderboardPage(
        game=game,
        region=region,
        games=games,
        regions=regions,
        rows=rows,
        page=page_obj,
        latest_snapshot=latest,
        previous_snapshot=previous,
        around=around,
    )


def leaderboard_rows(game, region=None, *, limit=None, chunk_size=1000):
    """Yield BoardRows of a whole board in board order, a chunk at a time."""
    offset = 0
    while limit is None or offset < limit:
        size = chunk_size if limit is None else min(chunk_size, limit - offset)
        team_ids, _ = board_slice(game, region, offset=offset, limit=size)
        if not team_ids:
            return
        chunk = list(board_rows_queryset(team_ids, region))
        yield from board_rows(chunk, region=region)
        offset += len(team_ids)
        if len(team_ids) < size:
            return
