"""Demo community for a first run: players, teams, rosters and points.

Everything is drawn from a random generator seeded by the caller, so one seed
always gives the same handles, team names, rosters and points (dates are
relative to the day of the run). Demo accounts share one password and have
e-mail addresses under DEMO_EMAIL_DOMAIN, which is how a rerun recognises
existing demo data.
"""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import GameAccount, Profile, User
from games.models import Game, Region

from .models import Membership, Team
from .services import team_create

logger = logging.getLogger(__name__)

# Shared by every demo account and documented in the README.
DEMO_PASSWORD = "demo-password"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.deltacrown.test"
ADMIN_USERNAME = "admin"
USER_COUNT = 200

# Games and how many demo teams each gets (40 in all). Counter-Strike 2 is
# left out because the standings import fills it with real teams, and demo
# points would mix into the real ranking.
TEAMS_PER_GAME = {"valorant": 10, "lol": 9, "dota2": 8, "rocketleague": 7, "mlbb": 6}
PRIVATE_TEAMS = 4

HANDLE_WORDS = [
    "frost", "viper", "nova", "kairo", "blitz", "echo", "rift", "zephyr", "onyx",
    "pixel", "raven", "sable", "jinx", "lumen", "drift", "ember", "havoc", "kite",
    "mako", "nyx", "orbit", "pulse", "quill", "rogue", "shade", "tango", "umbra",
    "vex", "wisp", "yuki", "zen", "arrow", "bolt", "cipher", "dash", "flux",
    "glitch", "hex", "ion", "jolt", "karma", "lynx", "mirage", "nimbus", "oracle",
    "prism", "quartz", "rune", "spark", "torque", "volt", "warden", "xeno", "yeti",
]  # fmt: skip
FIRST_NAMES = [
    "Aleksi", "Mateo", "Jonas", "Lucas", "Minho", "Hiro", "Rafael", "Emil",
    "Nikola", "Tomás", "Oskar", "Kenji", "Ivan", "Marek", "Joon", "Diego",
    "Elias", "Arjun", "Leo", "Sami", "Chen", "Bruno", "Felix", "Anton",
    "Sofia", "Maja", "Yuna", "Léa", "Ana", "Ines", "Nora", "Mila",
]  # fmt: skip
LAST_NAMES = [
    "Virtanen", "Silva", "Jensen", "Kowalski", "Park", "Tanaka", "Costa",
    "Nielsen", "Petrović", "García", "Lindqvist", "Sato", "Ivanov", "Novák",
    "Kim", "Rossi", "Schmidt", "Sharma", "Moreau", "Haddad", "Wang", "Santos",
    "Berg", "Müller", "Nowak", "Kaya", "Nguyen", "Dubois", "Ferreira", "Lee",
]  # fmt: skip

# Region -> countries its teams and players come from.
REGION_COUNTRIES = {
    "europe": ["FI", "DK", "SE", "DE", "FR", "PL", "PT", "ES", "UA", "CZ", "GB"],
    "americas": ["US", "BR", "AR", "CA", "MX", "CL"],
    "asia": ["KR", "JP", "CN", "VN", "PH", "ID"],
    "oceania": ["AU", "NZ"],
    "middle-east": ["SA", "AE", "TR"],
    "africa": ["ZA", "EG", "NG"],
}
REGION_WEIGHTS = {
    "europe": 40,
    "americas": 25,
    "asia": 20,
    "oceania": 6,
    "middle-east": 5,
    "africa": 4,
}

# Team names: fixed names that show what names may contain (digits only,
# brackets, non-ASCII letters), then generated "adjective noun" names.
SPECIAL_TEAM_NAMES = [
    "9 Lives", "100 Degrees", "[ZERO] Protocol", "Famalicão Esports",
    "Kraków Knights", "Team Øresund", "Tokyo Tengu", "Los Cóndores",
    "Nordavind", "Crimson Ronin", "Dragões do Porto", "Ümit Gaming",
]  # fmt: skip
NAME_ADJECTIVES = [
    "Astral", "Iron", "Silent", "Crimson", "Golden", "Northern", "Electric",
    "Frozen", "Savage", "Rapid", "Shadow", "Royal", "Lunar", "Solar", "Wild",
    "Obsidian", "Azure", "Phantom", "Vital", "Stellar",
]  # fmt: skip
NAME_NOUNS = [
    "Vipers", "Wolves", "Titans", "Falcons", "Spectres", "Dragons", "Owls",
    "Hydras", "Ravens", "Sentinels", "Foxes", "Jaguars", "Hornets", "Monarchs",
    "Corsairs", "Lancers", "Comets", "Golems", "Reapers", "Pilots",
]  # fmt: skip
NAME_SUFFIXES = ["", "", "", " Esports", " Gaming", " Club", " Academy"]

DESCRIPTION_OPENINGS = [
    "Founded in {year} by {founder}, {name} plays {game} in {region}.",
    "{name} is a {game} team from {region}, built around {founder}'s calls.",
    "We are {name}: {game} players from {country} who started as a LAN "
    "group in {year}.",
]  # fmt: skip
DESCRIPTION_GOALS = [
    "Qualify for the regional league", "Win an online cup this season",
    "Reach the top 10 of the leaderboard", "Build a stable five-stack",
    "Play every weekly open qualifier", "Bring new players up through scrims",
]  # fmt: skip
PRACTICE_TIMES = [
    "Monday to Thursday evenings", "weekday evenings, local time",
    "Tuesday, Thursday and Sunday nights", "every evening except Friday",
    "weekends plus two scrim nights",
]  # fmt: skip
RECRUITING_MESSAGES = [
    "Looking for an entry fragger with tournament experience.",
    "We need a support player who likes to make calls.",
    "Open tryouts for a substitute: 18+, voice chat, evenings.",
    "Seeking a coach to review demos twice a week.",
    "Looking for a flexible player for the upcoming season.",
    "Need a fifth player who can commit to three practices a week.",
]  # fmt: skip
GAME_ACCOUNT_PREFIX = {
    "cs2": "STEAM_0:1:",
    "dota2": "STEAM_0:0:",
    "valorant": "",
    "lol": "",
    "rocketleague": "epic-",
    "mlbb": "",
}


@dataclass
class DemoResult:
    created: bool
    users: int = 0
    teams: int = 0
    memberships: int = 0


def demo_data_exists():
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists()


def _handles(rng, count):
    handles = []
    seen = set()
    while len(handles) < count:
        word = rng.choice(HANDLE_WORDS)
        style = rng.randrange(4)
        if style == 0:
            handle = word
        elif style == 1:
            handle = f"{word}{rng.randrange(1, 99)}"
        elif style == 2:
            handle = f"{word}_{rng.choice(HANDLE_WORDS)}"
        else:
            handle = f"x{word}"
        if handle.lower() not in seen:
            seen.add(handle.lower())
            handles.append(handle)
    return handles


def _team_names(rng, count):
    names = list(SPECIAL_TEAM_NAMES)
    rng.shuffle(names)
    seen = set(names)
    while len(names) < count * 2:
        name = (
            f"{rng.choice(NAME_ADJECTIVES)} {rng.choice(NAME_NOUNS)}"
            f"{rng.choice(NAME_SUFFIXES)}"
        )
        if name not in seen:
            seen.add(name)
            names.append(name)
    # Mix the special names among the generated ones.
    picked = names[: len(SPECIAL_TEAM_NAMES)] + rng.sample(
        names[len(SPECIAL_TEAM_NAMES) :], count - len(SPECIAL_TEAM_NAMES)
    )
    rng.shuffle(picked)
    return picked


def _tag_for(name, rng, used):
    """Return a 2-5 character tag not yet used in the game, or ""."""
    words = name.replace("[", " ").replace("]", " ").split()
    initials = "".join(word[0] for word in words if word[0].isalnum()).upper()
    candidates = [initials, words[0][:4].upper(), words[0][:3].upper()]
    if rng.random() < 0.1:
        return ""  # some teams go without a tag
    for candidate in candidates:
        if 2 <= len(candidate) <= 5 and candidate not in used:
            used.add(candidate)
            return candidate
    return ""


def _create_users(rng, now, password_hash):
    handles = _handles(rng, USER_COUNT)
    regions = list(REGION_WEIGHTS)
    weights = [REGION_WEIGHTS[region] for region in regions]
    users = [
        User(
            username=handle,
            email=f"{handle.lower()}@{DEMO_EMAIL_DOMAIN}",
            password=password_hash,
            date_joined=now - timedelta(days=rng.randrange(30, 900)),
        )
        for handle in handles
    ]
    users.append(
        User(
            username=ADMIN_USERNAME,
            email=f"{ADMIN_USERNAME}@{DEMO_EMAIL_DOMAIN}",
            password=password_hash,
            is_staff=True,
            is_superuser=True,
            date_joined=now - timedelta(days=1000),
        )
    )
    users = User.objects.bulk_create(users)

    # bulk_create sends no post_save, so profiles and e-mail addresses are
    # created here instead of by the signal.
    profiles = []
    for user in users:
        region = rng.choices(regions, weights)[0]
        named = rng.random() < 0.6
        profiles.append(
            Profile(
                user=user,
                handle=user.username,
                display_name=(
                    f"{rng.choice(FIRST_NAMES)} “{user.username}” "
                    f"{rng.choice(LAST_NAMES)}"
                    if named
                    else ""
                ),
                country=rng.choice(REGION_COUNTRIES[region]),
            )
        )
    Profile.objects.bulk_create(profiles)

    for profile in profiles:
        profile.user.profile = profile  # cache it: team_create reads it
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )

    return [user for user in users if user.username != ADMIN_USERNAME]


def _roster_roles(rng, game, recruiting):
    """Return the roles after the captain, within the game's capacity."""
    limit = game.roster_limit
    if recruiting:
        slots = rng.randint(max(1, game.starters - 2), max(1, limit - 1))
    else:
        slots = rng.randint(min(game.starters, limit), limit)
    roles = []
    if slots >= 3 and rng.random() < 0.6:
        roles.append(Membership.Role.CO_CAPTAIN)
    while len(roles) + 1 < slots:
        starters_left = len(roles) + 1 < game.starters
        roles.append(
            Membership.Role.PLAYER if starters_left else Membership.Role.SUBSTITUTE
        )
    coaches = rng.choice([0, 0, 1, 1, game.max_coaches])
    roles.extend([Membership.Role.COACH] * min(coaches, game.max_coaches))
    return roles


def _description(rng, team, founder, country_name):
    opening = rng.choice(DESCRIPTION_OPENINGS).format(
        year=team.created_at.year,
        founder=founder,
        name=team.name,
        game=team.game.name,
        region=team.region.name if team.region else "the world",
        country=country_name or "everywhere",
    )
    goals = rng.sample(DESCRIPTION_GOALS, 2)
    return (
        f"{opening}\n\n"
        f"**Goals this season**\n\n- {goals[0]}\n- {goals[1]}\n\n"
        f"Practice: {rng.choice(PRACTICE_TIMES)}."
    )


def _points(rng, rank_hint):
    # A long tail: a few teams far ahead, most in the low thousands.
    base = int(rng.paretovariate(1.3) * 400)
    return min(base, 9000) + rng.randrange(0, 200) + max(0, 12 - rank_hint) * 150


def _create_team(
    rng, *, game, name, captain, regions, used_tags, private, verified, now
):
    """Create one team through team_create, then age it and fill its profile."""
    region_slug = rng.choices(list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()))[0]
    recruiting = rng.random() < 0.35
    team = team_create(
        user=captain,
        game=game,
        name=name,
        tag=_tag_for(name, rng, used_tags),
        region=regions.get(region_slug),
        country=rng.choice(REGION_COUNTRIES[region_slug]),
        privacy=Team.Privacy.PRIVATE if private else Team.Privacy.PUBLIC,
        is_recruiting=recruiting,
        recruiting_message=rng.choice(RECRUITING_MESSAGES) if recruiting else "",
    )

    # team_create stamps the current time; demo teams are spread over two years.
    team.created_at = now - timedelta(days=rng.randrange(3, 700))
    founder = captain.profile.display_name or captain.username
    team.description = _description(rng, team, founder, team.country.name)
    team.website_url = f"https://{team.slug}.example.com/"
    team.is_verified = verified
    Team.objects.filter(pk=team.pk).update(
        created_at=team.created_at,
        description=team.description,
        website_url=team.website_url,
        is_verified=team.is_verified,
    )
    Membership.objects.filter(team=team).update(joined_at=team.created_at)
    return team


def _roster(rng, team, captain, free_players, now):
    """Return the new memberships (captain excluded) and game accounts."""
    memberships = []
    roster = [captain]
    days = max(1, (now - team.created_at).days)
    for role in _roster_roles(rng, team.game, team.is_recruiting):
        member = free_players.pop()
        roster.append(member)
        memberships.append(
            Membership(
                team=team,
                profile=member.profile,
                game=team.game,
                role=role,
                joined_at=team.created_at + timedelta(days=rng.randrange(days)),
            )
        )
    accounts = [
        _game_account(rng, member.profile, team.game)
        for member in roster
        if rng.random() < 0.9
    ]
    return memberships, accounts


@transaction.atomic
def seed_demo(seed=7):
    """Create the demo community unless it exists; return what was created."""
    from rankings.services import ledger_add, rank_game

    if demo_data_exists():
        return DemoResult(created=False)
    rng = random.Random(seed)
    now = timezone.now()
    players = _create_users(rng, now, make_password(DEMO_PASSWORD))
    regions = {region.slug: region for region in Region.objects.all()}
    games = {game.slug: game for game in Game.objects.filter(slug__in=TEAMS_PER_GAME)}
    names = iter(_team_names(rng, sum(TEAMS_PER_GAME.values())))

    private_left = PRIVATE_TEAMS
    teams, memberships, accounts = [], [], []
    for game_slug, count in TEAMS_PER_GAME.items():
        # Each game draws from all players, so one player may be in one team
        # per game but never in two teams of a game.
        free_players = list(players)
        rng.shuffle(free_players)
        used_tags = set()
        for index in range(count):
            private = private_left > 0 and index == count - 1 and rng.random() < 0.9
            private_left -= int(private)
            captain = free_players.pop()
            team = _create_team(
                rng,
                game=games[game_slug],
                name=next(names),
                captain=captain,
                regions=regions,
                used_tags=used_tags,
                private=private,
                verified=index < 2,
                now=now,
            )
            new_memberships, new_accounts = _roster(
                rng, team, captain, free_players, now
            )
            memberships += new_memberships
            accounts += new_accounts
            teams.append((team, index))
    Membership.objects.bulk_create(memberships)
    GameAccount.objects.bulk_create(accounts)

    for team, index in teams:
        ledger_add(
            team,
            amount=_points(rng, index),
            source="adjustment",
            reason="Demo data",
            idempotency_key=f"demo:{team.slug}",
        )
    for game in games.values():
        rank_game(game, note="Demo data")
    logger.info("demo data created: %d users, %d teams", len(players) + 1, len(teams))
    return DemoResult(
        created=True,
        users=len(players) + 1,
        teams=len(teams),
        memberships=len(memberships) + len(teams),
    )


def _game_account(rng, profile, game):
    prefix = GAME_ACCOUNT_PREFIX.get(game.slug, "")
    if game.slug in ("valorant", "lol"):
        account_id = f"{profile.handle}#{rng.choice(['EUW', 'NA1', 'KR1', 'BR1'])}"
    else:
        account_id = f"{prefix}{rng.randrange(10_000_000, 99_999_999)}"
    return GameAccount(
        profile=profile,
        game=game,
        account_id=account_id,
        in_game_name=profile.handle,
    )
