"""How long the import of 20,000 service records takes: its dry run and its apply.

    DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python bench/record_import.py --rows 20000

Makes a throwaway database (SQLite in a temporary folder, or a ``test_…`` database next to the
PostgreSQL one DATABASE_URL names, dropped at the end) with fifty neighbourhoods, four agencies
with a house in each and ``--existing`` records already there, and writes a file of ``--rows``
made-up rows, as CSV and as XLSX. Each file goes through the real page as a provincial
coordinator: the upload (the dry run, which checks every row and keeps the file in the session),
the apply (which checks it again inside its transaction and writes the records and their
history), and the same file once more (every row already imported). The times are those of the
requests, to compare with gunicorn's timeout (deploy/gunicorn.conf.py).
"""

import argparse
import csv
import datetime as dt
import io
import random
import time

from harness import run_in_throwaway_database

FIRST_DAY = dt.date(2025, 3, 21)  # 1404/01/01
DAYS = 365
NOTES = ["", "", "ویزیت رایگان در حسینیهٔ محل", "کارگاه آموزش خیاطی برای بانوان"]


def main() -> None:
    args = _arguments()
    run_in_throwaway_database(lambda vendor: _run(args, vendor), prefix="import-bench-")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows in each file")
    parser.add_argument(
        "--existing", type=int, default=20_000, help="records in the database before"
    )
    return parser.parse_args()


def _run(args, vendor: str) -> None:
    from django.test import Client

    from agencies.access import StaffRole
    from agencies.models import ServiceRecord
    from tests.factories import make_user

    rng = random.Random(1405)
    houses, types = _world()
    _add_existing(args.existing, houses, types, rng)
    coordinator = make_user(role=StaffRole.COORDINATOR, username="bench-coordinator")
    client = Client()
    client.force_login(coordinator)
    print(
        f"database: {vendor}; houses: {len(houses)}; service types: {len(types)}; "
        f"records before: {args.existing:,}"
    )
    columns = ("format", "rows", "MB", "dry run s", "apply s", "again s", "saved")
    print(" ".join(f"{name:>10}" for name in columns))
    for fmt in ("csv", "xlsx"):
        rows = [_row(f"{fmt}-{n}", houses, types, rng) for n in range(args.rows)]
        data = _csv(rows) if fmt == "csv" else _xlsx(rows)
        before = ServiceRecord.objects.count()
        checked, dry_run = _timed(client, data, fmt)
        report = checked.context["report"]
        if not report.is_valid:
            first = report.bad_rows[0].message if report.bad_rows else report.file_error
            raise SystemExit(f"the made-up file has bad rows: {first}")
        digest = checked.context["apply_form"].initial["digest"]
        started = time.perf_counter()
        applied = client.post("/panel/records/import/", {"digest": digest})
        apply_seconds = time.perf_counter() - started
        if applied.status_code != 302:
            raise SystemExit(f"the apply answered {applied.status_code}")
        again, again_seconds = _timed(client, data, fmt)
        if again.context["report"].present != args.rows:
            raise SystemExit("the second import did not find every row already imported")
        saved = ServiceRecord.objects.count() - before
        cells = (
            fmt,
            f"{args.rows:,}",
            f"{len(data) / 2**20:.1f}",
            f"{dry_run:.1f}",
            f"{apply_seconds:.1f}",
            f"{again_seconds:.1f}",
            f"{saved:,}",
        )
        print(" ".join(f"{cell:>10}" for cell in cells), flush=True)


def _timed(client, data: bytes, fmt: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"records.{fmt}", data)
    started = time.perf_counter()
    response = client.post("/panel/records/import/", {"file": upload})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"the dry run answered {response.status_code}")
    return response, seconds


def _world():
    """Five cities, fifty neighbourhoods, four agencies with a house in each neighbourhood,
    four domains of three service types each."""
    from tests.factories import (
        make_agency,
        make_city,
        make_domain,
        make_house,
        make_neighbourhood,
        make_service_type,
    )

    cities = [make_city() for _ in range(5)]
    neighbourhoods = [make_neighbourhood(city=cities[n % 5]) for n in range(50)]
    agencies = [make_agency() for _ in range(4)]
    houses = [make_house(agency=a, neighbourhood=n) for a in agencies for n in neighbourhoods]
    domains = [make_domain() for _ in range(4)]
    types = [make_service_type(domain=d) for d in domains for _ in range(3)]
    return houses, types


def _counts(rng) -> dict:
    beneficiaries = rng.randint(1, 60)
    male = rng.randint(0, beneficiaries)
    children = rng.randint(0, beneficiaries)
    elderly = rng.randint(0, beneficiaries - children)
    return {
        "beneficiaries": beneficiaries,
        "male": male,
        "female": beneficiaries - male,
        "children": children,
        "adults": beneficiaries - children - elderly,
        "elderly": elderly,
        "households": rng.randint(0, beneficiaries),
        "disabled": rng.randint(0, beneficiaries // 5),
        "cost_rials": rng.randrange(0, 50_000_000, 1000),
    }


def _add_existing(count: int, houses, types, rng) -> None:
    from agencies.choices import RecordStatus
    from agencies.models import ServiceRecord
    from core.jalali import jalali_year_month

    records = []
    for _ in range(count):
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        year, month = jalali_year_month(day)
        records.append(
            ServiceRecord(
                house=rng.choice(houses),
                service_type=rng.choice(types),
                delivered_on=day,
                jalali_year=year,
                jalali_month=month,
                status=RecordStatus.APPROVED,
                **_counts(rng),
            )
        )
    ServiceRecord.objects.bulk_create(records, batch_size=5000)


def _row(ref: str, houses, types, rng) -> list:
    from core.jalali import to_jalali

    house = rng.choice(houses)
    day = to_jalali(FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)))
    counts = _counts(rng)
    return [
        ref,
        house.neighbourhood.code,
        house.agency.slug,
        rng.choice(types).name,
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        *counts.values(),
        rng.choice(NOTES),
    ]


def _header() -> list[str]:
    from agencies.record_import import COLUMNS

    return [column.aliases[0] for column in COLUMNS]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header())
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("خدمات")
    sheet.append(_header())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
