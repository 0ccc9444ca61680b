"""The staff panel tells coordinators that demo data is present, and how to remove it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from tests.factories import StaffRole, make_user

NOTICE = "python manage.py purge_demo --apply"


def demo_queries(queries):
    return [query for query in queries if "demo_demorow" in query["sql"]]


def test_coordinators_see_the_notice_on_every_panel_page(demo_data, client):
    client.force_login(make_user(role=StaffRole.COORDINATOR))

    for name in ("agencies_panel:list", "exhibition_panel:index", "neighbourhoods_panel:import"):
        assert NOTICE in client.get(reverse(name)).content.decode(), name
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("portal:panel"))
    assert NOTICE in page.content.decode()
    assert len(demo_queries(queries)) == 1


def test_public_pages_never_show_the_notice(demo_data, client):
    client.force_login(make_user(role=StaffRole.COORDINATOR))

    assert NOTICE not in client.get(reverse("portal:home")).content.decode()


def test_clerks_neither_see_the_notice_nor_pay_for_it(demo_data, client):
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=Agency.objects.get(slug="ehsan"))
    client.force_login(clerk)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("portal:panel"))

    assert NOTICE not in page.content.decode()
    assert not demo_queries(queries)
