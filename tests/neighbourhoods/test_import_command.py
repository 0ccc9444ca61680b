"""`manage.py import_neighbourhoods FILE [--apply]` from a shell."""

import io

import pytest
from django.core.management import CommandError, call_command

from neighbourhoods.models import Neighbourhood
from tests.samples import GOOD_ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def command(*args):
    out = io.StringIO()
    call_command("import_neighbourhoods", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def list_file(tmp_path, good_csv):
    path = tmp_path / "neighbourhoods.csv"
    path.write_bytes(good_csv)
    return path


def test_without_apply_it_only_reports(cities, list_file):
    out = command(str(list_file))
    assert "ردیف ۲ | ایجاد | SMN-001 | کوی زرین | سمنان" in out
    assert "بررسی بدون ذخیره: ۳ محلهٔ تازه" in out
    assert "--apply" in out
    assert Neighbourhood.objects.count() == 0


def test_with_apply_it_saves_and_a_second_run_changes_nothing(cities, list_file):
    assert "ذخیره شد: ۳ محلهٔ تازه" in command(str(list_file), "--apply")
    assert Neighbourhood.objects.filter(is_demo=False).count() == 3
    out = command(str(list_file), "--apply")
    assert "ردیف ۳ | بدون تغییر | SMN-002" in out
    assert "چیزی تغییر نکرد: ۰ محلهٔ تازه، ۰ به‌روزرسانی و ۳ بدون تغییر." in out


def test_changes_of_an_update_are_listed(cities, list_file, tmp_path):
    command(str(list_file), "--apply")
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][3] = "۴۵۰۰"
    corrected = tmp_path / "corrected.xlsx"
    corrected.write_bytes(xlsx_bytes(rows))
    out = command(str(corrected), "--apply")
    assert "ردیف ۲ | به‌روزرسانی | SMN-001" in out
    assert "جمعیت: ۴٬۲۰۰ ← ۴٬۵۰۰" in out
    assert Neighbourhood.objects.get(code="SMN-001").population == 4500


def test_bad_rows_are_printed_and_the_command_fails(cities, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([GOOD_ROWS[0], ["تهران", "الف", "X-1", "", "", "", ""]]))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"۱ ردیف نادرست\. چیزی ذخیره نشد\."):
        call_command("import_neighbourhoods", str(path), "--apply", stdout=out)
    assert "ردیف ۳ | نادرست | X-1" in out.getvalue()
    assert "شهر «تهران» در سامانه نیست" in out.getvalue()
    assert Neighbourhood.objects.count() == 0


def test_missing_or_broken_file_fails_with_a_persian_message(cities, tmp_path):
    with pytest.raises(CommandError, match="پیدا نشد"):
        command(str(tmp_path / "nowhere.csv"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(CommandError) as error:
        command(str(broken))
    assert str(error.value) == "این فایل XLSX معتبر نیست یا آسیب دیده است. چیزی ذخیره نشد."
