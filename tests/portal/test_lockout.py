"""The login lockout behind a proxy: every request reaches Django from 127.0.0.1 and the
visitor's address comes in X-Real-IP, as with the documented nginx. Failures count per account
and address together, so a stranger can lock neither everyone nor a colleague out."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.factories import StaffRole, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "گذرواژهٔ-درست-۱۴۰۵"
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"


@pytest.fixture
def maryam():
    user = make_user(username="maryam", role=StaffRole.COORDINATOR)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, username, password, address, url="/panel/login/"):
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=address,
    )


def _lock(client, username, address):
    for _ in range(5):
        _login(client, username, "wrong-guess", address)


def test_five_wrong_passwords_lock_that_account_from_that_address(client, maryam):
    _lock(client, "maryam", ATTACKER)
    response = _login(client, "maryam", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "ورود به آن از این دستگاه تا پانزده دقیقهٔ دیگر ممکن نیست" in response.content.decode()


def test_the_owner_still_signs_in_from_her_own_address(client, maryam):
    _lock(client, "maryam", ATTACKER)
    response = _login(client, "maryam", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert response.url == "/panel/"


def test_other_accounts_stay_open_from_the_attackers_address(client, maryam):
    _lock(client, "someone-else", ATTACKER)
    assert _login(client, "maryam", PASSWORD, ATTACKER).status_code == 302


def test_the_admin_login_shares_the_rule(client, maryam):
    maryam.is_staff = True
    maryam.save()
    _lock(client, "maryam", ATTACKER)
    assert _login(client, "maryam", PASSWORD, ATTACKER, "/admin/login/").status_code == 429
    assert _login(client, "maryam", PASSWORD, OFFICE, "/admin/login/").status_code == 302


def test_the_attempts_are_kept_under_the_visitors_address_not_the_proxys(client, maryam):
    _login(client, "maryam", "wrong-guess", ATTACKER)
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_the_lock_lifts_after_fifteen_minutes(client, maryam):
    _lock(client, "maryam", ATTACKER)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _login(client, "maryam", PASSWORD, ATTACKER).status_code == 302
