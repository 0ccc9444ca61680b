"""No household's national ID or name leaks: not on a public page, a feed, the sitemap, the
public CSV or JSON, a staff export, a Django admin list, nor in a log line written while
staff look households up and list them on records.

The test households have known IDs and names; every answer is searched for them, in Latin and
in Persian digits.
"""

import logging

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from agencies.models import ServiceRecord
from core.digits import to_persian_digits
from tests.factories import (
    StaffRole,
    link_households,
    make_household,
    make_user,
    valid_national_id,
)

pytestmark = pytest.mark.django_db

NAMES = ("فاطمه رازپوش", "حسن کم‌پیدا")


@pytest.fixture
def private(places):
    """Two identified households of «کوی زرین», each listed on an approved public record."""
    households = [
        make_household(
            neighbourhood=places.zarrin,
            agency=places.agencies["emdad"],
            national_id=valid_national_id(7_310_000 + n),
            name=name,
            members=5,
            member_ids=[valid_national_id(7_320_000 + n)],
        )
        for n, name in enumerate(NAMES)
    ]
    record = ServiceRecord.objects.filter(house=places.houses["emdad"]).order_by("pk").first()
    link_households(record, *households)
    secrets = [*NAMES]
    for household in households:
        for value in (household.national_id, *(m.national_id for m in household.member_ids.all())):
            secrets += [value, to_persian_digits(value)]
    return secrets


def _leaks(text: str, secrets) -> list[str]:
    return [secret for secret in secrets if secret in text]


def _public_urls(places):
    urls = [
        reverse("portal:home"),
        reverse("neighbourhoods:index"),
        reverse("neighbourhoods:detail", args=[places.zarrin.code]),
        reverse("agencies:index"),
        reverse("agencies:detail", args=["emdad"]),
        reverse("statistics:index"),
        reverse("statistics:csv"),
        reverse("statistics:json"),
        reverse("news:feed_rss"),
        reverse("news:feed_atom"),
        "/sitemap.xml",
    ]
    return urls


def test_no_public_page_feed_sitemap_or_download_shows_an_id_or_name(client, places, private):
    for url in _public_urls(places):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert _leaks(body.decode(), private) == [], url


def test_no_admin_list_page_shows_an_id_or_name(client, places, private):
    client.force_login(make_user(superuser=True))
    for model in admin.site._registry:
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.content.decode(), private) == [], url


def test_staff_exports_of_records_show_no_id_or_name(client, places, private):
    client.force_login(make_user(role=StaffRole.COORDINATOR))
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("agencies_panel:export", args=[fmt]))
        assert response.status_code == 200
        body = b"".join(response) if response.streaming else response.content
        if fmt == "csv":
            assert _leaks(body.decode("utf-8-sig"), private) == []


def test_no_log_line_written_while_staff_use_households_shows_an_id_or_name(
    client, places, private, caplog, form_data_for_places
):
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=places.agencies["emdad"])
    client.force_login(clerk)
    typed = "\n".join(private[2:6:2])  # the first household's head and member, Latin digits
    with caplog.at_level(logging.DEBUG):
        # A record form that fails (counts disagree), one that lists an unknown ID, a 404.
        client.post(reverse("agencies_panel:create"), form_data_for_places(household_ids=typed))
        client.post(
            reverse("agencies_panel:create"),
            form_data_for_places(household_ids=valid_national_id(7_399_999)),
        )
        client.get("/panel/households/999999/")
    assert caplog.records, "the requests should have logged something (a 404 at least)"
    assert _leaks(caplog.text, [*private, valid_national_id(7_399_999)]) == []


@pytest.fixture
def form_data_for_places(places):
    def build(**overrides):
        data = {
            "house": str(places.houses["emdad"].pk),
            "service_type": str(places.visit.pk),
            "delivered_on": "۱۴۰۴/۰۷/۰۹",
            "beneficiaries": "۲۰",
            "male": "۱۰",
            "female": "۱۰",
            "children": "۵",
            "adults": "۱۰",
            "elderly": "۵",
            "households": "۶",
            "disabled": "۰",
        }
        return data | overrides

    return build


def test_an_error_report_of_the_record_form_masks_the_typed_ids(
    client, places, private, form_data_for_places
):
    """What Django mails or logs about a failing request (the POST data) hides the IDs."""
    from django.views.debug import SafeExceptionReporterFilter

    client.force_login(make_user(role=StaffRole.AGENCY_STAFF, agency=places.agencies["emdad"]))
    response = client.post(
        reverse("agencies_panel:create"), form_data_for_places(household_ids=private[2])
    )
    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert shown["household_ids"] == "********************"
    assert shown["house"] == str(places.houses["emdad"].pk)
