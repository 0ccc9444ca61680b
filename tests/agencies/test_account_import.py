"""The import of accounts: the dry run writes nothing, the apply creates all rows or none and
shows the passwords once, a supervisor's file is held to their agency, a re-import changes
nothing, and every bad cell has its Persian reason."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.account_import import MAX_ROWS, account_import
from agencies.models import StaffMembership
from tests.factories import StaffRole
from tests.samples import csv_bytes, xlsx_bytes

User = get_user_model()
URL = reverse("accounts_panel:import")
APPLY_URL = reverse("accounts_panel:import_apply")
TEMPLATE_URL = reverse("accounts_panel:import_template")
HEADER = ["نام", "نام خانوادگی", "نام کاربری", "نقش", "دستگاه", "شهرها", "ایمیل"]
CLERK = ["سارا", "محمدی", "emdad.mohammadi", "کارشناس دستگاه", "emdad", "سمنان، شاهرود", ""]
SECOND = ["نرگس", "یزدانی", "emdad.yazdani", "agency_staff", "خانه امداد", "", "n@example.ir"]
PASSWORD_SHOWN = re.compile(r'class="[^"]*temporary-password[^"]*"[^>]*>([^<]+)<')


def upload(client, data, name="accounts.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def apply(client, response):
    return client.post(APPLY_URL, {"digest": response.context["apply_form"].initial["digest"]})


def accounts_file(*rows):
    return csv_bytes(list(rows), header=HEADER)


def imported():
    return set(
        User.objects.filter(username__startswith="emdad.").values_list("username", flat=True)
    )


@pytest.fixture
def coordinator_client(client, people):
    client.force_login(people.coordinator)
    return client


def test_the_dry_run_writes_nothing_and_apply_shows_each_password_once(coordinator_client, program):
    checked = upload(coordinator_client, accounts_file(CLERK, SECOND))
    report = checked.context["report"]
    assert [row.action for row in report.rows] == ["create", "create"]
    assert imported() == set()

    applied = apply(coordinator_client, checked)
    passwords = PASSWORD_SHOWN.findall(applied.content.decode())
    assert "no-store" in applied["Cache-Control"]
    assert len(set(passwords)) == 2
    clerk = User.objects.get(username="emdad.mohammadi")
    assert clerk.check_password(passwords[0])
    assert set(clerk.membership.cities.all()) == {program.semnan, program.shahrud}
    assert clerk.membership.must_change_password
    assert clerk.membership.history.latest().history_change_reason == "بارگذاری فهرست حساب‌ها"
    assert User.objects.get(username="emdad.yazdani").email == "n@example.ir"
    # The file is forgotten: the same apply again saves nothing twice.
    assert apply(coordinator_client, checked).status_code == 302


def test_one_bad_row_and_nothing_is_created(coordinator_client, program, people):
    bad = ["علی", "رضایی", "emdad.rezaei", "کارشناس دستگاه", "emdad", "تهران", ""]
    report = upload(coordinator_client, accounts_file(CLERK, bad)).context["report"]
    assert report.rows[1].errors == ["شهر «تهران» در سامانه نیست."]
    assert report.bad == 1
    outcome = account_import(
        data=accounts_file(CLERK, bad), filename="a.csv", user=people.coordinator, apply=True
    )
    assert outcome.applied is False
    assert imported() == set()


def test_apply_is_all_or_nothing_when_the_database_refuses_a_row(coordinator_client, program):
    checked = upload(coordinator_client, accounts_file(CLERK, SECOND))
    # Someone takes the second username between the dry run and the apply.
    User.objects.create_user(username="emdad.yazdani")
    again = apply(coordinator_client, checked)
    assert again.status_code == 200
    assert again.context["report"].applied is False
    assert imported() == {"emdad.yazdani"}


def test_a_supervisors_file_with_another_agencys_row_is_refused(client, program, people):
    client.force_login(people.supervisor)
    helal = ["رضا", "کاظمی", "helal.kazemi", "کارشناس دستگاه", "helal", "", ""]
    boss = ["زهره", "نیک", "emdad.nik", "هماهنگ‌کنندهٔ استانی", "", "", ""]
    report = upload(client, accounts_file(CLERK, helal, boss)).context["report"]
    assert [row.action for row in report.rows] == ["create", "error", "error"]
    assert report.rows[1].errors == ["فقط حساب‌های دستگاه خودتان را می‌توانید بسازید یا تغییر دهید."]
    assert "نقش «هماهنگ‌کنندهٔ استانی» را نمی‌توانید بدهید" in report.rows[2].errors[0]
    assert report.is_valid is False
    assert not User.objects.filter(username__in=["emdad.mohammadi", "helal.kazemi"]).exists()


def test_a_supervisor_may_leave_the_agency_out(client, program, people):
    client.force_login(people.supervisor)
    row = ["سارا", "محمدی", "emdad.mohammadi", "کارشناس دستگاه", "", "", ""]
    apply(client, upload(client, accounts_file(row)))
    assert User.objects.get(username="emdad.mohammadi").membership.agency == program.emdad


def test_importing_the_same_file_again_changes_nothing(coordinator_client, program, people):
    apply(coordinator_client, upload(coordinator_client, accounts_file(CLERK, SECOND)))
    clerk = User.objects.get(username="emdad.mohammadi")
    rows = StaffMembership.history.model.objects.count()
    changed = ["سارا", "محمدی", "EMDAD.MOHAMMADI", "ناظر (فقط خواندن)", "", "", ""]
    again = upload(coordinator_client, accounts_file(changed, SECOND))
    report = again.context["report"]
    assert [row.action for row in report.rows] == ["present", "present"]
    assert again.context["apply_form"] is None
    assert "حساب تازه‌ای ساخته نمی‌شود" in again.content.decode()
    assert StaffMembership.history.model.objects.count() == rows
    clerk.refresh_from_db()
    assert clerk.membership.role == StaffRole.AGENCY_STAFF


def test_a_username_of_someone_else_or_twice_in_the_file_is_a_row_error(client, program, people):
    client.force_login(people.supervisor)
    taken = ["رضا", "کریمی", "helal_staff", "کارشناس دستگاه", "", "", ""]
    report = upload(client, accounts_file(taken, CLERK, CLERK)).context["report"]
    assert report.rows[0].errors == [
        "نام کاربری «helal_staff» را حساب دیگری دارد؛ نام دیگری بنویسید."
    ]
    assert report.rows[1].errors == ["نام کاربری «emdad.mohammadi» در ردیف ۴ هم آمده است."]


@pytest.mark.parametrize(
    "cells, reason",
    [
        ({3: "مدیر کل"}, "نقش «مدیر کل» شناخته نشد"),
        ({4: "سپاه"}, "دستگاه «سپاه» در سامانه نیست."),
        ({2: "علی رضا"}, "نام کاربری فقط حرف کوچک لاتین"),
        ({2: "a" * 300}, "نام کاربری بیش از ۴۰ نویسه است"),
        ({0: ""}, "«نام» را بنویسید."),
        ({6: "not-an-email"}, "نشانی ایمیل درستی نیست"),
        ({3: "ناظر", 5: ""}, "نقش «ناظر (فقط خواندن)» به دستگاهی وابسته نیست"),
        ({3: "مسئول استانی دستگاه"}, "محدود کردن به چند شهر فقط برای «کارشناس دستگاه»"),
    ],
)
def test_each_bad_cell_has_its_reason(coordinator_client, program, cells, reason):
    row = list(CLERK)
    for index, value in cells.items():
        row[index] = value
    report = upload(coordinator_client, accounts_file(row)).context["report"]
    assert report.rows[0].action == "error"
    assert any(reason in error for error in report.rows[0].errors), report.rows[0].errors


def test_a_nul_byte_makes_the_file_unreadable_not_a_server_error(coordinator_client, program):
    row = [*CLERK[:2], "ab\x00cd", *CLERK[3:]]
    response = upload(coordinator_client, accounts_file(row))
    assert response.context["report"].file_error == "این فایل CSV یا XLSX معتبر نیست."


def test_xlsx_files_are_read_too(coordinator_client, program):
    data = xlsx_bytes([CLERK], header=HEADER)
    report = upload(coordinator_client, data, name="accounts.xlsx").context["report"]
    assert [row.action for row in report.rows] == ["create"]


def test_a_file_of_too_many_rows_is_refused_whole(coordinator_client, program):
    rows = [
        ["نام", "خانواده", f"emdad.u{n}", "کارشناس دستگاه", "emdad", "", ""]
        for n in range(MAX_ROWS + 1)
    ]
    report = upload(coordinator_client, accounts_file(*rows)).context["report"]
    assert "حداکثر ۵۰ حساب" in report.file_error


def test_the_template_has_the_persian_headers(coordinator_client, program):
    response = coordinator_client.get(TEMPLATE_URL)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "کارشناس دستگاه" in text


def test_the_import_is_for_those_who_manage_accounts(client, people):
    client.force_login(people.staff)
    assert client.get(URL).status_code == 403
    assert client.post(APPLY_URL, {"digest": "0" * 64}).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
