"""The sites and processes of bench/run: each site's environment and its child probes, gunicorn
serving the portal or the floor, nginx with the micro-cache, signing in, workers' memory.

Every process here is this run's own, on a loopback port, in a session of its own (a Ctrl-C
reaches bench/run, which stops them); nothing touches the machine's PostgreSQL or Redis beyond
this run's database and key prefix.
"""

import base64
import contextlib
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from harness import production_environment

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
NGINX_EXAMPLE = ROOT / "deploy" / "nginx-microcache.conf.example"
# Variables of the caller that would change what the sites are: each site gets only its own.
_OWN_PREFIXES = ("DJANGO_", "GUNICORN_")
_OWN_NAMES = ("DATABASE_URL", "REDIS_URL")


def _run_quietly(command: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with log.open("ab") as out:
        # Our own fixed commands with paths we built; a session of their own (see the module).
        return subprocess.Popen(  # noqa: S603
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )


def _tail(log: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return ""


def shared_environment(folder: Path) -> dict:
    """Production mode as `make serve-prod` has it, with keys made for this run, the static files
    collected once for every site, and no limit on comments (every poster is 127.0.0.1)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_OWN_PREFIXES) and name not in _OWN_NAMES
    }
    return {**environment, **production_environment(folder)}


def _identity_keys(database_url: str) -> dict:
    """The keys that seal the households' national IDs, the same for every run on one database:
    the data a run generates is kept for the next (``--reuse-data``), whose pages must open it
    (a record's form shows its households' IDs). Made-up IDs, so keys derived from the
    database's address are enough."""
    seed = hashlib.sha256(f"bench/run identity keys {database_url}".encode()).digest()
    return {
        "DJANGO_IDENTITY_HASH_KEY": hashlib.sha256(b"hash " + seed).hexdigest(),
        "DJANGO_IDENTITY_ENCRYPTION_KEYS": base64.urlsafe_b64encode(seed).decode(),
    }


class Site:
    """One configuration of the portal: its environment, data and (when served) its gunicorn."""

    def __init__(self, name: str, folder: Path, shared: dict, **variables):
        self.name = name
        self.folder = folder / name
        self.folder.mkdir()
        self.environment = {
            **shared,
            "DJANGO_VAR_DIR": str(self.folder / "var"),
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(self.folder / "private-media"),
            **variables,
        }
        if "DATABASE_URL" in variables:
            self.environment |= _identity_keys(variables["DATABASE_URL"])
        self.password = secrets.token_urlsafe(16)
        self.scale = "demo"  # what bench/run_probe.py prepare fills the database with
        self.prepared: dict = {}
        self.server: Server | None = None
        self.cookie = ""

    def probe(self, command: str, *arguments: str) -> subprocess.Popen:
        """Start bench/run_probe.py *command* in this site's environment; see :meth:`answer`."""
        result = self.folder / f"{command}.json"
        result.unlink(missing_ok=True)
        return _run_quietly(
            [
                str(PYTHON),
                str(BENCH / "run_probe.py"),
                command,
                "--result",
                str(result),
                *arguments,
            ],
            self.folder / f"{command}.log",
            cwd=ROOT,
            env=self.environment,
        )

    def answer(self, command: str, process: subprocess.Popen) -> dict:
        if process.wait() != 0:
            log = self.folder / f"{command}.log"
            raise SystemExit(f"{self.name}: {command} failed; {log}:\n{_tail(log)}")
        return json.loads((self.folder / f"{command}.json").read_text())

    def pages_file(self) -> str:
        path = self.folder / "pages.json"
        path.write_text(json.dumps(self.prepared))
        return str(path)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Server:
    """A gunicorn master on a loopback port: 3 sync workers, deploy/gunicorn.conf.py, no access
    log (the same flags for the portal and the floor)."""

    def __init__(self, name: str, port: int, environment: dict, app: list[str], folder: Path):
        self.name, self.port = name, port
        self.log = folder / f"{name}-gunicorn.log"
        self.environment = {
            **environment,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_THREADS": "1",  # one thread: gunicorn's sync worker
            "GUNICORN_ACCESSLOG": "",
        }
        self.app = app
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if not port_is_free(self.port):
            raise SystemExit(f"port {self.port} is taken: choose others with --port")
        config = str(ROOT / "deploy" / "gunicorn.conf.py")
        command = [str(GUNICORN), "-c", config, *self.app]
        self.process = _run_quietly(command, self.log, cwd=ROOT, env=self.environment)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_ready(self, path: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited; {self.log}:\n{_tail(self.log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch(self.base, path)[0] == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer {path} within {seconds:g} s")

    def worker_memory(self) -> list[float]:
        """Resident memory of each live worker, in MB, read from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError):
                # The command name may hold spaces and brackets: the fields follow its last ")".
                state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
                if int(parent) == self.process.pid and state != "Z":
                    status = (stat.parent / "status").read_text()
                    kilobytes = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
                    found.append(kilobytes / 1024)
        return sorted(found)

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM)


def stop_process(process: subprocess.Popen | None, sig: int) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- HTTP ------------------------------------------------------------------------------------


def fetch(base: str, path: str, *, method="GET", body=None, headers=None, timeout=60):
    """One request, no redirect followed: ``(status, headers as a list, body)``."""
    address = base.removeprefix("http://")
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _cookies(headers) -> dict:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            found[key] = cookie
    return found


def sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the panel's login form as a person would; the Cookie header to send."""
    from urllib.parse import urlencode

    status, headers, body = fetch(base, "/panel/login/")
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"the login page at {base} answered {status} without a CSRF token")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
    status, headers, _ = fetch(
        base,
        "/panel/login/",
        method="POST",
        body=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    cookies |= _cookies(headers)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"signing in at {base} failed: {status}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- nginx -----------------------------------------------------------------------------------

# What bench/run changes in deploy/nginx-microcache.conf.example: the cache folder and the
# address it listens on. Each must be found exactly once, so the example cannot drift away from
# what is measured without this run saying so.
_CACHE_FOLDER = "/var/cache/nginx/mahalleh"
_LISTEN = "listen 127.0.0.1:8080;"


def nginx_config(folder: Path, *, port: int, upstream_port: int) -> str:
    """A runnable nginx configuration: the example file as it is, but for its cache folder and
    port, inside the few lines a whole nginx.conf needs (logs, temporary folders, the upstream
    that nginx.conf.example defines in production)."""
    example = NGINX_EXAMPLE.read_text()
    for expected in (_CACHE_FOLDER, _LISTEN):
        if example.count(expected) != 1:
            raise SystemExit(f"{NGINX_EXAMPLE} should hold {expected!r} once: update bench/run")
    example = example.replace(_CACHE_FOLDER, str(folder / "cache"))
    example = example.replace(_LISTEN, f"listen 127.0.0.1:{port};")
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    body = "\n".join(f"    {line}" if line else "" for line in example.splitlines())
    return (
        "worker_processes auto;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    access_log off;\n"
        f"{temporary}\n"
        "    upstream mahalleh_app {\n"
        f"        server 127.0.0.1:{upstream_port} fail_timeout=0;\n"
        "    }\n"
        f"{body}\n"
        "}\n"
    )


class Nginx:
    """nginx as this run's own process, with the micro-cache in front of the portal."""

    def __init__(self, folder: Path, *, port: int, upstream_port: int):
        self.folder = folder / "nginx"
        self.folder.mkdir()
        # nginx's workers drop root for "nobody", who must reach the cache folder.
        for place in (folder, self.folder):
            place.chmod(0o755)
        self.port = port
        self.config = self.folder / "nginx.conf"
        self.config.write_text(nginx_config(self.folder, port=port, upstream_port=upstream_port))
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = os.environ.get("NGINX", "nginx")
        if not port_is_free(self.port):
            raise SystemExit(f"port {self.port} is taken: choose others with --port")
        command = [binary, "-p", str(self.folder), "-c", str(self.config), "-g", "daemon off;"]
        try:
            self.process = _run_quietly(command, self.folder / "nginx.log", cwd=self.folder)
        except FileNotFoundError as error:
            raise SystemExit("--nginx needs nginx (apt-get install nginx-light)") from error
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"nginx exited:\n{_tail(self.folder / 'nginx.log')}")
            if not port_is_free(self.port):
                return
            time.sleep(0.2)
        raise SystemExit("nginx did not start listening")

    def stop(self) -> None:
        stop_process(self.process, signal.SIGQUIT)  # graceful: the workers finish and go
