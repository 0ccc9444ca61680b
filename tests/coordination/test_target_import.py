"""The import of yearly targets: the dry run writes nothing, the apply saves all rows or none,
a re-import changes nothing, digits may be in any script, and every bad row says, with its row
number, why it is bad."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from coordination.models import Target
from coordination.target_import import target_import
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_user,
)
from tests.samples import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("coordination_panel:target_import")
TEMPLATE_URL = reverse("coordination_panel:target_template")
HEADER = ["سال", "کد محله", "حوزه", "دستگاه (اختیاری)", "سنجه", "هدف"]
# Zarrin, health, all agencies in beneficiaries; Emdad in services; Persian and Arabic digits.
ALL_AGENCIES = ["1404", "SMN-001", "سلامت", "", "ذی‌نفعان", "1,200"]
EMDAD = ["۱۴۰۴", "smn-001", "سلامت", "امداد", "تعداد خدمت", "٤٠"]


@pytest.fixture
def world():
    """Zarrin (SMN-001) has Emdad's house; Helal keeps none there."""
    zarrin = make_neighbourhood(city=make_city(name="سمنان"), name="کوی زرین", code="SMN-001")
    emdad = make_agency(slug="emdad", short_name="امداد", house_name="خانه امداد")
    make_agency(slug="helal", short_name="هلال", house_name="خانه هلال")
    make_house(agency=emdad, neighbourhood=zarrin)
    make_domain(name="سلامت")
    return {
        "coordinator": make_user(role=StaffRole.COORDINATOR),
        "clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
    }


def targets_file(*rows, header=HEADER):
    return csv_bytes(list(rows), header=header)


def check(world, data, *, apply=False, filename="targets.csv"):
    return target_import(data=data, filename=filename, user=world["coordinator"], apply=apply)


def saved():
    return sorted(Target.objects.values_list("measure", "value", "agency__slug"))


def test_the_dry_run_writes_nothing_and_apply_saves_every_row(world):
    data = targets_file(ALL_AGENCIES, EMDAD)
    report = check(world, data)
    assert [row.action for row in report.rows] == ["create", "create"]
    assert saved() == []
    assert check(world, data, apply=True).applied
    assert saved() == [("beneficiaries", 1200, None), ("records", 40, "emdad")]


def test_a_second_import_of_the_same_file_changes_nothing(world):
    data = targets_file(ALL_AGENCIES, EMDAD)
    check(world, data, apply=True)
    again = check(world, data, apply=True)
    assert [row.action for row in again.rows] == ["unchanged", "unchanged"]
    assert not again.applied
    assert Target.history.count() == 2  # the first import's two creations only


def test_a_corrected_value_updates_the_target_and_its_history_names_the_coordinator(world):
    check(world, targets_file(ALL_AGENCIES), apply=True)
    corrected = [*ALL_AGENCIES[:5], "۱۵۰۰"]
    report = check(world, targets_file(corrected), apply=True)
    assert report.rows[0].change == "هدف: ۱٬۲۰۰ ← ۱٬۵۰۰"
    target = Target.objects.get()
    assert target.value == 1500
    assert target.history.first().history_user == world["coordinator"]


def test_an_xlsx_file_with_numbers_as_numbers_is_read(world):
    data = xlsx_bytes([[1404, "SMN-001", "سلامت", None, "خانوار", 300.0]], header=HEADER)
    assert check(world, data, filename="targets.xlsx", apply=True).applied
    assert saved() == [("households", 300, None)]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["1404", "XYZ-9", "سلامت", "", "ذی‌نفعان", "10"], "محله‌ای با کد «XYZ-9» در سامانه نیست."),
        (["1404", "SMN-001", "ورزش", "", "ذی‌نفعان", "10"], "حوزهٔ «ورزش» در سامانه نیست."),
        (["1404", "SMN-001", "سلامت", "بنیاد", "ذی‌نفعان", "10"], "دستگاه «بنیاد» در سامانه نیست."),
        (
            ["1404", "SMN-001", "سلامت", "هلال", "ذی‌نفعان", "10"],
            "هلال در محلهٔ «کوی زرین» خانه ندارد",
        ),
        (["1404", "SMN-001", "سلامت", "", "نفر-ساعت", "10"], "سنجهٔ «نفر-ساعت» شناخته نشد"),
        (["2025", "SMN-001", "سلامت", "", "ذی‌نفعان", "10"], "سال شمسی بنویسید"),
        (["1404", "SMN-001", "سلامت", "", "ذی‌نفعان", "0"], "«هدف» باید از ۱ تا ۱۰٬۰۰۰٬۰۰۰ باشد"),
        (["1404", "SMN-001", "سلامت", "", "ذی‌نفعان", "ده"], "«هدف» باید عدد صحیح باشد"),
        (["", "SMN-001", "سلامت", "", "ذی‌نفعان", "10"], "«سال» خالی است."),
    ],
)
def test_a_bad_row_says_why_and_blocks_the_whole_file(world, row, reason):
    report = check(world, targets_file(ALL_AGENCIES, row), apply=True)
    bad = report.rows[1]
    assert (bad.line, bad.action) == (3, "error")  # the header is row 1
    assert any(reason in error for error in bad.errors), bad.errors
    assert not report.applied
    assert saved() == []  # the good first row is not saved either


def test_the_same_target_twice_in_a_file_names_both_rows(world):
    report = check(world, targets_file(ALL_AGENCIES, EMDAD, ALL_AGENCIES))
    assert report.rows[0].errors == ["همین هدف در ردیف ۴ هم آمده است؛ یکی را نگه دارید."]
    assert report.rows[2].errors == ["همین هدف در ردیف ۲ هم آمده است؛ یکی را نگه دارید."]
    assert report.rows[1].action == "create"


def test_a_file_without_a_required_column_is_refused_as_a_whole(world):
    report = check(world, targets_file(ALL_AGENCIES[:5], header=HEADER[:5]))
    assert "«هدف»" in report.file_error


def test_a_clerk_may_not_import(world):
    with pytest.raises(PermissionDenied):
        target_import(data=targets_file(ALL_AGENCIES), filename="t.csv", user=world["clerk"])


# --- The pages ---------------------------------------------------------------------------------


def test_the_page_checks_then_saves_the_file_it_showed(client, world):
    client.force_login(world["coordinator"])
    upload = SimpleUploadedFile("targets.csv", targets_file(ALL_AGENCIES, EMDAD))
    checked = client.post(URL, {"file": upload})
    assert saved() == []
    digest = checked.context["apply_form"].initial["digest"]
    response = client.post(URL, {"digest": digest})
    assert response.status_code == 302
    assert len(saved()) == 2


def test_the_page_lists_each_bad_row_with_its_number(client, world):
    client.force_login(world["coordinator"])
    bad = ["1404", "XYZ-9", "سلامت", "", "ذی‌نفعان", "10"]
    upload = SimpleUploadedFile("targets.csv", targets_file(ALL_AGENCIES, bad))
    response = client.post(URL, {"file": upload})
    html = response.content.decode()
    assert response.context["apply_form"] is None
    assert '<td class="import-line" data-label="ردیف">۳</td>' in html
    assert "محله‌ای با کد «XYZ-9» در سامانه نیست." in html


def test_the_template_has_the_persian_headers_and_imports_as_it_is(client, world):
    client.force_login(world["coordinator"])
    response = client.get(TEMPLATE_URL)
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    report = check(world, data, filename="template.xlsx")
    assert [row.action for row in report.rows] == ["create", "create"]


def test_a_clerk_is_refused_the_import_page(client, world):
    client.force_login(world["clerk"])
    assert client.get(URL).status_code == 403
