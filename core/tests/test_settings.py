import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

PRINT_SETTINGS = (
    "import config.settings as s; print(s.DEBUG, s.SECRET_KEY, s.ALLOWED_HOSTS)"
)
PRODUCTION_KEY = "production-secret-key-for-the-settings-test"


def _import_settings(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "ALLOWED_HOSTS",
            "ALLOWED_HOSTS_FILE",
        }
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_requires_secret_key():
    result = _import_settings(DEBUG="0", ALLOWED_HOSTS="teams.example.com")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is missing." in result.stderr


def test_production_requires_allowed_hosts():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS is missing." in result.stderr


def test_production_starts_with_both():
    result = _import_settings(
        DEBUG="0", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="teams.example.com"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", PRODUCTION_KEY, "['teams.example.com']"]


def test_production_reads_secret_key_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION_KEY + "\n")

    result = _import_settings(
        DEBUG="0", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="teams.example.com"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == PRODUCTION_KEY


def test_debug_starts_without_secrets():
    result = _import_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


@pytest.mark.django_db
def test_migrations_committed():
    # makemigrations --check exits with status 1 when a model change has no
    # migration file.
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited with {exit_.code}")


def test_deploy_check_clean_in_production():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DELTACROWN_TESTING"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x7Qp2" * 8,
        ALLOWED_HOSTS="teams.example.com",
    )

    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
