"""The site bench/resilience.py runs against, all of it this run's own: a PostgreSQL cluster in a
temporary folder on a free loopback port, the environment the nodes and the driver share, the
data, and the gunicorn nodes. Nothing here touches the machine's PostgreSQL."""

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

from harness import ROOT, production_environment

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS_PER_NODE = 2
START = time.monotonic()


def clock() -> float:
    return time.monotonic()


def phase(text: str) -> None:
    """A line of progress, with the seconds since the script started."""
    print(f"[{clock() - START:6.1f}s] {text}", flush=True)


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    # Only our own fixed commands, with paths we built: nothing from outside reaches them.
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Processes: a PostgreSQL cluster and gunicorn nodes of this run's own ---------------------


class Cluster:
    """A PostgreSQL cluster in *folder*, listening on a free loopback port only."""

    def __init__(self, folder: Path):
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not versions:
            raise SystemExit("PostgreSQL's binaries are not in /usr/lib/postgresql/<version>/bin")
        self.bin = versions[-1]
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.running = False

    def _as_owner(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:  # initdb refuses root, and the files must be the server's
            command = ["runuser", "-u", "postgres", "--", *command]
        _run(command)

    def create(self) -> None:
        self.folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        settings = "-U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync"
        self._as_owner("initdb", "-D", str(self.data), *settings.split())

    def start(self, *, wait: bool = True) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        log = str(self.folder / "postgresql.log")
        waiting = "-w" if wait else "-W"
        self._as_owner("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "start", waiting)
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._as_owner("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def accepts_connections(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(self.url("postgres"), connect_timeout=1).close()
        except psycopg2.OperationalError:
            return False
        return True

    def create_database(self, name: str) -> None:
        import psycopg2

        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()


class Node:
    """One gunicorn master with its workers, serving the portal on a loopback port."""

    def __init__(self, name: str, folder: Path, environment: dict):
        self.name = name
        self.port = free_port()
        self.log = folder / f"node-{name}.log"
        self.environment = {
            **environment,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(WORKERS_PER_NODE),
            "GUNICORN_ACCESSLOG": str(folder / f"node-{name}-access.log"),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            # Its own session: a Ctrl-C reaches this script, which stops the nodes itself.
            self.process = subprocess.Popen(  # noqa: S603
                [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def address(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = clock() + seconds
        while clock() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"node {self.name} exited; see {self.log}")
            address = self.address("/healthz")
            with contextlib.suppress(OSError), urllib.request.urlopen(address, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
            time.sleep(0.2)
        raise SystemExit(f"node {self.name} did not answer /healthz within {seconds:g} s")

    def workers(self) -> set[int]:
        """The master's live children, read from /proc."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                text = stat.read_text()
                # The command name may hold spaces and brackets: the fields follow its last ")".
                state, parent = text.rsplit(")", 1)[1].split()[:2]
                if int(parent) == self.process.pid and state != "Z":
                    found.add(int(stat.parent.name))
        return found

    def stop(self) -> None:
        """Ask for a quick shutdown (the run is over: nothing in flight needs finishing)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)

    def wait_stopped(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- The site: its environment, database and data ---------------------------------------------


def site_environment(folder: Path, database_url: str, redis_url: str, prefix: str) -> dict:
    """What the nodes and this script share: production mode, one secret key, one media folder,
    one database and one Redis prefix."""
    return {
        **production_environment(folder),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "DJANGO_VAR_DIR": str(folder / "var"),
    }


def prepare_site(environment: dict) -> dict:
    """Set Django up in this process as the nodes have it, then migrate, seed and collect the
    static files; return the public addresses the readers and posters use."""
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from core.caching import invalidate_public_pages
    from demo import news, places, program
    from neighbourhoods.models import Neighbourhood
    from news.models import Article

    phase("set-up: migrate")
    call_command("migrate", interactive=False, verbosity=0)
    phase("set-up: places, program and news from demo/ (with the demo users)")
    for part in (places, program, news):
        with transaction.atomic():
            part.seed(with_users=True, stdout=io.StringIO())
    invalidate_public_pages()
    phase("set-up: collectstatic")
    call_command("collectstatic", interactive=False, verbosity=0)
    articles = [a.get_absolute_url() for a in Article.objects.published().order_by("-pk")[:5]]
    places_ = [n.get_absolute_url() for n in Neighbourhood.objects.order_by("pk")[:5]]
    connections.close_all()
    # reverse() has already escaped the Persian slugs: the addresses are ready to send.
    return {"articles": articles, "pages": ["/", "/news/", *places_]}


def forget_cache(redis_url: str, prefix: str) -> None:
    """Delete this run's keys (pages, sessions' copies, captcha marks) from the shared Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
