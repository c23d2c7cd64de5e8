"""Database rules on teams and memberships.

The plain tests run on SQLite and PostgreSQL. The race tests run on
PostgreSQL only, in real threads with their own connections.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import Conflict
from games.models import Game
from teams import services
from teams.models import Membership, Team
from teams.naming import name_key
from teams.tests.factories import MembershipFactory, TeamFactory

CYRILLIC_E = "\u0415"
# Upper bound for waiting on another thread; the tests never wait this long
# unless something is broken.
THREAD_TIMEOUT = 20


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    """Run a test on the database the suite uses, named after it in the id.

    The PostgreSQL case goes through the postgres_only fixture, so a run on
    SQLite lists it as skipped instead of silently passing it.
    """
    if request.param == "postgres":
        request.getfixturevalue("postgres_only")
    elif connection.vendor != "sqlite":
        pytest.skip("runs as the postgres case on this database")
    return request.param


@pytest.mark.django_db
def test_one_active_membership_per_game(database):
    first = MembershipFactory()
    other_team = TeamFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(team=other_team, profile=first.profile)


@pytest.mark.django_db
def test_ended_membership_allows_new(database):
    first = MembershipFactory()
    first.status = Membership.Status.ENDED
    first.ended_at = timezone.now()
    first.save()
    second = MembershipFactory(team=TeamFactory(), profile=first.profile)
    assert second.pk


@pytest.mark.django_db
def test_memberships_in_two_games(database):
    first = MembershipFactory()
    lol_team = TeamFactory(game=Game.objects.get(slug="lol"))
    assert MembershipFactory(team=lol_team, profile=first.profile).pk


@pytest.mark.django_db
def test_one_captain_per_team(database):
    team = TeamFactory()
    MembershipFactory(team=team, role=Membership.Role.CAPTAIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(team=team, role=Membership.Role.CAPTAIN)


@pytest.mark.django_db
def test_ended_at_must_match_status(database):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(status=Membership.Status.ENDED, ended_at=None)


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["ence", "ENCE", f"{CYRILLIC_E}NCE", "ＥＮＣＥ"])
def test_name_key_unique(database, variant):
    TeamFactory(name="ENCE", slug="ence")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(name=variant, slug="ence-other")


@pytest.mark.django_db
def test_disbanded_name_reusable(database):
    TeamFactory(name="ENCE", slug="ence", disbanded_at=timezone.now())
    assert TeamFactory(name="ENCE", slug="ence-2").pk


@pytest.mark.django_db
def test_tag_key_unique(database):
    TeamFactory(tag="ENC", tag_key=name_key("ENC"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(tag="enc", tag_key=name_key("enc"))


@pytest.mark.django_db
def test_empty_tags_not_unique(database):
    TeamFactory(tag="")
    assert TeamFactory(tag="").pk


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["hub", "leaderboard", "create", "search"])
def test_reserved_slug_refused(database, slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(name="Some Team", slug=slug)


@pytest.mark.django_db
def test_slug_unique(database):
    TeamFactory(name="Alpha", slug="alpha")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(name="Beta", slug="alpha")


def _run_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)


def _create_in_thread(user, name, results, barrier=None):
    def run():
        try:
            if barrier is not None:
                barrier.wait(THREAD_TIMEOUT)
            team = services.team_create(
                user=user, game=Game.objects.get(slug="cs2"), name=name
            )
            results.append(("created", team.name))
        except Conflict as error:
            results.append(("conflict", error.code))
        except Exception as error:  # reported below as a failed outcome
            results.append(("error", repr(error)))
        finally:
            connection.close()

    return run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_lookalike_creates(postgres_only):
    users = [UserFactory(), UserFactory()]
    results = []
    barrier = threading.Barrier(2)
    _run_threads(
        [
            _create_in_thread(users[0], "ENCE", results, barrier),
            _create_in_thread(users[1], f"{CYRILLIC_E}NCE", results, barrier),
        ]
    )
    outcomes = sorted(outcome for outcome, _detail in results)
    assert outcomes == ["conflict", "created"], results
    assert ("conflict", "name_taken") in results
    assert Team.objects.count() == 1
    assert Membership.objects.count() == 1


def _wait_until_blocked(backend_pid):
    """Return once backend_pid waits for a lock held by this transaction."""
    deadline = time.monotonic() + THREAD_TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [backend_pid])
            if cursor.fetchone()[0] > 0:
                return True
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unique_index_decides_race(postgres_only):
    """The second create passes the name check, so only the index stops it.

    The first thread keeps its transaction open until the second one waits on
    the unique index, then commits; the second must end in a Conflict.
    """
    users = [UserFactory(), UserFactory()]
    first_inserted = threading.Event()
    second_connected = threading.Event()
    second_pid = []
    second_results = []
    blocked = []

    def first():
        try:
            with transaction.atomic():
                services.team_create(
                    user=users[0], game=Game.objects.get(slug="cs2"), name="ENCE"
                )
                first_inserted.set()
                assert second_connected.wait(THREAD_TIMEOUT)
                blocked.append(_wait_until_blocked(second_pid[0]))
        finally:
            connection.close()

    def second():
        try:
            assert first_inserted.wait(THREAD_TIMEOUT)
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            second_connected.set()
            _create_in_thread(users[1], f"{CYRILLIC_E}NCE", second_results)()
        finally:
            connection.close()

    _run_threads([first, second])
    assert blocked == [True]
    assert second_results == [("conflict", "name_taken")]
    assert list(Team.objects.values_list("name", flat=True)) == ["ENCE"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creates_same_player(postgres_only):
    user = UserFactory()
    results = []
    barrier = threading.Barrier(2)
    _run_threads(
        [
            _create_in_thread(user, "Astral Vipers", results, barrier),
            _create_in_thread(user, "Azure Vultures", results, barrier),
        ]
    )
    assert sorted(outcome for outcome, _detail in results) == ["conflict", "created"], (
        results
    )
    assert ("conflict", "already_in_game") in results
    assert Membership.objects.filter(profile=user.profile).count() == 1
    assert Team.objects.count() == 1
