import pytest

from core.middleware import MSG_METHOD_NOT_ALLOWED

pytestmark = pytest.mark.django_db


def test_get_on_post_only_url_is_readable(client, user):
    client.force_login(user)

    response = client.get("/notifications/read-all/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert MSG_METHOD_NOT_ALLOWED.format(allowed="POST") in response.content.decode()
