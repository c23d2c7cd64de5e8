"""Team reads: identity lookups, the hub, the team page and search."""

from dataclasses import dataclass, field
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from core.errors import Conflict
from core.markdown import render_markdown

from . import permissions
from .models import Membership, Team, TeamSlug
from .naming import name_key

MSG_DISBANDED = "This team was disbanded."

HUB_TOP_PER_GAME = 5
HUB_LIST_SIZE = 6
SEARCH_PAGE_SIZE = 20
# Orders of team_search. shown_points is None for a private team hidden from
# the user, so the points sort lists those teams last, by name.
SEARCH_SORTS = {
    "points": (F("shown_points").desc(nulls_last=True), "name_sort", "pk"),
    "newest": ("-created_at", "pk"),
    "name": ("name_sort", "pk"),
}
# Roster order on the team page: captain first, coaches last.
ROLE_ORDER = {
    Membership.Role.CAPTAIN: 0,
    Membership.Role.CO_CAPTAIN: 1,
    Membership.Role.PLAYER: 2,
    Membership.Role.SUBSTITUTE: 3,
    Membership.Role.COACH: 4,
}
SOCIAL_LINKS = (
    ("website_url", "Website"),
    ("twitter_url", "X / Twitter"),
    ("discord_url", "Discord"),
    ("youtube_url", "YouTube"),
    ("twitch_url", "Twitch"),
)


def team_name_taken(game, key, *, exclude=None):
    teams = Team.objects.filter(game=game, name_key=key, disbanded_at__isnull=True)
    if exclude:
        teams = teams.exclude(pk=exclude)
    return teams.exists()


def team_tag_taken(game, key, *, exclude=None):
    teams = Team.objects.filter(game=game, tag_key=key, disbanded_at__isnull=True)
    if exclude:
        teams = teams.exclude(pk=exclude)
    return teams.exists()


def team_by_old_slug(slug):
    old = TeamSlug.objects.select_related("team").filter(slug=slug).first()
    return old.team if old else None


def team_get_by_slug(slug):
    """Return the team with this current slug (disbanded ones too), or None."""
    return Team.objects.select_related("game", "region").filter(slug=slug).first()


def active_members(team):
    return (
        Membership.objects.filter(team=team, status=Membership.Status.ACTIVE)
        .select_related("profile", "profile__user")
        .order_by("joined_at", "pk")
    )


def _public_active_teams():
    return Team.objects.filter(
        disbanded_at__isnull=True, privacy=Team.Privacy.PUBLIC
    ).select_related("game", "region")


# Hub


@dataclass
class GameTop:
    game: object
    teams: list


@dataclass
class HubPage:
    top_by_game: list
    recruiting: list
    newest: list
    team_count: int
    game_count: int


def hub_top_teams(limit=HUB_TOP_PER_GAME):
    """Return the top public teams of every game, from one window query.

    Each team is numbered within its game by points, then by the normalized
    name, and only the first ``limit`` of each game are kept.
    """
    ranked = (
        _public_active_teams()
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("game_id")],
                order_by=[F("total_points").desc(), F("name_sort").asc(), F("pk")],
            )
        )
        .filter(position__lte=limit)
        .order_by("game__sort_order", "game__name", "position")
    )
    return [
        GameTop(game=game, teams=list(teams))
        for game, teams in groupby(ranked, key=lambda team: team.game)
    ]


def hub_page():
    """Everything the hub shows, in four queries (each one is named)."""
    # Query 1: the top teams of every game.
    top_by_game = hub_top_teams()
    # Query 2: recruiting teams, best first.
    recruiting = list(
        _public_active_teams()
        .filter(is_recruiting=True)
        .order_by("-total_points", "name_sort", "pk")[:HUB_LIST_SIZE]
    )
    # Query 3: the newest teams.
    newest = list(_public_active_teams().order_by("-created_at", "-pk")[:HUB_LIST_SIZE])
    # Query 4: how many active teams and games there are.
    counts = Team.objects.filter(disbanded_at__isnull=True).aggregate(
        teams=Count("pk"), games=Count("game", distinct=True)
    )
    return HubPage(
        top_by_game=top_by_game,
        recruiting=recruiting,
        newest=newest,
        team_count=counts["teams"],
        game_count=counts["games"],
    )


# Team page


@dataclass
class TeamDetail:
    team: object
    # Set when the slug is an old one, so the view returns a 301 redirect.
    redirect_slug: str = ""
    members: list = field(default_factory=list)
    viewer_membership: object = None
    can_view_full: bool = False
    can_edit: bool = False
    can_disband: bool = False
    description_html: str = ""
    social_links: list = field(default_factory=list)
    player_count: int = 0
    coach_count: int = 0

    @property
    def is_member(self):
        return self.viewer_membership is not None


def _roster_with_game_accounts(team):
    """Active members with their profile, account and game account, one query.

    The game account is the member profile's account for the team's game,
    joined through a filtered relation so no query per member runs.
    """
    return list(
        Membership.objects.filter(team=team, status=Membership.Status.ACTIVE)
        .select_related("profile", "profile__user")
        .annotate(
            team_game_account=FilteredRelation(
                "profile__game_accounts",
                condition=Q(profile__game_accounts__game=team.game_id),
            )
        )
        .annotate(
            game_account_name=F("team_game_account__in_game_name"),
            game_account_id=F("team_game_account__account_id"),
        )
    )


def _sort_roster(members):
    return sorted(
        members,
        key=lambda member: (
            ROLE_ORDER.get(member.role, 9),
            member.joined_at,
            member.pk,
        ),
    )


def team_detail(slug, user):
    """Return everything the team page needs, or None for an unknown slug.

    Queries (the signed-in user's session and row come from the middleware):
    1. the team with its game and region;
    2. only when the slug is unknown: the old slug and its team;
    3. the active roster with game accounts, unless the team is private and
       the visitor is anonymous (nothing of the roster is shown then).
    """
    # The ranking and import rows are one-to-one, so they join into query 1.
    team = (
        Team.objects.select_related(
            "game", "region", "ranking", "imported__latest_breakdown"
        )
        .filter(slug=slug)
        .first()
    )
    if team is None:
        moved = team_by_old_slug(slug)
        if moved is None:
            return None
        return TeamDetail(team=moved, redirect_slug=moved.slug)
    detail = TeamDetail(team=team)
    is_staff = user.is_authenticated and user.is_staff
    if team.is_private and not user.is_authenticated:
        return detail
    members = _roster_with_game_accounts(team)
    if user.is_authenticated:
        detail.viewer_membership = next(
            (m for m in members if m.profile.user_id == user.pk), None
        )
    known = detail.viewer_membership or False
    detail.can_view_full = is_staff or permissions.can_view_private(user, team, known)
    if not detail.can_view_full:
        return detail
    detail.members = _sort_roster(members)
    detail.player_count = sum(1 for m in members if m.takes_roster_slot)
    detail.coach_count = len(members) - detail.player_count
    detail.can_edit = permissions.can_edit_team(user, team, known)
    detail.can_disband = permissions.can_disband_team(user, team, known)
    detail.description_html = render_markdown(team.description)
    detail.social_links = [
        (label, getattr(team, attribute))
        for attribute, label in SOCIAL_LINKS
        if getattr(team, attribute)
    ]
    return detail


def team_get_for_edit(slug, user, action="edit_team"):
    """Return (team, redirect_slug) after checking that the user may act.

    Returns (None, "") for an unknown slug and (team, new slug) for an old
    slug. Raises PermissionDenied through the permission policy, and Conflict
    for a disbanded team.
    """
    team = team_get_by_slug(slug)
    if team is None:
        moved = team_by_old_slug(slug)
        return (moved, moved.slug) if moved else (None, "")
    if not team.is_active:
        raise Conflict(MSG_DISBANDED, code="disbanded")
    permissions.require(action, user, team)
    return team, ""


# Search


@dataclass
class SearchFilters:
    query: str = ""
    game: object = None
    region: object = None
    recruiting: bool = False
    sort: str = "points"

    @property
    def narrows_by_details(self):
        """Whether a filter uses details that private teams do not show."""
        return bool(self.game or self.region or self.recruiting)


def _shows_details(user):
    """Return the condition on teams whose points and details the user may see.

    The rule of permissions.can_view_private: public teams, the user's own
    teams (active membership) and, for staff, every team.
    """
    if user.is_authenticated and user.is_staff:
        return Q(pk__isnull=False)
    public = Q(privacy=Team.Privacy.PUBLIC)
    if not user.is_authenticated:
        return public
    own = Membership.objects.filter(
        team=OuterRef("pk"), profile__user=user, status=Membership.Status.ACTIVE
    )
    return public | Q(Exists(own))


def team_search(filters, *, user, page_number=1):
    """Return a page of active teams matching the filters.

    The query matches the name or tag without regard to case, and also the
    name's comparison key, so "ence" finds "ЕNCE". Public teams match every
    filter. Private teams are listed (as name, tag and logo) only when no
    filter on their hidden details is set, unless the user is staff.

    Each team carries ``shows_details``: False for a private team of which
    the user is neither a member nor staff. The points sort puts those teams
    after all others, in name order, so their position reveals no points
    (``shown_points`` is None for them).
    """
    shows_details = _shows_details(user)
    teams = (
        Team.objects.filter(disbanded_at__isnull=True)
        .select_related("game", "region")
        .annotate(
            shows_details=Case(
                When(shows_details, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            shown_points=Case(
                When(shows_details, then=F("total_points")),
                default=None,
                output_field=IntegerField(),
            ),
        )
    )
    if filters.query:
        key = name_key(filters.query)
        teams = teams.filter(
            Q(name__icontains=filters.query)
            | Q(tag__iexact=filters.query)
            | Q(name_key__contains=key)
            | Q(tag_key=key)
        )
    is_staff = user.is_authenticated and user.is_staff
    if filters.narrows_by_details and not is_staff:
        teams = teams.filter(privacy=Team.Privacy.PUBLIC)
    if filters.game:
        teams = teams.filter(game=filters.game)
    if filters.region:
        teams = teams.filter(region=filters.region)
    if filters.recruiting:
        teams = teams.filter(is_recruiting=True)
    teams = teams.order_by(*SEARCH_SORTS.get(filters.sort, SEARCH_SORTS["points"]))
    return Paginator(teams, SEARCH_PAGE_SIZE).get_page(page_number)
