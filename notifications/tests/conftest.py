import pytest

from notifications.registry import register

TEST_KIND = "test_note"
register(TEST_KIND, label="Test note", template="Note {number} from {actor}.")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password per user; Argon2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
