"""The parts of bench/run that need Django set up as one site has it, run as a child process
with that site's environment (run_site.Site.probe); each command writes its answer as JSON to
the file named by ``--result``.

    prepare   fill the site's database (bench/generate at a scale, or the demo data), give the
              benchmark its coordinator, and name the pages to measure in this data
    queries   the SQL queries each page costs, through Django's test client in this process
    timings   the staff pages' times in this process, with the cache off (median of N)
    comments  post comments to the running portal, one after the other, each with a captcha
              from /captcha/refresh/ solved with the site's secret key
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
import urllib.parse
import warnings
from collections import Counter
from pathlib import Path

from run_site import fetch

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
USERNAME = "benchrun-coordinator"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="bench/run_probe.py")
    parser.add_argument("command", choices=("prepare", "queries", "timings", "comments"))
    parser.add_argument("--result", required=True, help="file the JSON answer goes to")
    parser.add_argument("--scale", default="demo", help="prepare: a generator scale or demo")
    parser.add_argument("--reuse", action="store_true", help="prepare: keep data of that size")
    parser.add_argument("--password", default="", help="prepare: the coordinator's password")
    parser.add_argument("--pages", help="queries, timings: the JSON file prepare wrote")
    parser.add_argument("--repeat", type=int, default=5, help="timings: requests per page")
    parser.add_argument("--base", help="comments: the portal's address, http://127.0.0.1:port")
    parser.add_argument("--seconds", type=float, default=10, help="comments: how long")
    options = parser.parse_args(argv)
    if os.environ.get("DATABASE_URL"):
        _ensure_postgres_database(os.environ["DATABASE_URL"])
    _setup_django()
    pages = json.loads(Path(options.pages).read_text()) if options.pages else None
    if options.command == "prepare":
        answer = prepare(options.scale, password=options.password, reuse=options.reuse)
    elif options.command == "queries":
        answer = count_queries(pages)
    elif options.command == "timings":
        answer = time_staff_pages(pages, repeat=options.repeat)
    else:
        answer = post_comments(options.base, pages["comment_article"], seconds=options.seconds)
    Path(options.result).write_text(json.dumps(answer, ensure_ascii=False))


def _ensure_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def _setup_django() -> None:
    sys.path[:0] = [str(ROOT), str(BENCH)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's "testserver" joins ALLOWED_HOSTS


# --- prepare --------------------------------------------------------------------------------


def prepare(scale: str, *, password: str, reuse: bool) -> dict:
    """Fill the database for *scale* and name the pages; returns what bench/run needs."""
    from django.core.management import call_command

    from agencies.models import ServiceRecord
    from core.caching import invalidate_public_pages

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    records = ServiceRecord.objects.count()
    if scale == "demo":
        if records:
            import generate

            generate.reset_program_tables()
        call_command("seed_demo", "--no-users", stdout=io.StringIO())
        how = "demo data (manage.py seed_demo)"
    elif reuse and records and abs(records - float(scale) * 1_000_000) < 0.1 * records:
        how = "kept from an earlier run (--reuse-data)"
    else:
        import generate

        options = generate.arguments(["--scale", scale, "--reset", "--quiet"])
        generate.run(options, out=io.StringIO())
        how = f"bench/generate --scale {scale}"
    user = _coordinator(password)
    invalidate_public_pages()
    return {
        "scale": scale,
        "data": how,
        "records": ServiceRecord.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
        "username": user.username,
        **find_pages(user),
    }


def _coordinator(password: str):
    """The benchmark's own provincial coordinator (every right, the whole data set), signed in
    through the login form by bench/run: the generator's accounts have no usable password."""
    from django.contrib.auth import get_user_model

    from agencies.access import StaffRole
    from agencies.models import StaffMembership

    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "سنجش بار"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    StaffMembership.objects.update_or_create(
        user=user,
        defaults={"role": StaffRole.COORDINATOR, "agency": None, "must_change_password": False},
    )
    return user


def find_pages(user) -> dict:
    """The pages to measure, found in this data: the newest article, the busiest tag and
    neighbourhood, a published exhibition and one of its exhibits, and so on."""
    from django.db.models import Count
    from django.urls import reverse

    from agencies.models import Agency, ServiceRecord
    from agencies.panel_views import RecordListView
    from exhibition.models import Exhibit, Exhibition
    from news.models import Article

    published = Article.objects.published()
    article = published.order_by("-publish_at", "-news_code").first()
    tag = (
        published.values("tags__slug")
        .exclude(tags__slug=None)
        .annotate(n=Count("pk"))
        .order_by("-n", "tags__slug")
        .first()
    )
    busiest = (
        ServiceRecord.objects.public()
        .values("house__neighbourhood__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    agency = Agency.objects.order_by("order", "pk").first()
    exhibition = Exhibition.objects.published().order_by("pk").first()
    exhibit = Exhibit.objects.public().filter(booth__exhibition=exhibition).order_by("pk").first()
    records = ServiceRecord.objects.visible_to(user).alive()
    domain = records.values("service_type__domain").annotate(n=Count("pk")).order_by("-n").first()
    newest = records.order_by("-pk").first()
    # The deepest page a person can reach: the list's paginator bounds how far it goes.
    listing_view = RecordListView(request=None, kwargs={})
    deep = listing_view.get_paginator(records, listing_view.paginate_by).num_pages
    search = urllib.parse.urlencode({"q": _common_title_word(published)})
    listing = reverse("agencies_panel:list")

    neighbourhood = busiest["house__neighbourhood__code"]
    pages = [
        ("home", "cached", reverse("portal:home")),
        ("news list", "cached", reverse("news:index")),
        ("article", "cached", article.get_absolute_url()),
        ("tag page", "cached", reverse("news:tag", kwargs={"slug": tag["tags__slug"]})),
        ("search", "uncached", f"{reverse('news:search')}?{search}"),
        ("RSS feed", "cached", reverse("news:feed_rss")),
        (
            "neighbourhood",
            "cached",
            reverse("neighbourhoods:detail", kwargs={"code": neighbourhood}),
        ),
        ("agency", "cached", agency.get_absolute_url()),
        ("exhibition", "cached", exhibition.get_absolute_url()),
        ("exhibit", "cached", exhibit.get_absolute_url()),
        ("statistics", "cached", reverse("statistics:index")),
        ("panel home", "staff", reverse("portal:panel")),
        ("records list", "staff", listing),
        (
            "records filtered",
            "staff",
            f"{listing}?domain={domain['service_type__domain']}&status=approved",
        ),
        ("records deep page", "staff", f"{listing}?page={deep}"),
        ("record edit", "staff", reverse("agencies_panel:edit", kwargs={"pk": newest.pk})),
        ("dashboard", "staff", reverse("reports_panel:dashboard")),
        ("coordination report", "staff", reverse("coordination_panel:report")),
    ]
    pages = [{"label": label, "kind": kind, "path": path} for label, kind, path in pages]
    return {"pages": pages, "comment_article": article.get_absolute_url(), "deep_page": deep}


def _common_title_word(articles) -> str:
    """The commonest word of four letters or more in the newest titles: a search a reader
    might type, with many results."""
    words = Counter(
        word
        for title in articles.order_by("-publish_at").values_list("title", flat=True)[:100]
        for word in title.split()
        if len(word) >= 4
    )
    return words.most_common(1)[0][0] if words else "محله"


# --- queries --------------------------------------------------------------------------------


def forget_cache() -> None:
    """Empty this site's cache: its Redis keys (the prefix is the run's own), or its file cache."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    else:
        cache.clear()


def _counted(client, path: str) -> tuple[int, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    return len(queries), response.status_code, response.headers.get("X-Page-Cache", "")


def count_queries(pages: dict) -> dict:
    """Queries per page: for a cached page the first request after the cache is emptied (cold)
    and the next (a hit); for the others the second of two requests (the first warms what
    every later request finds ready: the scope, the figures the page cache keeps)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=pages["username"])
    anonymous, staff = Client(), Client()
    staff.force_login(user)
    found = {}
    for page in pages["pages"]:
        path = page["path"]
        if page["kind"] == "cached":
            forget_cache()
            cold, status, _ = _counted(anonymous, path)
            hit, _, state = _counted(anonymous, path)
            bypass = path + ("&" if "?" in path else "?") + "bench=1"
            _counted(anonymous, bypass)
            uncached, _, _ = _counted(anonymous, bypass)
            found[path] = {"cold": cold, "hit": hit, "state": state, "status": status}
            found[bypass] = {"queries": uncached}
        else:
            client = staff if page["kind"] == "staff" else anonymous
            _counted(client, path)
            queries, status, _ = _counted(client, path)
            found[path] = {"queries": queries, "status": status}
    return found


# --- timings --------------------------------------------------------------------------------


def time_staff_pages(pages: dict, *, repeat: int) -> dict:
    """Median milliseconds of each staff page over *repeat* requests, with Django's dummy cache
    (nothing a page keeps in the cache helps it), after one request that is not timed."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    user = get_user_model().objects.get(username=pages["username"])
    found = {}
    with override_settings(CACHES=dummy):
        client = Client()
        client.force_login(user)
        for page in pages["pages"]:
            if page["kind"] != "staff":
                continue
            client.get(page["path"])
            seconds = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(page["path"])
                seconds.append(time.perf_counter() - started)
            found[page["label"]] = {
                "ms": round(statistics.median(seconds) * 1000, 1),
                "status": response.status_code,
            }
    return found


# --- comments -------------------------------------------------------------------------------


def _csrf_cookie(headers) -> str:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0]
    return ""


def post_comments(base: str, article: str, *, seconds: float) -> dict:
    """Post comments to *article* for *seconds*, one at a time as a reader's browser would:
    a captcha and CSRF token from /captcha/refresh/, then the form. Counts comments stored
    (the answer is the redirect to ``?sent=1``) and everything else."""
    from django.urls import reverse

    from news.captcha import expected_answer

    refresh = reverse("captcha:refresh")
    outcomes, posts, pairs = Counter(), [], []
    deadline = time.perf_counter() + seconds
    number = 0
    while time.perf_counter() < deadline:
        number += 1
        started = time.perf_counter()
        status, headers, body = fetch(base, refresh)
        challenge = json.loads(body)
        form = urllib.parse.urlencode(
            {
                "name": "خوانندهٔ سنجش بار",
                "email": "",
                "text": f"نظر شمارهٔ {number} از سنجش بار درگاه.",
                "parent": "",
                "website": "",
                "captcha_0": challenge["key"],
                "captcha_1": str(expected_answer(challenge["key"])),
                "csrfmiddlewaretoken": challenge["csrf_token"],
            }
        )
        sent = time.perf_counter()
        status, headers, _ = fetch(
            base,
            article,
            method="POST",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": _csrf_cookie(headers),
            },
        )
        done = time.perf_counter()
        location = dict((name.lower(), value) for name, value in headers).get("location", "")
        outcomes["stored" if status == 302 and "sent=1" in location else str(status)] += 1
        posts.append(done - sent)
        pairs.append(done - started)
    elapsed = sum(pairs)
    return {
        "comments": outcomes["stored"],
        "outcomes": dict(outcomes),
        "per_second": round(outcomes["stored"] / elapsed, 1) if elapsed else 0,
        "post_p50_ms": round(_percentile(posts, 50) * 1000, 1),
        "post_p99_ms": round(_percentile(posts, 99) * 1000, 1),
        "pair_p50_ms": round(_percentile(pairs, 50) * 1000, 1),
    }


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


if __name__ == "__main__":
    main()
