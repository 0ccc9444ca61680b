"""A national data set in the PostgreSQL database of DATABASE_URL, for benchmarks.

    DATABASE_URL=postgres://…/mahalleh_bench bench/generate --scale 0.01

At ``--scale 1``: the 31 provinces with their counties and cities, 2,020 neighbourhoods with a
house of each of the four agencies in each (8,080), 202,000 households, 1,000,000 service records
over the Jalali years 1401 to 1405 with their history, 20,000 articles with tags, 200,000
comments, 2,000 exhibits with their photos, and the staff who wrote them. A smaller scale keeps
the proportions (the geography stays whole: it is reference data).

Big tables are written with COPY, indexes and constraints as the migrations made them; a
progress bar per table goes to stderr, and the rows and seconds of every table, the total time
and the database's size to stdout at the end. The modules beside this one make each part
(generate_places, generate_people, generate_records, generate_coordination, generate_news,
generate_exhibition; COPY and the bars in generate_copy). Image files go to MEDIA_ROOT and the
private media tree of the settings (DJANGO_MEDIA_ROOT, DJANGO_PRIVATE_MEDIA_ROOT).

Refuses SQLite, and a database that holds service records already, unless ``--reset`` (empty
the program's tables and the bench accounts first, and delete their image files) or ``--force``
(add to what is there; places, houses and accounts of an earlier run are found and reused).
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The apps whose tables --reset empties (with their history and link tables).
PROGRAM_APPS = ("neighbourhoods", "agencies", "coordination", "news", "exhibition", "demo")
PICTURES = 8


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="bench/generate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the national volumes (0.01: quick)"
    )
    parser.add_argument("--seed", type=int, default=1405, help="seed of the random choices")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reset", action="store_true", help="empty the program's tables first")
    group.add_argument(
        "--force", action="store_true", help="add to a database that has records already"
    )
    parser.add_argument(
        "--pictures", type=int, default=PICTURES, help="pictures painted for all the image files"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    options = parser.parse_args(argv)
    if not 0 < options.scale <= 1:
        # Above 1 the neighbourhoods would run out (there are 2,020) and the proportions go.
        parser.error("--scale must be above 0 and at most 1")
    if options.pictures < 1:
        parser.error("--pictures must be at least 1")
    return options


def main(argv=None) -> None:
    options = arguments(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    # WhiteNoise warns that collectstatic has not run; the generator serves no static file.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    run(options, out=sys.stdout)


class World:
    """What every part of the generation shares: the options, the clock, the rows made so far."""

    def __init__(self, options, summary):
        from django.utils import timezone

        self.scale = options.scale
        self.pictures = options.pictures
        self.rng = random.Random(options.seed)
        self.summary = summary
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.access_id = None
        self.houses, self.agencies, self.households = [], [], {}
        self.staff = None
        self.type_names = []
        self._province_of = {}
        self.figures = {}

    @staticmethod
    def moment(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """*day* at *hour*:*minute* in Tehran, as an aware datetime."""
        from zoneinfo import ZoneInfo

        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Asia/Tehran"))

    def settle_houses(self, houses) -> None:
        self.houses = houses
        self._province_of = {h.pk: h.neighbourhood.city.county.province_id for h in houses}

    def clerk_of(self, house) -> tuple[int, str]:
        """The clerk of the house's agency in its province: ``(user id, username)``."""
        return self.staff.clerks[(house.agency_id, self._province_of[house.pk])]

    def clerk_of_place(self, agency_id: int, neighbourhood) -> int:
        return self.staff.clerks[(agency_id, neighbourhood.city.county.province_id)][0]


def run(options, *, out) -> dict:
    """Generate into the default database; returns the rows written per table."""
    from django.db import connection
    from generate_copy import Summary

    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate writes with PostgreSQL's COPY: set DATABASE_URL.")
    started = time.perf_counter()
    summary = Summary(quiet=options.quiet)
    _migrate(summary)
    _refuse_or_reset(options, summary)
    world = World(options, summary)
    _generate(world)
    _finish(world)
    total = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    out.write(summary.table() + "\n")
    for label, figure in world.figures.items():
        out.write(f"{label}: {figure:,}\n")
    out.write(
        f"scale {options.scale:g}, seed {options.seed}: {total:.1f} s in all; "
        f"database {connection.settings_dict['NAME']} is {size}\n"
    )
    return summary.rows


def _migrate(summary) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        summary.timed(
            "migrations", lambda progress: call_command("migrate", verbosity=0) or len(plan)
        )


def _refuse_or_reset(options, summary) -> None:
    from agencies.models import ServiceRecord

    if options.reset:
        summary.timed("reset (tables emptied)", lambda progress: reset_program_tables())
    elif ServiceRecord.objects.exists() and not options.force:
        raise SystemExit(
            "the database has service records already: --reset empties the program's tables "
            "first, --force adds to them"
        )


def reset_program_tables() -> int:
    """Empty the program's tables and delete the bench accounts and the image files."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from generate_media import delete_files

    from exhibition.models import Exhibition, Photo
    from news.models import Article, NewsCodeCounter

    names = []
    for model in (Article, Exhibition, Photo):
        for image, renditions in model.objects.values_list("image", "renditions").iterator():
            names.append(image)
            names.extend(item["n"] for item in renditions or [])
    tables = sorted(
        {
            model._meta.db_table
            for label in PROGRAM_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
        | {"taggit_tag", "taggit_taggeditem"}
    )
    with transaction.atomic(), connection.cursor() as cursor:
        quoted = ", ".join(f'"{table}"' for table in tables)
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        get_user_model().objects.filter(username__startswith="bench-").delete()
        # The row migration news 0002 made; the news services expect it.
        NewsCodeCounter.objects.create(pk=1, last_code=0)
    delete_files(names)
    return len(tables)


def _generate(world) -> None:
    from generate_coordination import load_coordination
    from generate_exhibition import load_exhibition
    from generate_media import Pictures
    from generate_news import load_comments, load_news
    from generate_people import load_households, load_staff
    from generate_places import build_plan, chosen_neighbourhoods, load_geography, load_houses
    from generate_records import load_records
    from generate_texts import PHOTO_MOTIFS

    from agencies.models import Agency, ServiceType
    from agencies.reference import load_program

    load_program()
    world.agencies = list(Agency.objects.order_by("order", "pk"))
    world.type_names = list(ServiceType.objects.order_by("pk").values_list("name", flat=True))
    plan = build_plan()
    neighbourhoods = load_geography(plan, chosen_neighbourhoods(plan, world.scale), world.summary)
    world.settle_houses(load_houses(neighbourhoods, world.summary, world.rng))
    world.staff = load_staff(world)
    world.households = load_households(world)
    records = load_records(world)
    load_coordination(world, records.tallies)
    painted = {}

    def paint(progress):
        painted["pictures"] = Pictures(PHOTO_MOTIFS, count=world.pictures)
        return world.pictures

    world.summary.timed("pictures (painted once)", paint)
    pictures = painted["pictures"]
    published = load_news(world, pictures)
    load_comments(world, published)
    load_exhibition(world, pictures)
    world.figures = {
        "records with a parallel-work reason": records.parallel,
        "records with a same-aid-twice reason": records.repeats,
        "image files (hard links)": pictures.files,
    }


def _finish(world) -> None:
    """Sequences past the generated ids, statistics for the planner, a cold page cache."""
    from django.apps import apps
    from django.db import connection
    from generate_copy import reset_sequences

    from core.caching import invalidate_public_pages

    models = [
        model
        for label in (*PROGRAM_APPS, "taggit")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    reset_sequences(models)

    def vacuum(progress):
        # A table loaded by COPY has no visibility map or statistics yet; a live database has
        # both (autovacuum), and the benchmarks should meet the plans it would get.
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        return len(models)

    world.summary.timed("vacuum analyze (tables)", vacuum)
    invalidate_public_pages()


if __name__ == "__main__":
    main()
