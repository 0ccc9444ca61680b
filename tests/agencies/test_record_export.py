"""The records list exported as XLSX and CSV: the list's filters, the user's scope, and every
cell of a record read back from the file."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.choices import RecordStatus
from tests.core.test_exports import csv_rows, read_csv_bytes, read_xlsx, xlsx_cells
from tests.factories import make_record

pytestmark = pytest.mark.django_db

LIST = reverse("agencies_panel:list")
XLSX = reverse("agencies_panel:export", kwargs={"fmt": "xlsx"})
CSV = reverse("agencies_panel:export", kwargs={"fmt": "csv"})

HEADER = [
    "شناسه",
    "تاریخ",
    "شهر",
    "محله",
    "دستگاه",
    "حوزه",
    "نوع خدمت",
    "تعداد ذی‌نفعان",
    "مرد",
    "زن",
    "کودک (زیر ۱۸ سال)",
    "بزرگسال (۱۸ تا ۵۹ سال)",
    "سالمند (۶۰ سال و بیشتر)",
    "خانوارهای بهره‌مند",
    "توان‌خواهان بهره‌مند",
    "هزینه (ریال)",
    "وضعیت",
    "توضیحات",
]


@pytest.fixture
def records(program):
    """Four records: two agencies, two cities, two domains, dates a month apart; and one
    deleted record that no export holds."""
    made = {
        "emdad_semnan": make_record(
            house=program.emdad_semnan,
            service_type=program.visit,
            delivered_on=dt.date(2025, 5, 1),  # 1404/02/11
            beneficiaries=30,
            male=12,
            female=18,
            children=5,
            adults=20,
            elderly=5,
            households=9,
            disabled=2,
            cost_rials=12_500_000,
            status=RecordStatus.SUBMITTED,
            notes="ویزیت ۱۲ سالمند در مسجد",
        ),
        "emdad_shahrud": make_record(
            house=program.emdad_shahrud,
            service_type=program.workshop,
            delivered_on=dt.date(2025, 6, 1),
            beneficiaries=10,
            notes="=1+1",
        ),
        "helal_semnan": make_record(
            house=program.helal_semnan,
            service_type=program.workshop,
            delivered_on=dt.date(2025, 7, 1),
            beneficiaries=20,
        ),
        "helal_shahrud": make_record(
            house=program.helal_shahrud,
            service_type=program.visit,
            delivered_on=dt.date(2025, 8, 1),
            beneficiaries=40,
        ),
    }
    make_record(house=program.helal_semnan, deleted_at=timezone.now())
    return made


def export(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def ids_in_xlsx(response) -> list[int]:
    return [row[0] for row in xlsx_cells(response)[1:]]


def ids_in_csv(response) -> list[int]:
    return [int(row[0]) for row in csv_rows(response)[1:]]


def test_a_record_comes_back_cell_by_cell_in_xlsx(client, people, records):
    record = records["emdad_semnan"]
    response = export(client, people.coordinator, XLSX, q="مسجد")
    cells = xlsx_cells(response)
    assert cells[0] == HEADER
    assert cells[1:] == [
        [
            record.pk,
            "1404/02/11",
            "سمنان",
            "کوی زرین",
            "امداد",
            "درمان و سلامت",
            "ویزیت رایگان پزشک",
            30,
            12,
            18,
            5,
            20,
            5,
            9,
            2,
            12_500_000,
            "ارسال‌شده",
            "ویزیت ۱۲ سالمند در مسجد",
        ]
    ]


def test_id_counts_and_cost_are_numeric_cells_the_rest_text(client, people, records):
    sheet = read_xlsx(export(client, people.coordinator, XLSX, q="مسجد"))
    # id; date, city, neighbourhood, agency, domain, type; nine counts with the cost; status, note
    assert [cell.data_type for cell in sheet[2]] == ["n", *"ssssss", *"nnnnnnnnn", "s", "s"]


def test_the_csv_holds_the_same_cells_as_the_xlsx(client, people, records):
    from_xlsx = xlsx_cells(export(client, people.coordinator, XLSX))
    from_csv = csv_rows(export(client, people.coordinator, CSV))
    assert from_csv == [["" if c is None else str(c) for c in row] for row in from_xlsx]


def test_the_csv_starts_with_a_byte_order_mark(client, people, records):
    assert read_csv_bytes(export(client, people.coordinator, CSV)).startswith(b"\xef\xbb\xbf")


def test_the_xlsx_sheet_reads_right_to_left(client, people, records):
    assert read_xlsx(export(client, people.coordinator, XLSX)).sheet_view.rightToLeft is True


def test_a_note_typed_as_a_formula_comes_back_as_text(client, people, records):
    sheet = read_xlsx(export(client, people.coordinator, XLSX, q="=1+1"))
    note = sheet.cell(row=2, column=len(HEADER))
    assert (note.value, note.data_type) == ("'=1+1", "s")
    assert csv_rows(export(client, people.coordinator, CSV, q="=1+1"))[1][-1] == "'=1+1"


def test_the_export_holds_what_the_list_shows_in_its_order(client, people, records, program):
    params = {"city": program.semnan.pk, "sort": "-beneficiaries"}
    client.force_login(people.coordinator)
    shown = [record.pk for record in client.get(LIST, params).context["records"]]
    assert ids_in_xlsx(export(client, people.coordinator, XLSX, **params)) == shown
    assert ids_in_csv(export(client, people.coordinator, CSV, **params)) == shown
    assert shown == [records["emdad_semnan"].pk, records["helal_semnan"].pk]  # 30, then 20


def test_deleted_records_are_not_exported(client, people, records):
    assert len(ids_in_csv(export(client, people.coordinator, CSV))) == 4


def test_a_clerk_gets_only_their_agencys_records_whatever_the_url_says(
    client, people, records, program
):
    response = export(client, people.staff, XLSX, agency=program.helal.pk)
    assert sorted(ids_in_xlsx(response)) == sorted(
        [records["emdad_semnan"].pk, records["emdad_shahrud"].pk]
    )
    response = export(client, people.helal_staff, CSV, agency=program.emdad.pk)
    assert sorted(ids_in_csv(response)) == sorted(
        [records["helal_semnan"].pk, records["helal_shahrud"].pk]
    )


def test_a_clerk_limited_to_one_city_gets_only_that_city(client, people, records, program):
    response = export(client, people.city_staff, CSV, city=program.shahrud.pk)
    assert ids_in_csv(response) == [records["emdad_semnan"].pk]


def test_bad_filter_values_are_ignored_not_a_server_error(client, people, records):
    params = {
        "city": "abc",
        "neighbourhood": "99999999",
        "date_from": "۱۴۰۴/۱۳/۴۰",
        "sort": "evil",
        "status": "gone",
    }
    assert len(ids_in_csv(export(client, people.coordinator, CSV, **params))) == 4


def test_a_nul_byte_in_a_filter_is_a_persian_400_not_a_file(client, people, records):
    client.force_login(people.coordinator)
    response = client.get(reverse("agencies_panel:export", kwargs={"fmt": "csv"}), {"q": "x\x00y"})
    assert response.status_code == 400
    assert "نویسهٔ نامجاز" in response.content.decode()


def test_an_unknown_format_is_not_found(client, people, records):
    client.force_login(people.coordinator)
    assert client.get(reverse("agencies_panel:export", kwargs={"fmt": "pdf"})).status_code == 404


def test_the_file_is_named_in_latin_letters(client, people, records):
    response = export(client, people.coordinator, XLSX)
    assert response["Content-Disposition"].startswith('attachment; filename="records-14')
    assert response["Content-Disposition"].endswith('.xlsx"')
    response.close()


def test_the_list_links_to_both_exports_with_its_filters(client, people, records, program):
    client.force_login(people.coordinator)
    text = client.get(LIST, {"city": program.semnan.pk, "sort": "cost"}).content.decode()
    query = f"city={program.semnan.pk}&amp;sort=cost"
    assert f'href="{XLSX}?{query}"' in text
    assert f'href="{CSV}?{query}"' in text


def test_the_export_runs_the_same_queries_for_more_records(client, people, records, program):
    client.force_login(people.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(CSV).streaming_content)
        return len(captured)

    few = queries()
    for _ in range(30):
        make_record(house=program.emdad_semnan, service_type=program.visit)
    assert queries() == few
