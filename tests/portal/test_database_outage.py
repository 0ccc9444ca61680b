"""While the database does not answer, visitors get a Persian 503 that says to try again soon,
with Retry-After, not a 500 (portal.views.server_error). The outage is real: the connection is
pointed at a database that cannot be opened."""

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction to close under


@pytest.fixture
def database_gone():
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite test database lives in memory and cannot be taken away")
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_a_page_asked_for_while_the_database_is_down_is_a_persian_503(visitor, database_gone):
    response = visitor.get("/news/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "سامانه لحظه‌ای در دسترس نیست" in response.content.decode()


def test_a_form_sent_while_the_database_is_down_is_a_503_too(visitor, database_gone):
    response = visitor.post("/panel/login/", {"username": "ehsan", "password": "x"})

    assert response.status_code == 503


def test_the_health_check_says_so_in_its_own_words(visitor, database_gone):
    response = visitor.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_any_other_fault_is_still_our_500(rf):
    from portal.views import server_error

    try:
        raise ValueError("a fault of the code, not of the database")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Retry-After" not in response
