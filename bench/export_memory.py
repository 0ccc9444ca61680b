"""How much memory the records export takes at 20,000 and at 200,000 records.

    DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python bench/export_memory.py --records 200000

Makes a throwaway database (SQLite in a temporary folder, or a ``test_…`` database next to the
PostgreSQL one DATABASE_URL names, dropped at the end), fills it with bulk_create, and at each
checkpoint downloads /panel/records/export.xlsx and export.csv as a provincial coordinator
through the real view, reading the streamed body chunk by chunk and throwing it away.

Each download runs in a forked child, so its figures are its own: the growth of the child's
peak resident memory (``ru_maxrss``) over what it held when it started, and, in a second child
(tracemalloc slows everything down), the peak of Python's own allocations. If the export
streams, both stay flat from 20,000 to 200,000 records while the file grows tenfold.
"""

import argparse
import datetime as dt
import itertools
import json
import os
import random
import resource
import time
import tracemalloc

from harness import run_in_throwaway_database

BATCH = 5000
FIRST_DAY = dt.date(2025, 3, 21)  # 1404/01/01
DAYS = 620  # into Azar 1405
NOTES = ["", "", "ویزیت رایگان در حسینیهٔ محل", "کارگاه آموزش خیاطی برای بانوان", "=1+1"]


def main() -> None:
    args = _arguments()
    run_in_throwaway_database(lambda vendor: _run(args, vendor), prefix="export-bench-")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000, help="records at the end")
    parser.add_argument(
        "--checkpoint", type=int, default=20_000, help="the smaller size measured first"
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the (slow) tracemalloc runs"
    )
    return parser.parse_args()


def _run(args, vendor: str) -> None:
    from agencies.access import StaffRole
    from tests.factories import make_user

    houses, types = _world()
    coordinator = make_user(role=StaffRole.COORDINATOR, username="bench-coordinator")
    sizes = sorted({min(args.checkpoint, args.records), args.records})
    print(f"database: {vendor}; houses: {len(houses)}; service types: {len(types)}")
    columns = ("records", "format", "MB sent", "seconds", "RSS +MB", "py peak MB")
    print(" ".join(f"{name:>10}" for name in columns))
    made = 0
    rng = random.Random(1405)
    for size in sizes:
        _add_records(size - made, houses, types, rng)
        made = size
        for fmt in ("xlsx", "csv"):
            plain = _in_child(_download, coordinator.pk, fmt, False)
            traced = None
            if not args.no_tracemalloc:
                traced = _in_child(_download, coordinator.pk, fmt, True)
            cells = (
                size,
                fmt,
                f"{plain['bytes'] / 2**20:.1f}",
                f"{plain['seconds']:.1f}",
                f"{plain['rss_growth_kb'] / 1024:.1f}",
                "-" if traced is None else f"{traced['traced_peak'] / 2**20:.1f}",
            )
            print(" ".join(f"{cell:>10}" for cell in cells), flush=True)


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


def _add_records(count: int, houses, types, rng) -> None:
    from agencies.models import ServiceRecord

    records = (_record(houses, types, rng) for _ in range(count))
    while batch := list(itertools.islice(records, BATCH)):
        ServiceRecord.objects.bulk_create(batch)


def _record(houses, types, rng):
    from agencies.choices import RecordStatus
    from agencies.models import ServiceRecord
    from core.jalali import jalali_year_month

    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    beneficiaries = rng.randint(1, 60)
    male = rng.randint(0, beneficiaries)
    children = rng.randint(0, beneficiaries)
    elderly = rng.randint(0, beneficiaries - children)
    year, month = jalali_year_month(day)
    return ServiceRecord(
        house=rng.choice(houses),
        service_type=rng.choice(types),
        delivered_on=day,
        jalali_year=year,
        jalali_month=month,
        beneficiaries=beneficiaries,
        male=male,
        female=beneficiaries - male,
        children=children,
        elderly=elderly,
        adults=beneficiaries - children - elderly,
        households=rng.randint(0, beneficiaries),
        disabled=rng.randint(0, beneficiaries // 5),
        cost_rials=rng.randrange(0, 50_000_000, 1000),
        status=rng.choice(RecordStatus.values),
        notes=rng.choice(NOTES),
    )


def _in_child(function, *args) -> dict:
    """Run *function* in a forked child and return what it returns (a dict, as JSON)."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            with os.fdopen(write_end, "w") as out:
                json.dump(function(*args), out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as source:
        text = source.read()
    _pid, status = os.waitpid(pid, 0)
    if status != 0:
        raise SystemExit(f"the measuring child failed (status {status})")
    return json.loads(text)


def _download(user_pk: int, fmt: str, trace: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_pk))
    url = reverse("agencies_panel:export", kwargs={"fmt": fmt})
    # A first export that matches nothing pays for what any request loads once (modules,
    # openpyxl, the session), so what follows is the cost of the rows.
    _consume(client.get(url, {"date_from": "1500/01/01"}))
    start_rss = _current_rss_kb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    sent = _consume(client.get(url))
    seconds = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    return {
        "bytes": sent,
        "seconds": seconds,
        "rss_growth_kb": peak_rss - start_rss,
        "traced_peak": traced_peak,
    }


def _consume(response) -> int:
    """Read a streamed response to its end, keeping nothing; the number of bytes read."""
    if response.status_code != 200:
        raise SystemExit(f"the export answered {response.status_code}")
    sent = 0
    for chunk in response.streaming_content:
        sent += len(chunk)
    response.close()
    return sent


def _current_rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
