"""Every model registered in the Django admin opens its list and add form, in Persian."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import make_record

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)
# django-axes keeps its login records read-only (its admins refuse adding), as do the household
# admins (households are registered in the staff panel, which asks for consent and logs it; the
# access log is written only by the pages); every other admin, ServiceRecord's included (it
# refuses only deleting), has an add form.
READ_ONLY = {
    ("axes", "accessattempt"),
    ("axes", "accesslog"),
    ("axes", "accessfailurelog"),
    ("agencies", "household"),
    ("agencies", "householdaccess"),
}


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_changelist_and_add_form_open(admin_client, app_label, model_name):
    make_record()  # some program data so list pages render rows, not only the empty state
    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    assert 'dir="rtl"' in changelist.content.decode()
    add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == (403 if (app_label, model_name) in READ_ONLY else 200)


def test_read_only_admins_are_still_registered():
    # Otherwise READ_ONLY would name admins that are gone, and check nothing.
    assert set(REGISTERED) >= READ_ONLY


def test_admin_shows_service_dates_in_jalali(admin_client):
    record = make_record()
    html = admin_client.get(reverse("admin:agencies_servicerecord_changelist")).content.decode()
    assert "۱۴۰۴/۰۷/۰۹" in html  # 2025-10-01
    change = admin_client.get(reverse("admin:agencies_servicerecord_change", args=[record.pk]))
    assert "۹ مهر ۱۴۰۴" in change.content.decode()


def test_admin_search_finds_neighbourhood_by_name(admin_client):
    record = make_record()
    name = record.house.neighbourhood.name
    response = admin_client.get(
        reverse("admin:neighbourhoods_neighbourhood_changelist"), {"q": name}
    )
    assert name in response.content.decode()


def test_admin_takes_service_dates_in_jalali(admin_client):
    record = make_record()
    url = reverse("admin:agencies_servicerecord_change", args=[record.pk])
    form = admin_client.get(url).content.decode()
    assert 'value="۱۴۰۴/۰۷/۰۹"' in form
    data = {
        field: getattr(record, field)
        for field in [
            "beneficiaries", "male", "female", "children", "adults", "elderly",
            "households", "disabled", "cost_rials", "notes",
        ]
    }  # fmt: skip
    data |= {
        "house": record.house_id,
        "service_type": record.service_type_id,
        "version": record.version,
    }
    data["delivered_on"] = "۱۴۰۴/۰۸/۰۱"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert str(record.delivered_on) == "2025-10-23"
    assert (record.jalali_year, record.jalali_month) == (1404, 8)
    assert record.version == 2
    assert record.history.first().history_user.username == "admin"


def test_the_admin_index_names_every_app_in_persian(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "ورودهای ناموفق و قفل حساب‌ها" in html
    assert "برچسب‌ها" in html
    for latin in ("Axes", "AXES", "Taggit", "TAGGIT"):
        assert latin not in html
