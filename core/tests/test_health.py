import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from core import health
from core.health import check_broker

CLOSED_PORT_DATABASE = "postgres://postgres@127.0.0.1:1/nothing"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"

READYZ_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
response = Client().get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def _readyz_in_subprocess(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", READYZ_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_ok(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
            "migrations": "ok",
        },
    }


def test_readyz_reports_unreachable_database():
    result = _readyz_in_subprocess(DATABASE_URL=CLOSED_PORT_DATABASE)

    assert result["status"] == 503
    body = result["body"]
    assert body["status"] == "unavailable"
    assert "database" in body["failed"]
    assert body["checks"]["database"].startswith("unreachable: ")
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["migrations"] == "skipped: database unreachable"


@pytest.mark.django_db
def test_readyz_reports_unreachable_cache(client):
    broken_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
        }
    }
    with override_settings(CACHES=broken_cache):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"].startswith("unreachable: ")
    assert body["checks"]["database"] == "ok"


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok_at", None)


@pytest.mark.django_db
def test_migration_check_reuses_pass(django_assert_num_queries):
    assert health.check_migrations() is None
    # A second check within the window reads no migration table.
    with django_assert_num_queries(0):
        assert health.check_migrations() is None


@pytest.mark.django_db
def test_readyz_reports_pending_migration(client):
    app_label, name = MigrationLoader(connection).graph.leaf_nodes("games")[0]
    # Rolled back with the test transaction.
    MigrationRecorder(connection).record_unapplied(app_label, name)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == "1 unapplied"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=CLOSED_PORT_REDIS)
def test_broker_check_reports_unreachable_broker():
    assert check_broker().startswith("unreachable: ")


@override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL=CLOSED_PORT_REDIS)
def test_broker_check_skipped_when_eager():
    assert check_broker() is None


def test_broker_check_reaches_redis(redis_only):
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=os.environ["REDIS_URL"]
    ):
        assert check_broker() is None
