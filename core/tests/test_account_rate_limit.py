import pytest

from core.views import ACCOUNT_RETRY_AFTER_SECONDS, MSG_ACCOUNT_RATE_LIMITED

pytestmark = pytest.mark.django_db


def test_repeated_logins_get_readable_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    data = {"login": "nobody@example.com", "password": "wrong-password"}
    statuses = [client.post("/accounts/login/", data).status_code for _ in range(2)]

    assert statuses == [200, 200]
    response = client.post("/accounts/login/", data)
    assert response.status_code == 429
    assert response["Retry-After"] == str(ACCOUNT_RETRY_AFTER_SECONDS)
    assert MSG_ACCOUNT_RATE_LIMITED in response.content.decode()
