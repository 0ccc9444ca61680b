"""An over-long username on either login form is a Persian form error, not a 500: it never
reaches authentication, so django-axes never tries to store it in its 255-character column."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LONG = "ن" * 300


@pytest.mark.parametrize("url", ["/panel/login/", "/admin/login/"])
def test_an_over_long_username_is_refused_before_authentication(client, url):
    response = client.post(url, {"username": LONG, "password": "whatever-1405"})
    assert response.status_code == 200
    assert "نام کاربری بیش از ۱۵۰ نویسه نیست" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_counted(client):
    from tests.factories import make_user

    user = make_user(role=None)
    response = client.post("/panel/login/", {"username": user.username, "password": "wrong-1405"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == user.username
