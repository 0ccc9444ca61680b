"""The Django admin in Persian all through: numbers, dates, filters, inputs and history (#15)."""

import datetime as dt
import re
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, ServiceRecord
from core.admin import PersianAdminMixin
from core.jalali import format_date, to_gregorian, to_jalali
from tests.factories import make_agency, make_article, make_comment, make_neighbourhood, make_record

pytestmark = pytest.mark.django_db

COUNT_FIELDS = [
    "beneficiaries", "male", "female", "children", "adults", "elderly", "households",
    "disabled", "cost_rials", "notes",
]  # fmt: skip


def changelist(client, url_name, **params) -> str:
    return client.get(reverse(f"admin:{url_name}_changelist"), params).content.decode()


def record_form_data(record, **changes) -> dict:
    data = {name: getattr(record, name) for name in COUNT_FIELDS}
    data |= {
        "house": record.house_id,
        "service_type": record.service_type_id,
        "delivered_on": format_date(record.delivered_on),
        "version": record.version,
    }
    return data | changes


def filter_link(html: str, label: str) -> str:
    """The query string of the sidebar filter link a person would click, by its text."""
    match = re.search(rf'<a href="(\?[^"]*)"[^>]*>\s*{re.escape(label)}\s*</a>', html)
    assert match, f"no filter link «{label}»"
    return unescape(match.group(1))


def listed_ids(html: str, model: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf"/admin/[a-z]+/{model}/(\d+)/change/", html)}


# --- Change lists ---------------------------------------------------------------------------


def test_change_list_shows_amounts_grouped_in_persian_digits(admin_client):
    make_record(cost_rials=30_360_000)
    html = changelist(admin_client, "agencies_servicerecord")
    assert "۳۰٬۳۶۰٬۰۰۰" in html
    assert "30360000" not in html


def test_numbers_that_name_something_get_no_separator(admin_client):
    make_record(delivered_on=dt.date(2025, 10, 1))  # Jalali year 1404
    html = changelist(admin_client, "agencies_servicerecord")
    sidebar = re.sub(r"<[^>]+>", "", html[html.index('id="changelist-filter"') :])
    assert "۱۴۰۴" in sidebar
    assert "۱٬۴۰۴" not in sidebar
    assert "1404" not in sidebar  # only in the links' addresses


def test_change_list_pages_and_count_are_persian(admin_client, monkeypatch):
    for _ in range(3):
        make_agency()
    monkeypatch.setattr(admin.site._registry[Agency], "list_per_page", 1)
    html = changelist(admin_client, "agencies_agency")
    paginator = html[html.index('class="paginator"') :]
    paginator = paginator[: paginator.index("</p>")]
    assert '<span class="this-page">۱</span>' in paginator
    assert ">۳</a>" in paginator
    assert f"{Agency.objects.count()}" not in re.sub(r"<[^>]+>", "", paginator)


def test_every_admin_with_number_or_date_columns_is_persian():
    numeric_or_date = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.list_display:
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: S112 - methods and "__str__" are not fields
                continue
            if field.get_internal_type().endswith(("IntegerField", "DecimalField", "DateField")):
                numeric_or_date.append(model_admin)
                break
    assert numeric_or_date
    assert [a for a in numeric_or_date if not isinstance(a, PersianAdminMixin)] == []


# --- Date filters -----------------------------------------------------------------------------


def _this_jalali_month_first_day() -> dt.date:
    today = to_jalali(timezone.localdate())
    return to_gregorian(today.year, today.month, 1)


def test_month_filter_is_the_jalali_month_for_dates(admin_client):
    first = _this_jalali_month_first_day()
    inside = make_record(delivered_on=first)
    before = make_record(delivered_on=first - dt.timedelta(days=1))
    html = changelist(admin_client, "agencies_servicerecord")
    month = filter_link(html, f"این ماه ({format_date(first, 'long').split()[1]})")
    filtered = admin_client.get(reverse("admin:agencies_servicerecord_changelist") + month)
    ids = listed_ids(filtered.content.decode(), "servicerecord")
    assert inside.pk in ids
    assert before.pk not in ids


def test_month_filter_is_the_jalali_month_in_tehran_time(admin_client, tehran_time):
    first = _this_jalali_month_first_day()
    midnight = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    article = make_article()
    inside = make_comment(article=article, created_at=midnight + dt.timedelta(minutes=10))
    before = make_comment(article=article, created_at=midnight - dt.timedelta(minutes=10))
    html = changelist(admin_client, "news_comment")
    month = filter_link(html, f"این ماه ({format_date(first, 'long').split()[1]})")
    filtered = admin_client.get(reverse("admin:news_comment_changelist") + month)
    ids = listed_ids(filtered.content.decode(), "comment")
    assert inside.pk in ids
    assert before.pk not in ids


def test_year_filter_starts_on_farvardin_first(admin_client):
    today = to_jalali(timezone.localdate())
    nowruz = to_gregorian(today.year, 1, 1)
    inside = make_record(delivered_on=nowruz)
    before = make_record(delivered_on=nowruz - dt.timedelta(days=1))
    html = changelist(admin_client, "agencies_servicerecord")
    year = filter_link(html, f"امسال ({format_date(nowruz, 'long').split()[2]})")
    filtered = admin_client.get(reverse("admin:agencies_servicerecord_changelist") + year)
    ids = listed_ids(filtered.content.decode(), "servicerecord")
    assert (inside.pk in ids, before.pk in ids) == (True, False)


# --- Number inputs ----------------------------------------------------------------------------


def test_numbers_typed_in_persian_digits_are_saved(admin_client):
    record = make_record(beneficiaries=12, cost_rials=1000)
    url = reverse("admin:agencies_servicerecord_change", args=[record.pk])
    form = admin_client.get(url).content.decode()
    cost_input = re.search(r'<input[^>]*name="cost_rials"[^>]*>', form).group(0)
    assert 'type="text"' in cost_input and 'inputmode="numeric"' in cost_input
    data = record_form_data(record, beneficiaries="۱۲", cost_rials="۳۰٬۳۶۰٬۰۰۰")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert (record.beneficiaries, record.cost_rials) == (12, 30_360_000)


def test_a_number_that_is_not_one_gets_a_persian_error(admin_client):
    record = make_record()
    url = reverse("admin:agencies_servicerecord_change", args=[record.pk])
    response = admin_client.post(url, record_form_data(record, cost_rials="۱۲الف"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "لطفاً یک عدد صحیح وارد کنید." in html
    assert "لطفاً خطای زیر را درست کنید." in html
    assert "Please correct" not in html


def test_a_decimal_typed_in_persian_digits_is_saved(admin_client):
    neighbourhood = make_neighbourhood()
    url = reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk])
    data = {
        "city": neighbourhood.city_id,
        "name": neighbourhood.name,
        "code": neighbourhood.code,
        "population": "۱۰٬۴۰۰",
        "households": "",
        "latitude": "۳۵٫۵۶۵۰۸۹",
        "longitude": "",
        "description": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    neighbourhood.refresh_from_db()
    assert (neighbourhood.population, str(neighbourhood.latitude)) == (10_400, "35.565089")


def test_django_length_message_has_persian_digits(admin_client):
    neighbourhood = make_neighbourhood()
    url = reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk])
    data = {"city": neighbourhood.city_id, "name": "م" * 151, "code": neighbourhood.code}
    html = admin_client.post(url, data).content.decode()
    errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert "حداکثر ۱۵۰ کاراکتر" in errors
    assert "۱۵۱" in errors
    assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", "", errors))


# --- History ----------------------------------------------------------------------------------


def test_service_record_history_is_jalali_and_persian(admin_client):
    record = make_record(cost_rials=1000)
    url = reverse("admin:agencies_servicerecord_change", args=[record.pk])
    response = admin_client.post(url, record_form_data(record, cost_rials="۳۰٬۳۶۰٬۰۰۰"))
    assert response.status_code == 302
    history = admin_client.get(reverse("admin:agencies_servicerecord_history", args=[record.pk]))
    html = history.content.decode()
    today = format_date(timezone.localdate(), "long")
    assert today in html  # «۱۲ آذر ۱۴۰۵، ساعت …»
    assert "هزینه (ریال):</strong> <bdi>۱٬۰۰۰</bdi> ← <bdi>۳۰٬۳۶۰٬۰۰۰</bdi>" in html
    for english in ("None", "Changes", "Date/time", "Changed by", "Object", "entries"):
        assert english not in html
    assert ServiceRecord.history.filter(id=record.pk).count() == 2


def test_django_history_page_is_jalali(admin_client):
    agency = make_agency()
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    data = {
        field: getattr(agency, field)
        for field in ("name", "short_name", "house_name", "slug", "colour")
    }
    response = admin_client.post(url, data | {"order": "۷"})
    assert response.status_code == 302, response.content.decode()[:2000]
    html = admin_client.get(reverse("admin:agencies_agency_history", args=[agency.pk]))
    html = html.content.decode()
    assert format_date(timezone.localdate(), "long") in html
    assert "۱ مورد" in html
    agency.refresh_from_db()
    assert agency.order == 7


def test_login_attempts_list_is_jalali_and_persian(admin_client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    AccessAttempt.objects.create(
        username="clerk", ip_address="10.0.0.7", user_agent="test", http_accept="*/*",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=3,
    )  # fmt: skip
    html = changelist(admin_client, "axes_accessattempt")
    assert format_date(timezone.localdate(), "long") in html
    assert "۲ تلاش مانده" in html
    assert "Locked Out" not in html and "Attempt Remaining" not in html
