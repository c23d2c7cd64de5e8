"""Readiness checks: each returns None when healthy or a short error text."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database():
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        logger.warning("readiness: database check failed", exc_info=True)
        return f"unreachable: {exc.__class__.__name__}"
    return None


def check_cache():
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # any client error means "not ready"
        logger.warning("readiness: cache check failed", exc_info=True)
        return f"unreachable: {exc.__class__.__name__}"
    if value != "1":
        return "value written was not read back"
    return None


def check_broker():
    """Connect to the Celery broker, unless tasks run in-process (eager)."""
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or url.startswith("memory://"):
        return None
    connection = Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS)
    try:
        connection.ensure_connection(
            max_retries=1,
            interval_start=0,
            interval_step=0,
            interval_max=0,
            timeout=BROKER_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # any transport error means "not ready"
        logger.warning("readiness: broker check failed", exc_info=True)
        return f"unreachable: {exc.__class__.__name__}"
    finally:
        connection.release()
    return None


# Loading every migration costs tens of milliseconds, and /readyz is public,
# so a passing result is reused for this many seconds. Applied migrations
# only become unapplied when the code changes, which restarts the process.
MIGRATIONS_OK_SECONDS = 60
_migrations_ok_at = None


def check_migrations():
    global _migrations_ok_at
    now = time.monotonic()
    if (
        _migrations_ok_at is not None
        and now - _migrations_ok_at < MIGRATIONS_OK_SECONDS
    ):
        return None
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # the database check reports the cause
        return f"could not be read: {exc.__class__.__name__}"
    if plan:
        _migrations_ok_at = None
        return f"{len(plan)} unapplied"
    _migrations_ok_at = now
    return None


READINESS_CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "migrations": check_migrations,
}


def run_readiness_checks():
    """Run every check; return a dict of check name to error for the failures."""
    failures = {}
    for name, check in READINESS_CHECKS.items():
        if name == "migrations" and "database" in failures:
            failures[name] = "skipped: database unreachable"
            continue
        error = check()
        if error:
            failures[name] = error
    return failures
