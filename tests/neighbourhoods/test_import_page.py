"""The staff import page: who may open it, the dry run, the apply step and its safeguards."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import neighbourhood_views as panel_views
from neighbourhoods.models import Neighbourhood
from tests.samples import GOOD_ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/panel/neighbourhoods/import/"
APPLY_URL = "/panel/neighbourhoods/import/apply/"
TEMPLATE_URL = "/panel/neighbourhoods/import/template.csv"


def upload(client, data, name="list.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def apply(client, response):
    digest = response.context["apply_form"].initial["digest"]
    return client.post(APPLY_URL, {"digest": digest}, follow=True)


@pytest.fixture
def coordinator_client(client, importers):
    client.force_login(importers.coordinator)
    return client


def test_anonymous_visitor_is_sent_to_login(client):
    for url in (URL, TEMPLATE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/panel/login/")
    assert client.post(APPLY_URL, {"digest": "0" * 64}).status_code == 302


@pytest.mark.parametrize("who", ["viewer", "agency_staff", "outsider"])
def test_staff_who_do_not_keep_the_whole_province_get_403(client, importers, cities, who):
    client.force_login(getattr(importers, who))
    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert client.post(APPLY_URL, {"digest": "0" * 64}).status_code == 403
    assert Neighbourhood.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_coordinator_and_superuser_see_the_page_and_the_nav_link(client, importers, who):
    client.force_login(getattr(importers, who))
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "بارگذاری فهرست محله‌ها" in html
    assert f'href="{TEMPLATE_URL}"' in html
    assert f'href="{URL}"' in client.get("/panel/").content.decode()


@pytest.mark.parametrize("who", ["viewer", "agency_staff"])
def test_others_do_not_see_the_nav_link(client, importers, who):
    client.force_login(getattr(importers, who))
    assert f'href="{URL}"' not in client.get("/panel/").content.decode()


def test_dry_run_lists_every_row_and_writes_nothing(coordinator_client, cities, good_csv):
    response = upload(coordinator_client, good_csv)
    html = response.content.decode()
    assert response.status_code == 200
    assert Neighbourhood.objects.count() == 0
    assert html.count('class="import-create"') == 3
    assert "ایجاد: ۳" in html
    assert "۴۲۰۰" in html  # cells are echoed in Persian digits
    assert "ذخیرهٔ فهرست" in html


def test_apply_saves_the_checked_file_and_says_so(coordinator_client, cities, good_csv):
    checked = upload(coordinator_client, good_csv)
    response = apply(coordinator_client, checked)
    assert response.redirect_chain[-1][0] == URL
    assert Neighbourhood.objects.filter(is_demo=False).count() == 3
    assert "فهرست محله‌ها ذخیره شد: ۳ محلهٔ تازه" in response.content.decode()
    # The stored file is used once; a second apply finds nothing to save.
    again = coordinator_client.post(
        APPLY_URL, {"digest": checked.context["apply_form"].initial["digest"]}, follow=True
    )
    assert "دیگر در دسترس نیست" in again.content.decode()


def test_xlsx_is_checked_and_applied_through_the_page(coordinator_client, cities):
    checked = upload(coordinator_client, xlsx_bytes(GOOD_ROWS), name="list.xlsx")
    assert checked.context["report"].created == 3
    apply(coordinator_client, checked)
    assert Neighbourhood.objects.count() == 3


def test_bad_rows_are_shown_with_reasons_and_no_apply_button(coordinator_client, cities):
    rows = [GOOD_ROWS[0], ["تهران", "الف", "X-1", "صد", "", "", ""]]
    response = upload(coordinator_client, csv_bytes(rows))
    html = response.content.decode()
    assert response.context["apply_form"] is None
    assert "شهر «تهران» در سامانه نیست" in html
    assert "«جمعیت» باید عدد صحیح باشد" in html
    assert 'class="import-error"' in html
    assert "ذخیرهٔ فهرست" not in html
    assert panel_views.SESSION_KEY not in coordinator_client.session


def test_same_file_again_offers_nothing_to_save(coordinator_client, cities, good_csv):
    apply(coordinator_client, upload(coordinator_client, good_csv))
    response = upload(coordinator_client, good_csv)
    html = response.content.decode()
    assert "بدون تغییر: ۳" in html
    assert "این فایل چیزی را در فهرست محله‌ها تغییر نمی‌دهد" in html
    assert response.context["apply_form"] is None


def test_apply_refuses_a_fingerprint_that_is_not_the_checked_file(
    coordinator_client, cities, good_csv
):
    upload(coordinator_client, good_csv)
    response = coordinator_client.post(APPLY_URL, {"digest": "a" * 64}, follow=True)
    assert "دیگر در دسترس نیست" in response.content.decode()
    assert Neighbourhood.objects.count() == 0


def test_apply_checks_again_against_the_database(coordinator_client, cities, good_csv):
    checked = upload(coordinator_client, good_csv)
    # Meanwhile someone adds the same name under another code in the admin.
    Neighbourhood.objects.create(city=cities.semnan, name="کوی زرین", code="OTHER-1")
    response = apply(coordinator_client, checked)
    html = response.content.decode()
    assert "فایل ذخیره نشد؛ چیزی تغییر نکرد" in html
    assert "با کد «OTHER-1»" in html
    assert Neighbourhood.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.txt", b"abc", "فقط فایل CSV یا XLSX پذیرفته می‌شود."),
        ("list.csv", b"", "فایل خالی است."),
        ("list.xlsx", b"PK\x03\x04broken", "این فایل XLSX معتبر نیست یا آسیب دیده است."),
        ("list.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "فقط فایل CSV یا XLSX"),
        ("list.csv", b"\x00\x01\x02binary", "این فایل CSV یا XLSX معتبر نیست."),
    ],
)
def test_broken_or_unsupported_files_get_a_persian_message(
    coordinator_client, cities, name, data, message
):
    response = upload(coordinator_client, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Neighbourhood.objects.count() == 0


def test_too_large_a_file_is_refused_by_the_form(coordinator_client, cities, monkeypatch):
    monkeypatch.setattr("neighbourhoods.forms.NeighbourhoodFileForm.max_bytes", 10)
    response = upload(coordinator_client, csv_bytes(GOOD_ROWS))
    assert "حجم فایل بیش از" in response.content.decode()


def test_sending_no_file_says_so(coordinator_client):
    response = coordinator_client.post(URL, {})
    assert "فایل را انتخاب کنید." in response.content.decode()


def test_template_download_is_a_utf8_csv_with_persian_headers(coordinator_client):
    response = coordinator_client.get(TEMPLATE_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffشهر,نام محله,کد محله,جمعیت,تعداد خانوار")
