"""Loading the neighbourhood list creates each neighbourhood's houses, one per agency, with the
address, phone and manager the file gives, all or nothing (agencies/neighbourhood_import.py)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from agencies.access import SYSTEM
from agencies.house_services import shown_phone
from agencies.models import House, ServiceRecord
from agencies.neighbourhood_import import neighbourhood_list_import
from core.caching import current_generation
from neighbourhoods.importer import Action
from neighbourhoods.models import Neighbourhood
from tests.factories import (
    StaffRole,
    make_agency,
    make_house,
    make_neighbourhood,
    make_service_type,
    make_user,
)
from tests.samples import GOOD_ROWS, HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = "/panel/neighbourhoods/import/"
APPLY_URL = "/panel/neighbourhoods/import/apply/"
HOUSE_HEADER = [*HEADER, "نشانی خانه احسان", "تلفن احسان", "مسئول خانه امداد"]


@pytest.fixture
def agencies(db):
    """The four agencies of the program, named as load_reference names them."""
    named = [
        ("ehsan", "ستاد اجرایی", "خانه احسان"),
        ("emdad", "کمیته امداد", "خانه امداد"),
        ("helal", "هلال‌احمر", "خانه هلال"),
        ("behzisti", "بهزیستی", "خانه بهزیستی"),
    ]
    return {
        slug: make_agency(slug=slug, short_name=short, house_name=house, order=order)
        for order, (slug, short, house) in enumerate(named, 1)
    }


@pytest.fixture
def coordinator(db):
    return make_user(role=StaffRole.COORDINATOR, first_name="زهرا", last_name="رحیمی")


def run(data, *, user=SYSTEM, apply=False, filename="list.csv"):
    return neighbourhood_list_import(data=data, filename=filename, user=user, apply=apply)


def with_houses(*cells_by_row):
    """GOOD_ROWS with the cells of HOUSE_HEADER's three house columns added, row by row."""
    return csv_bytes(
        [[*row, *cells] for row, cells in zip(GOOD_ROWS, cells_by_row, strict=True)],
        header=HOUSE_HEADER,
    )


def houses_of(code):
    return House.objects.filter(neighbourhood__code=code)


def test_importing_creates_the_four_houses_of_every_neighbourhood(cities, agencies, good_csv):
    report = run(good_csv, apply=True)
    assert report.applied
    assert report.summary() == "۳ محلهٔ تازه، ۰ به‌روزرسانی و ۰ بدون تغییر؛ ۱۲ خانهٔ تازه"
    for code in ("SMN-001", "SMN-002", "MHD-001"):
        assert sorted(houses_of(code).values_list("agency__slug", flat=True)) == sorted(agencies)


def test_an_imported_neighbourhood_takes_a_service_from_the_clerk_of_its_house(
    client, cities, agencies, coordinator, good_csv
):
    client.force_login(coordinator)
    checked = client.post(IMPORT_URL, {"file": SimpleUploadedFile("list.csv", good_csv)})
    digest = checked.context["apply_form"].initial["digest"]
    client.post(APPLY_URL, {"digest": digest})
    zarrin = Neighbourhood.objects.get(code="SMN-001")
    assert zarrin.houses.count() == 4
    house = zarrin.houses.get(agency=agencies["emdad"])
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=agencies["emdad"])
    service_type = make_service_type()

    client.force_login(clerk)
    response = client.post(
        "/panel/records/new/",
        {
            "house": house.pk,
            "service_type": service_type.pk,
            "delivered_on": "۱۴۰۴/۰۷/۰۹",
            "beneficiaries": "۱۰",
            "male": "۴",
            "female": "۶",
            "children": "۳",
            "adults": "۵",
            "elderly": "۲",
            "households": "۳",
        },
    )

    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.house, record.created_by, record.beneficiaries) == (house, clerk, 10)


def test_house_columns_fill_address_phone_and_manager(cities, agencies):
    data = with_houses(
        ["سمنان، کوی زرين، کوچهٔ ۳", "۰۲۳-۳۳۴۵ ۱۲۳۴", "مریم كریمی"],
        ["", "", ""],
        ["", "", ""],
    )
    run(data, apply=True)
    ehsan = houses_of("SMN-001").get(agency=agencies["ehsan"])
    emdad = houses_of("SMN-001").get(agency=agencies["emdad"])
    # Arabic letters folded, digits stored Latin.
    assert (ehsan.address, ehsan.phone, ehsan.manager_name) == (
        "سمنان، کوی زرین، کوچهٔ ۳",
        "023-3345 1234",
        "",
    )
    assert emdad.manager_name == "مریم کریمی"


def test_xlsx_phone_typed_as_a_number_is_kept(cities, agencies):
    rows = [[*GOOD_ROWS[0], "", 2333451234, ""]]
    run(xlsx_bytes(rows, header=HOUSE_HEADER), apply=True, filename="list.xlsx")
    assert houses_of("SMN-001").get(agency=agencies["ehsan"]).phone == "2333451234"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["", "تلفن ندارد", ""], f"«تلفن خانه احسان»: «{shown_phone('تلفن ندارد')}» شمارهٔ تلفن"),
        (["", "12", ""], f"«تلفن خانه احسان»: «{shown_phone('12')}» شمارهٔ تلفن نیست"),
        (["", "0" * 31, ""], "«تلفن خانه احسان» بیش از ۳۰ نویسه است (۳۱ نویسه)"),
        (["ا" * 301, "", ""], "«نشانی خانه احسان» بیش از ۳۰۰ نویسه است (۳۰۱ نویسه)"),
        (["", "", "ب" * 101], "«مسئول خانه امداد» بیش از ۱۰۰ نویسه است (۱۰۱ نویسه)"),
    ],
)
def test_a_bad_house_cell_says_why_and_the_file_writes_nothing(cities, agencies, cells, reason):
    data = with_houses(["", "", ""], cells, ["", "", ""])
    report = run(data, apply=True)
    assert not report.applied
    bad = report.rows[1]
    assert bad.action == Action.ERROR
    assert any(error.startswith(reason) for error in bad.errors), bad.errors
    assert (Neighbourhood.objects.count(), House.objects.count()) == (0, 0)


def test_the_dry_run_page_shows_house_errors_and_the_houses_to_come(
    client, cities, agencies, coordinator
):
    client.force_login(coordinator)
    data = with_houses(["", "نامعلوم", ""], ["", "", ""], ["", "", ""])
    html = client.post(IMPORT_URL, {"file": SimpleUploadedFile("l.csv", data)}).content.decode()
    assert f"«تلفن خانه احسان»: «{shown_phone('نامعلوم')}» شمارهٔ تلفن نیست" in html
    assert "خانه‌های تازه: خانه احسان، خانه امداد، خانه هلال، خانه بهزیستی" in html
    assert "ذخیرهٔ فهرست" not in html
    assert House.objects.count() == 0


def test_importing_the_same_file_again_creates_nothing(cities, agencies):
    data = with_houses(["نشانی یک", "023-1111", "مسئول یک"], ["", "", ""], ["", "", ""])
    run(data, apply=True)
    houses, history = House.objects.count(), House.history.count()

    report = run(data, apply=True)

    assert not report.has_changes
    assert [row.action for row in report.rows] == [Action.UNCHANGED] * 3
    assert (House.objects.count(), House.history.count()) == (houses, history)


def test_a_neighbourhood_lacking_some_houses_gets_only_those(cities, agencies):
    zarrin = make_neighbourhood(
        city=cities.semnan, name="کوی زرین", code="SMN-001", population=4200, households=1150
    )
    zarrin.latitude, zarrin.longitude = "35.5729", "53.3971"
    zarrin.save()
    emdad = make_house(agency=agencies["emdad"], neighbourhood=zarrin, phone="023-5555")
    report = run(csv_bytes([GOOD_ROWS[0]]))
    row = report.rows[0]
    assert (row.action, row.extra_created) == (
        Action.UNCHANGED,
        ["خانه احسان", "خانه هلال", "خانه بهزیستی"],
    )
    assert report.has_changes

    run(csv_bytes([GOOD_ROWS[0]]), apply=True)

    assert zarrin.houses.count() == 4
    emdad.refresh_from_db()
    assert emdad.phone == "023-5555"  # no phone column: left alone


def test_changed_house_details_are_reported_then_saved(cities, agencies, coordinator):
    run(with_houses(["نشانی یک", "023-1111", ""], ["", "", ""], ["", "", ""]), apply=True)
    corrected = with_houses(["نشانی یک", "023-2222", ""], ["", "", ""], ["", "", ""])

    report = run(corrected, user=coordinator)
    changes = [(c.label, c.old, c.new) for c in report.rows[0].extra_changes]
    assert changes == [("تلفن خانه احسان", shown_phone("023-1111"), shown_phone("023-2222"))]
    assert "۱ خانه با جزئیات تازه" in report.summary()

    run(corrected, user=coordinator, apply=True)
    ehsan = houses_of("SMN-001").get(agency=agencies["ehsan"])
    assert ehsan.phone == "023-2222"
    latest = ehsan.history.latest()
    assert (latest.history_user, latest.history_type) == (coordinator, "~")


def test_houses_made_by_import_name_who_imported_and_why(cities, agencies, coordinator, good_csv):
    run(good_csv, user=coordinator, apply=True)
    entries = House.history.filter(neighbourhood__code="SMN-001")
    assert entries.count() == 4
    assert {(e.history_user, e.history_type, e.history_change_reason) for e in entries} == {
        (coordinator, "+", "بارگذاری فهرست محله‌ها")
    }


def test_the_houses_page_history_shows_the_import(client, cities, agencies, coordinator):
    run(
        with_houses(["نشانی یک", "۰۲۳-۱۱۱۱", ""], ["", "", ""], ["", "", ""]),
        user=coordinator,
        apply=True,
    )
    house = houses_of("SMN-001").get(agency=agencies["ehsan"])
    client.force_login(coordinator)
    html = client.get(f"/panel/houses/{house.pk}/history/").content.decode()
    assert "بارگذاری فهرست محله‌ها" in html
    assert "زهرا رحیمی" in html
    assert shown_phone("023-1111") in html


def test_applying_moves_the_public_page_cache_on_once(
    cities, agencies, good_csv, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(good_csv, apply=True)
    assert len(callbacks) == 1
    assert current_generation() != before


def test_only_who_keeps_the_province_may_import(cities, agencies, good_csv):
    clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=agencies["emdad"])
    with pytest.raises(PermissionDenied):
        run(good_csv, user=clerk, apply=True)
    assert Neighbourhood.objects.count() == 0


def test_the_command_creates_the_houses_too(cities, agencies, good_csv, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(good_csv)
    out = io.StringIO()
    call_command("import_neighbourhoods", str(path), "--apply", stdout=out)
    assert "خانه‌های تازه: خانه احسان، خانه امداد، خانه هلال، خانه بهزیستی" in out.getvalue()
    assert "ذخیره شد: ۳ محلهٔ تازه، ۰ به‌روزرسانی و ۰ بدون تغییر؛ ۱۲ خانهٔ تازه." in out.getvalue()
    assert House.objects.count() == 12


def test_the_template_lists_the_house_columns(client, agencies, coordinator):
    client.force_login(coordinator)
    header = client.get("/panel/neighbourhoods/import/template.csv").content.decode()
    first_line = header.splitlines()[0]
    assert first_line.endswith(
        "نشانی خانه احسان,تلفن خانه احسان,مسئول خانه احسان,"
        "نشانی خانه امداد,تلفن خانه امداد,مسئول خانه امداد,"
        "نشانی خانه هلال,تلفن خانه هلال,مسئول خانه هلال,"
        "نشانی خانه بهزیستی,تلفن خانه بهزیستی,مسئول خانه بهزیستی"
    )
    html = client.get(IMPORT_URL).content.decode()
    assert "مسئول خانه بهزیستی" in html
