"""The import service: what a dry run reports, and what applying writes (all or nothing)."""

from decimal import Decimal

import pytest

from core.caching import current_generation
from neighbourhoods.importer import Action, import_neighbourhoods
from neighbourhoods.models import Neighbourhood
from tests.factories import make_neighbourhood
from tests.samples import GOOD_ROWS, HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data, *, apply=False, filename="list.csv"):
    return import_neighbourhoods(data=data, filename=filename, apply=apply)


def snapshot():
    return list(
        Neighbourhood.objects.order_by("code").values(
            "code", "name", "city_id", "population", "households", "latitude", "longitude"
        )
    )


def test_dry_run_reports_creates_and_writes_nothing(cities, good_csv):
    report = run(good_csv)
    assert report.is_valid
    assert [row.action for row in report.rows] == [Action.CREATE] * 3
    assert report.created == 3
    assert not report.applied
    assert Neighbourhood.objects.count() == 0


def test_apply_creates_real_neighbourhoods(cities, good_csv):
    report = run(good_csv, apply=True)
    assert report.applied
    zarrin = Neighbourhood.objects.get(code="SMN-001")
    assert zarrin.city == cities.semnan
    assert zarrin.name == "کوی زرین"
    assert (zarrin.population, zarrin.households) == (4200, 1150)
    assert zarrin.latitude == Decimal("35.572900")
    assert zarrin.is_demo is False
    assert Neighbourhood.objects.search("کوی‌زرین").get() == zarrin


def test_persian_digits_and_separators_are_read(cities, good_csv):
    run(good_csv, apply=True)
    sarcheshmeh = Neighbourhood.objects.get(code="SMN-002")
    assert (sarcheshmeh.population, sarcheshmeh.households) == (3800, 950)
    assert sarcheshmeh.latitude == Decimal("35.581000")
    assert sarcheshmeh.longitude == Decimal("53.401200")


def test_city_is_found_whatever_the_spelling_or_by_slug(cities):
    rows = [
        ["مهدي شهر", "الف", "A-1", "", "", "", ""],  # Arabic yeh, space instead of ZWNJ
        ["مهدیشهر", "ب", "A-2", "", "", "", ""],  # no separator at all
        ["MehdiShahr", "پ", "A-3", "", "", "", ""],  # the city's slug
    ]
    report = run(csv_bytes(rows), apply=True)
    assert report.applied
    assert set(Neighbourhood.objects.values_list("city", flat=True)) == {cities.mehdishahr.pk}


def test_importing_the_same_file_again_changes_nothing(cities, good_csv):
    run(good_csv, apply=True)
    before = snapshot()
    history_rows = Neighbourhood.history.count()

    report = run(good_csv, apply=True)

    assert report.applied
    assert [row.action for row in report.rows] == [Action.UNCHANGED] * 3
    assert report.unchanged == 3
    assert not report.has_changes
    assert snapshot() == before
    assert Neighbourhood.history.count() == history_rows


def test_a_corrected_file_updates_by_code(cities, good_csv):
    run(good_csv, apply=True)
    corrected = [list(row) for row in GOOD_ROWS]
    corrected[0][1] = "کوی زرین شمالی"
    corrected[0][3] = "4500"
    corrected[2][0] = "سمنان"
    report = run(csv_bytes(corrected), apply=True)

    assert [row.action for row in report.rows] == [
        Action.UPDATE,
        Action.UNCHANGED,
        Action.UPDATE,
    ]
    changed = {(c.label, c.old, c.new) for c in report.rows[0].changes}
    assert ("جمعیت", "۴٬۲۰۰", "۴٬۵۰۰") in changed
    assert ("نام محله", "کوی زرین", "کوی زرین شمالی") in changed
    assert Neighbourhood.objects.count() == 3
    zarrin = Neighbourhood.objects.get(code="SMN-001")
    assert (zarrin.name, zarrin.population) == ("کوی زرین شمالی", 4500)
    assert Neighbourhood.objects.get(code="MHD-001").city == cities.semnan


def test_codes_match_whatever_their_case(cities, good_csv):
    run(good_csv, apply=True)
    rows = [[*GOOD_ROWS[0][:2], "smn-001", *GOOD_ROWS[0][3:]]]
    report = run(csv_bytes(rows))
    assert report.rows[0].action == Action.UNCHANGED


def test_a_demo_neighbourhood_named_by_its_code_becomes_real(cities):
    demo = make_neighbourhood(city=cities.semnan, name="کوی آزادگان", code="DEMO-01", is_demo=True)
    rows = [["سمنان", "کوی آزادگان", "DEMO-01", demo.population, demo.households, "", ""]]
    report = run(csv_bytes(rows), apply=True)
    assert report.rows[0].action == Action.UPDATE
    assert [c.label for c in report.rows[0].changes] == ["دادهٔ نمایشی"]
    demo.refresh_from_db()
    assert demo.is_demo is False


def test_demo_neighbourhoods_left_out_of_the_file_are_counted(cities, good_csv):
    make_neighbourhood(city=cities.semnan, code="DEMO-01", is_demo=True)
    make_neighbourhood(city=cities.semnan, code="DEMO-02", is_demo=True)
    assert run(good_csv).demo_left == 2


def test_missing_optional_column_leaves_the_field_alone(cities, good_csv):
    run(good_csv, apply=True)
    rows = [row[:3] for row in GOOD_ROWS]
    report = run(csv_bytes(rows, header=HEADER[:3]), apply=True)
    assert report.unchanged == 3
    assert Neighbourhood.objects.get(code="SMN-001").population == 4200


def test_an_empty_cell_clears_the_value(cities, good_csv):
    run(good_csv, apply=True)
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][3] = rows[0][4] = ""
    run(csv_bytes(rows), apply=True)
    zarrin = Neighbourhood.objects.get(code="SMN-001")
    assert (zarrin.population, zarrin.households) == (None, None)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["تهران", "الف", "X-1", "100", "20", "", ""], "شهر «تهران» در سامانه نیست"),
        (["سمنان", "", "X-1", "100", "20", "", ""], "«نام محله» خالی است"),
        (["", "الف", "X-1", "100", "20", "", ""], "«شهر» خالی است"),
        (["سمنان", "الف", "", "100", "20", "", ""], "«کد محله» خالی است"),
        (["سمنان", "الف", "کد۱", "100", "20", "", ""], "کد محله «کد۱» نادرست است"),
        (["سمنان", "الف", "X-1", "صد", "20", "", ""], "«جمعیت» باید عدد صحیح باشد"),
        (["سمنان", "الف", "X-1", "12.5", "2", "", ""], "«جمعیت» باید عدد صحیح باشد"),
        (["سمنان", "الف", "X-1", "-100", "", "", ""], "«جمعیت» نمی‌تواند منفی باشد"),
        (["سمنان", "الف", "X-1", "100", "۲۰۰", "", ""], "تعداد خانوار (۲۰۰) از جمعیت (۱۰۰) بیشتر"),
        (["سمنان", "الف", "X-1", "", "", "95", "53"], "«عرض جغرافیایی» باید بین ۹۰- و ۹۰"),
        (["سمنان", "الف", "X-1", "", "", "35", "-181"], "«طول جغرافیایی» باید بین ۱۸۰- و ۱۸۰"),
        (["سمنان", "الف", "X-1", "", "", "35.5", "شرق"], "«طول جغرافیایی» باید عدد اعشاری باشد"),
        (["سمنان", "الف", "X-1", "", "", "35.5", ""], "عرض و طول جغرافیایی باید با هم"),
    ],
)
def test_a_bad_row_says_why_and_blocks_the_whole_file(cities, row, reason):
    data = csv_bytes([GOOD_ROWS[0], row])
    report = run(data, apply=True)
    assert not report.applied
    assert not report.is_valid
    assert report.rows[0].action == Action.CREATE
    bad = report.rows[1]
    assert bad.action == Action.ERROR
    assert bad.line == 3
    assert any(reason in error for error in bad.errors), bad.errors
    assert Neighbourhood.objects.count() == 0


def test_duplicate_codes_in_the_file_are_reported_on_every_row(cities):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], [*GOOD_ROWS[2][:2], "smn-001", *GOOD_ROWS[2][3:]]]
    report = run(csv_bytes(rows))
    assert [row.action for row in report.rows] == [Action.ERROR, Action.CREATE, Action.ERROR]
    assert "کد «SMN-001» در ردیف‌های ۲ و ۴ تکرار شده است" in report.rows[0].errors[0]


def test_same_name_twice_in_one_city_is_reported(cities):
    rows = [GOOD_ROWS[0], ["سمنان", "کوی‌زرین", "SMN-009", "", "", "", ""]]
    report = run(csv_bytes(rows))
    assert report.bad == 2
    assert "در ردیف‌های ۲ و ۳ تکرار شده" in report.rows[1].errors[0]


def test_name_taken_by_another_code_in_the_database_is_reported(cities):
    make_neighbourhood(city=cities.semnan, name="کوی زرین", code="DEMO-07", is_demo=True)
    report = run(csv_bytes([GOOD_ROWS[0]]))
    assert report.bad == 1
    assert "با کد «DEMO-07» (دادهٔ نمایشی) از پیش ثبت شده" in report.rows[0].errors[0]


def test_all_problems_of_a_row_are_listed_together(cities):
    report = run(csv_bytes([["تهران", "الف", "X-1", "صد", "بیست", "", ""]]))
    assert len(report.rows[0].errors) == 3


def test_xlsx_with_numeric_cells_is_imported(cities):
    rows = [
        ["سمنان", "کوی زرین", "SMN-001", 4200, 1150.0, 35.5729, 53.3971],
        ["مهدی‌شهر", "کوی بهاران", 101, "۲۸۰۰", None, None, None],
    ]
    report = run(xlsx_bytes(rows), apply=True, filename="list.xlsx")
    assert report.applied, [row.errors for row in report.rows]
    assert Neighbourhood.objects.get(code="SMN-001").households == 1150
    assert Neighbourhood.objects.get(code="101").population == 2800


def test_xlsx_bad_rows_are_reported_like_csv(cities):
    rows = [["سمنان", "کوی زرین", "SMN-001", 4200.5, 1150, 35.5, 53.3]]
    report = run(xlsx_bytes(rows), filename="list.xlsx")
    assert report.rows[0].action == Action.ERROR
    assert "«جمعیت» باید عدد صحیح باشد؛ «۴۲۰۰.۵» عدد صحیح نیست." in report.rows[0].errors


def test_xlsx_and_csv_of_the_same_list_agree(cities, good_csv):
    run(good_csv, apply=True)
    report = run(xlsx_bytes(GOOD_ROWS), filename="list.xlsx")
    assert report.unchanged == 3


def test_a_broken_file_is_a_file_error_not_an_exception(cities):
    report = run(b"PK\x03\x04 this is no workbook", apply=True, filename="list.xlsx")
    assert report.file_error == "این فایل XLSX معتبر نیست یا آسیب دیده است."
    assert not report.rows
    assert not report.applied


def test_summary_counts_in_persian(cities, good_csv):
    run(good_csv, apply=True)
    rows = [
        *GOOD_ROWS,
        ["سمنان", "کوی نو", "SMN-003", "10", "2", "", ""],
        ["تهران", "x", "Z", "", "", "", ""],
    ]
    assert run(csv_bytes(rows)).summary() == (
        "۱ محلهٔ تازه، ۰ به‌روزرسانی، ۳ بدون تغییر و ۱ ردیف نادرست"
    )


def test_a_windows_1256_csv_is_stored_with_persian_letters(cities):
    # Excel on a Persian Windows writes Arabic yeh (and no BOM); the stored name is Persian.
    text = csv_bytes([GOOD_ROWS[0]]).decode().replace("ی", "ي")
    run(text.encode("cp1256"), apply=True)
    assert Neighbourhood.objects.get(code="SMN-001").name == "کوی زرین"


def test_a_file_the_database_refuses_is_not_half_written(cities):
    # Swapping two names passes every check of the report; whether the database accepts the
    # swap depends on the order it checks rows in, but it is either all done or none of it.
    make_neighbourhood(city=cities.semnan, name="الف", code="A-1", population=10, households=2)
    make_neighbourhood(city=cities.semnan, name="ب", code="A-2", population=10, households=2)
    rows = [
        ["سمنان", "ب", "A-1", "11", "2", "", ""],
        ["سمنان", "الف", "A-2", "11", "2", "", ""],
    ]
    report = run(csv_bytes(rows), apply=True)
    saved = sorted(Neighbourhood.objects.values_list("code", "name", "population"))
    if report.applied:
        assert saved == [("A-1", "ب", 11), ("A-2", "الف", 11)]
    else:
        assert report.file_error.endswith("چیزی ذخیره نشد.")
        assert saved == [("A-1", "الف", 10), ("A-2", "ب", 10)]


def test_history_names_who_imported_and_why(cities, good_csv, importers):
    import_neighbourhoods(
        data=good_csv, filename="list.csv", apply=True, user=importers.coordinator
    )
    entry = Neighbourhood.objects.get(code="SMN-001").history.get()
    assert entry.history_user == importers.coordinator
    assert entry.history_change_reason == "بارگذاری فهرست محله‌ها"
    assert entry.search_key == "کویزرین"


def test_applying_moves_the_public_page_cache_on(
    cities, good_csv, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        run(good_csv, apply=True)
    assert current_generation() != before


def test_a_dry_run_leaves_the_public_page_cache_alone(
    cities, good_csv, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        run(good_csv)
    assert current_generation() == before
