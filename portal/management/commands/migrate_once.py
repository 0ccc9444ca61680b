"""`manage.py migrate_once`: migrate, with every other node that starts at the same time waiting.

Each node's systemd unit runs this before gunicorn starts (deploy/mahalleh.service.example).
Two plain `migrate` runs started together on PostgreSQL can both try to create the same table
and one fails half-way; here the first node takes a PostgreSQL advisory lock and migrates, the
others wait for it and then find nothing left to do. The lock is a session lock: if the node
dies, PostgreSQL drops it with the connection, so nobody waits for ever. SQLite runs on one
machine only, so there it is a plain `migrate`.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.digits import to_persian_digits

# Any fixed 64-bit number, the same on every node; it names the portal's migration lock.
MIGRATION_LOCK = 1405_0912_0001


class Command(BaseCommand):
    help = "Migrate the database; nodes started together migrate one after the other."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=int,
            default=600,
            help="Seconds to wait for another node's migration before giving up (600).",
        )

    def handle(self, *args, wait, **options):
        verbosity = options["verbosity"]
        if connection.vendor != "postgresql":
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        self._lock(wait, verbosity)
        try:
            call_command("migrate", interactive=False, verbosity=verbosity)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])

    def _lock(self, wait: int, verbosity: int) -> None:
        deadline = time.monotonic() + wait
        told = False
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK])
                if cursor.fetchone()[0]:
                    return
            if time.monotonic() >= deadline:
                seconds = to_persian_digits(wait)
                raise CommandError(
                    f"گره دیگری هنوز پایگاه داده را به‌روز می‌کند؛ پس از {seconds} ثانیه "
                    "انتظار، کار متوقف شد. وقتی آن گره کارش را تمام کرد دوباره اجرا کنید."
                )
            if not told and verbosity:
                self.stdout.write("گره دیگری پایگاه داده را به‌روز می‌کند؛ منتظر می‌مانم…")
                told = True
            time.sleep(1)
