"""Fixtures shared by every app's tests."""

import os

import pytest

# Read by config.settings before Django starts.
os.environ.setdefault("DELTACROWN_TESTING", "1")

# Fixtures of the headless Chromium tests (marked "browser").
pytest_plugins = ["core.tests.browser"]


def pytest_collection_modifyitems(items):
    """Give every transactional database test a serialized rollback.

    A transactional test ends by emptying every table, which would also
    remove the games and regions that data migrations seed. The serialized
    rollback puts them back for the tests that follow on the same worker.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = {**marker.kwargs, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Hash test passwords with MD5; Argon2 costs about 0.3 s per user.

    Tests marked ``argon2`` keep the production hashers.
    """
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _database_vendor():
    from django.db import connection

    return connection.vendor


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _clear_worker_cache():
    """Empty the cache; on Redis delete only this worker's keys.

    Parallel workers share one Redis database, and cache.clear() there runs
    FLUSHDB, which would wipe another worker's keys in the middle of a test.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    prefix = cache.key_prefix
    if not isinstance(cache, RedisCache) or not prefix:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache():
    _clear_worker_cache()
    yield
    _clear_worker_cache()


@pytest.fixture
def postgres_only():
    """Skip unless the tests run on PostgreSQL (set DATABASE_URL)."""
    if _database_vendor() != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_only(settings):
    """Skip unless the cache is Redis (set REDIS_URL)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def staff_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def cs2(db):
    from games.models import Game

    return Game.objects.get(slug="cs2")
