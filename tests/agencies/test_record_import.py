"""The import of service records: every bad row named with its number and reasons and nothing
saved while one is bad; the apply saves exactly the rows, submitted, with the importer in the
history; a second import creates nothing; only houses of the importer's scope; the ways a
spreadsheet writes digits and dates; a broken file answered in Persian, never with a 500."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from agencies.record_import import CHANGE_REASON, COLUMNS, service_records_import
from tests.factories import make_record
from tests.samples import csv_bytes, xlsx_bytes

URL = reverse("agencies_panel:import")
TEMPLATE_URL = reverse("agencies_panel:import_template")
HEADER = [column.aliases[0] for column in COLUMNS]


def row(ref, code, agency="", service="ویزیت رایگان پزشک", day="1404/07/09", **counts):
    """A good row: 20 beneficiaries, 8 men and 12 women, 5 children, 10 adults, 5 elderly."""
    values = {"beneficiaries": 20, "male": 8, "female": 12, "children": 5, "adults": 10}
    values.update({"elderly": 5, "households": 6, "disabled": 2, "cost_rials": 1_250_000})
    values.update(counts)
    numbers = [values[name] for name in ("beneficiaries", "male", "female", "children")]
    numbers += [values[name] for name in ("adults", "elderly", "households", "disabled")]
    return [
        ref,
        code,
        agency,
        service,
        day,
        *numbers,
        values["cost_rials"],
        values.get("notes", ""),
    ]


def records_csv(*rows, bom=False) -> bytes:
    return csv_bytes([[str(cell) for cell in r] for r in rows], header=HEADER, bom=bom)


def check(user, data, name="records.csv", apply=False):
    return service_records_import(data=data, filename=name, user=user, apply=apply)


def upload(client, data, name="records.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def apply(client, response):
    return client.post(URL, {"digest": response.context["apply_form"].initial["digest"]})


def imported():
    return ServiceRecord.objects.exclude(external_ref="")


@pytest.fixture
def staff_client(client, people):
    client.force_login(people.staff)
    return client


def test_bad_rows_are_named_with_every_reason_and_nothing_is_saved(program, people):
    data = records_csv(
        row("R-1", program.zarrin.code),
        row("R-2", program.zarrin.code, service="کلاس شنا", female=2),
        row("R-3", program.kowsar.code, day="1404/12/30", beneficiaries="بیست"),
    )
    report = check(people.staff, data)
    assert [r.action for r in report.rows] == ["create", "error", "error"]
    assert report.rows[1].message == (
        "ردیف ۳: نوع خدمت «کلاس شنا» در سامانه نیست؛ نام را از برگهٔ «انواع خدمت» نمونهٔ فایل "
        "بردارید. جمع مردان و زنان (۱۰) با تعداد ذی‌نفعان (۲۰) برابر نیست."
    )
    assert report.rows[2].errors == [
        "«تاریخ ارائه»: اسفند ۱۴۰۴ فقط ۲۹ روز دارد.",
        "«ذی‌نفعان» باید عدد صحیح باشد؛ «بیست» عدد صحیح نیست.",
    ]
    assert check(people.staff, data, apply=True).applied is False
    assert not imported().exists()


def test_the_rules_of_the_record_form_apply(program, people):
    future = "1406/01/01"
    rows = [
        row("R-1", program.zarrin.code, households=21),
        row("R-2", program.zarrin.code, children=4),
        row("R-3", program.zarrin.code, day=future),
        row("R-4", program.zarrin.code, day="1390/01/01"),
        row("R-5", program.zarrin.code, cost_rials=-5),
    ]
    report = check(people.staff, records_csv(*rows))
    assert [r.errors[0] for r in report.rows] == [
        "تعداد خانوارها (۲۱) نمی‌تواند از تعداد ذی‌نفعان (۲۰) بیشتر باشد.",
        "جمع کودکان، بزرگسالان و سالمندان (۱۹) با تعداد ذی‌نفعان (۲۰) برابر نیست.",
        "تاریخ ارائهٔ خدمت نمی‌تواند در آینده باشد.",
        "تاریخ ارائهٔ خدمت نمی‌تواند پیش از آغاز طرح (۱ فروردین ۱۴۰۰) باشد.",
        "«هزینه (ریال)» نمی‌تواند منفی باشد.",
    ]


def test_apply_saves_exactly_the_rows_as_submitted_by_the_importer(staff_client, program, people):
    data = records_csv(
        row("R-1", program.zarrin.code, notes="کارگاه در حسینیهٔ محل"),
        row("R-2", program.kowsar.code, service="کارگاه آموزش مهارت", day="۱۴۰۴/۰۸/۱۲"),
    )
    checked = upload(staff_client, data)
    assert not imported().exists()
    saved = apply(staff_client, checked)
    assert saved.status_code == 302
    records = {r.external_ref: r for r in imported()}
    assert set(records) == {"R-1", "R-2"}
    first, second = records["R-1"], records["R-2"]
    assert first.house == program.emdad_semnan
    assert first.notes == "کارگاه در حسینیهٔ محل"
    assert second.house == program.emdad_shahrud
    assert second.service_type == program.workshop
    assert second.delivered_on == dt.date(2025, 11, 3)
    assert (second.jalali_year, second.jalali_month) == (1404, 8)
    assert {r.status for r in records.values()} == {RecordStatus.SUBMITTED}
    assert {r.created_by for r in records.values()} == {people.staff}
    history = first.history.get()
    assert (history.history_user, history.history_change_reason) == (people.staff, CHANGE_REASON)


def test_a_second_import_of_the_same_file_creates_nothing(staff_client, program, people):
    data = records_csv(row("R-1", program.zarrin.code), row("R-2", program.kowsar.code))
    apply(staff_client, upload(staff_client, data))
    again = upload(staff_client, data)
    report = again.context["report"]
    assert report.summary() == "۰ خدمت تازه، ۲ ردیف پیش‌تر وارد شده"
    assert again.context["apply_form"] is None
    assert imported().count() == 2


def test_a_reference_used_twice_in_the_file_is_an_error(program, people):
    data = records_csv(row("R-1", program.zarrin.code), row("R-1", program.kowsar.code))
    report = check(people.staff, data)
    assert report.rows[0].errors == [
        "«شناسهٔ ردیف» «R-1» در ردیف ۳ هم آمده است؛ شناسهٔ هر ردیف باید یکتا باشد."
    ]


def test_a_copy_of_a_live_record_or_of_another_row_is_refused(program, people):
    existing = make_record(
        house=program.emdad_semnan,
        service_type=program.visit,
        delivered_on=dt.date(2025, 10, 1),
        **dict(beneficiaries=20, male=8, female=12, children=5, adults=10, elderly=5),
        **dict(households=6, disabled=2, cost_rials=1_250_000),
    )
    data = records_csv(
        row("R-1", program.zarrin.code),
        row("R-2", program.kowsar.code),
        row("R-3", program.kowsar.code),
    )
    report = check(people.staff, data)
    assert (
        report.rows[0]
        .errors[0]
        .startswith(
            f"این خدمت پیش‌تر ثبت شده است: خدمت شمارهٔ {existing.pk}".translate(
                str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
            )
        )
    )
    assert report.rows[1].action == "create"
    assert report.rows[2].errors[0].startswith("این ردیف همان ردیف ۳ است")


def test_a_row_naming_another_agencys_house_is_refused(program, people):
    data = records_csv(row("R-1", program.zarrin.code, agency="هلال"))
    report = check(people.staff, data)
    assert report.rows[0].message == (
        "ردیف ۲: خانه هلال در محلهٔ «کوی زرین» (سمنان) از دستگاه دیگری است؛ شما فقط خدمت‌های "
        "خانه‌های امداد را وارد می‌کنید."
    )


def test_a_city_clerk_cannot_import_for_another_city(program, people):
    data = records_csv(row("R-1", program.zarrin.code), row("R-2", program.kowsar.code))
    report = check(people.city_staff, data)
    assert [r.action for r in report.rows] == ["create", "error"]
    assert report.rows[1].errors == [
        "شهر «شاهرود» در محدودهٔ دسترسی شما نیست؛ فقط خدمت‌های شهرهای خودتان را وارد کنید."
    ]


def test_a_coordinator_names_the_agency_of_each_row(program, people):
    without_agency = check(people.coordinator, records_csv(row("R-1", program.zarrin.code)))
    assert without_agency.rows[0].errors == ["«دستگاه» خالی است."]
    data = records_csv(row("R-1", program.zarrin.code, agency="helal"))
    assert check(people.coordinator, data, apply=True).applied
    assert imported().get().house == program.helal_semnan


def test_a_viewer_may_not_import(program, people):
    with pytest.raises(PermissionDenied):
        check(people.viewer, records_csv(row("R-1", program.zarrin.code)))


def test_persian_digits_spelling_variants_and_an_excel_date_cell_are_read(program, people):
    persian = row("۱۲", program.zarrin.code.lower(), service="ويزيت  رايگان‌پزشك", day="۱۴۰۴/۰۷/۰۹")
    persian[5:14] = ["۲۰", "۸", "۱۲", "۵", "۱۰", "۵", "۶", "۲", "۱٬۲۵۰٬۰۰۰"]
    excel = row("13", program.zarrin.name, day=dt.datetime(2025, 10, 2), cost_rials=0)
    excel[5:14] = [20.0, 8, 12, 5, 10, 5, 6, 2, 0]
    taken_for_gregorian = row("14", program.zarrin.code, day=dt.datetime(1404, 7, 11))
    data = xlsx_bytes([persian, excel, taken_for_gregorian], header=HEADER)
    report = check(people.staff, data, name="records.xlsx", apply=True)
    assert report.applied, [r.errors for r in report.rows]
    records = {r.external_ref: r for r in imported()}
    assert records["12"].cost_rials == 1_250_000
    assert records["12"].service_type == program.visit
    assert records["13"].delivered_on == dt.date(2025, 10, 2)
    assert records["14"].delivered_on == dt.date(2025, 10, 3)


def test_a_csv_with_a_byte_order_mark_is_read(program, people):
    data = records_csv(row("R-1", program.zarrin.code), bom=True)
    assert check(people.staff, data).created == 1


def test_a_nul_byte_or_an_overlong_cell_is_answered_in_persian(staff_client, program):
    nul = upload(staff_client, records_csv(row("R-1", program.zarrin.code, notes="a\x00b")))
    assert nul.status_code == 200
    assert nul.context["report"].file_error == "این فایل CSV یا XLSX معتبر نیست."
    long_note = row("R-2", program.zarrin.code, notes="ب" * 2001)
    control = row("R-\x01", program.kowsar.code)
    response = upload(staff_client, records_csv(long_note, control))
    first, second = response.context["report"].rows
    assert first.errors == ["«توضیحات» بیش از ۲۰۰۰ نویسه است (۲۰۰۱ نویسه)؛ آن را کوتاه کنید."]
    assert second.errors[0].startswith("«شناسهٔ ردیف» نویسهٔ نامعتبر")
    assert not imported().exists()


def test_the_page_lists_the_bad_rows_and_offers_them_all_for_download(staff_client, program):
    response = upload(staff_client, records_csv(row("R-1", program.zarrin.code, male=1)))
    assert "ردیف ۲" in response.content.decode()
    errors = staff_client.get(URL, {"errors": response.context["errors_digest"]})
    body = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("2,R-1,جمع مردان و زنان")


def test_the_template_downloads_and_imports_cleanly_once_filled(staff_client, program, people):
    response = staff_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    houses = [tuple(r) for r in workbook["خانه‌ها"].iter_rows(min_row=2, values_only=True)]
    types = [r[0] for r in workbook["انواع خدمت"].iter_rows(min_row=2, values_only=True)]
    assert (program.zarrin.code, "کوی زرین", "سمنان", "امداد", "خانه امداد") in houses
    assert not any(house[3] == "هلال" for house in houses)
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    sheet.append(row("1", houses[0][0], service=types[0]))
    filled = io.BytesIO()
    workbook.save(filled)
    checked = upload(staff_client, filled.getvalue(), name="filled.xlsx")
    assert checked.context["report"].summary() == "۱ خدمت تازه، ۰ ردیف پیش‌تر وارد شده"
    apply(staff_client, checked)
    assert imported().get().created_by == people.staff


def test_the_dry_run_queries_do_not_grow_with_the_rows(
    program, people, django_assert_max_num_queries
):
    few = records_csv(*(row(f"R-{n}", program.zarrin.code, cost_rials=n) for n in range(5)))
    many = records_csv(*(row(f"R-{n}", program.kowsar.code, cost_rials=n) for n in range(600)))
    for data in (few, many):
        with django_assert_max_num_queries(12):
            assert check(people.staff, data).is_valid
