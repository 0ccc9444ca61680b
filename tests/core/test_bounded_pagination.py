"""Long lists page at a cost that does not grow with them (core.pagination.BoundedPaginator):
at most `limit` rows are counted and reached, the page says there are more, and each page
shows its rows in the list's order."""

import datetime as dt

import pytest

from core.pagination import BoundedPaginator
from tests.factories import StaffRole, make_record, make_user

pytestmark = pytest.mark.django_db

LIST = "/panel/records/"


@pytest.fixture
def fifteen_records():
    return [make_record(delivered_on=dt.date(2025, 1, 1) + dt.timedelta(days=n)) for n in range(15)]


@pytest.fixture
def coordinator(client):
    client.force_login(make_user(role=StaffRole.COORDINATOR))
    return client


def test_a_list_longer_than_the_limit_says_so_and_pages_up_to_it(
    coordinator, fifteen_records, monkeypatch, settings
):
    monkeypatch.setattr(BoundedPaginator, "limit", 10)

    page = coordinator.get(LIST)
    html = page.content.decode()
    assert "بیش از ۱۰ خدمت" in html
    assert page.context["paginator"].num_pages == 1  # 25 a page: the ten reachable rows

    newest_first = sorted(fifteen_records, key=lambda r: (r.delivered_on, r.pk), reverse=True)
    assert [r.pk for r in page.context["records"]] == [r.pk for r in newest_first[:10]]


def test_a_list_within_the_limit_counts_exactly(coordinator, fifteen_records, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "limit", 15)

    html = coordinator.get(LIST).content.decode()

    assert "۱۵ خدمت" in html
    assert "بیش از" not in html


def test_pages_keep_the_lists_order_past_the_first(fifteen_records):
    from agencies.models import ServiceRecord

    records = ServiceRecord.objects.alive().order_by("-delivered_on", "-id")
    paginator = BoundedPaginator(records, 4)

    pages = [[r.pk for r in paginator.page(n).object_list] for n in paginator.page_range]

    assert [pk for page in pages for pk in page] == list(records.values_list("pk", flat=True))
    assert [len(page) for page in pages] == [4, 4, 4, 3]
