"""Gunicorn nodes of one site, started the way production starts them (deploy/gunicorn.conf.py,
debug off), for tests of what several nodes must share.

``Shared`` is everything the nodes of one site must have alike; ``start_node`` adds what is a
node's own (its port, its var/ and static folders) and starts gunicorn in a process group of its
own, so ``stop_node`` ends its workers too.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# A loaded two-core machine may need this long to import Django in four workers at once.
START_SECONDS = 90


class NodeFailed(Exception):
    pass


@dataclass(frozen=True)
class Shared:
    """What every node of the site must have alike: its environment, less the node's own port
    and folders."""

    database_url: str
    redis_url: str
    cache_prefix: str
    media_root: Path
    private_media_root: Path
    secret_key: str
    identity_hash_key: str
    identity_encryption_keys: str

    def environment(self) -> dict[str, str]:
        return {
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DJANGO_CACHE_PREFIX": self.cache_prefix,
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(self.private_media_root),
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_IDENTITY_HASH_KEY": self.identity_hash_key,
            "DJANGO_IDENTITY_ENCRYPTION_KEYS": self.identity_encryption_keys,
            "DJANGO_ALLOWED_HOSTS": HOST,
            # Plain HTTP on loopback: no TLS in front, as in `make serve-prod`.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            # Static files from the source folders: collectstatic would only slow the test.
            "DJANGO_STATIC_MANIFEST": "0",
        }


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    host: str = HOST

    def log(self) -> str:
        """The end of what gunicorn and Django wrote to stderr."""
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except FileNotFoundError:
            return ""


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database *settings_dict* describes (the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_node(name: str, shared: Shared, folder: Path) -> Node:
    """Start gunicorn (two workers) as node *name*; its own files go under *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    port = free_port()
    # Nothing of the test run's own configuration may leak in: the node sees only its env.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_"))
    }
    environment |= shared.environment() | {
        "DJANGO_VAR_DIR": str(folder / "var"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "",
    }
    log_path = folder / "stderr.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"),
                # gunicorn's control socket defaults to one path per user ($HOME/.gunicorn):
                # two nodes on one machine would take it from each other.
                *("--control-socket", str(folder / "gunicorn.ctl")),
                "portal.wsgi",
            ],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Node(name=name, port=port, process=process, log_path=log_path)


def wait_until_healthy(node: Node) -> None:
    """Return once the node answers /healthz with 200; ``NodeFailed`` with its log otherwise."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if node.process.poll() is not None:
            raise NodeFailed(f"node {node.name} exited ({node.process.returncode}):\n{node.log()}")
        connection = http.client.HTTPConnection(node.host, node.port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise NodeFailed(f"node {node.name} did not answer /healthz:\n{node.log()}")


def stop_node(node: Node) -> None:
    """End the node's master and workers (its whole process group) and wait until all are gone,
    so none still holds a connection to the test database when pytest drops it."""
    group = node.process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    try:
        node.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        node.process.wait()
    # gunicorn's master reaps its workers before it exits; anything left of the group is ended
    # here, with a bound, since zombies in a container without an init may never go away.
    deadline = time.monotonic() + 10
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
