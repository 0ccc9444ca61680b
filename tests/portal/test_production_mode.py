"""Debug off: the settings refuse to start half-configured, and gunicorn serves the site."""

import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-production-like-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_IDENTITY_HASH_KEY": "a-production-like-identity-hash-key-" + "y" * 20,
    "DJANGO_IDENTITY_ENCRYPTION_KEYS": "Pj9y3cZL2bL3cGRrh2HVpP1pXW4dmSXGk9ZkQv1oZ6s=",
}


def run_manage(tmp_path, *args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean |= {
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    clean |= env or {}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_IDENTITY_HASH_KEY",
        "DJANGO_IDENTITY_ENCRYPTION_KEYS",
    ],
)
def test_production_refuses_to_start_without(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage(tmp_path, "check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_settings_pass_deploy_check(tmp_path):
    result = run_manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_keeps_one_generated_key(tmp_path):
    probe = ("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    first = run_manage(tmp_path, *probe, env={"DJANGO_DEBUG": "1"})
    second = run_manage(tmp_path, *probe, env={"DJANGO_DEBUG": "1"})
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip()
    assert len(first.stdout.strip()) > 40
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.slow
def test_gunicorn_serves_pages_and_compressed_static_files_with_debug_off(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0"}
    for command in (("migrate", "--noinput", "-v0"), ("collectstatic", "--noinput", "-v0")):
        result = run_manage(tmp_path, *command, env=env)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    server_env |= env | {
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, headers, body = fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer: " + server.stderr.read1().decode())
        html = body.decode()
        assert status == 200
        assert '<html lang="fa" dir="rtl">' in html
        css = re.search(
            r'href="(/static/vendor/bootstrap/bootstrap\.rtl\.min\.[0-9a-f]{12}\.css)"', html
        )
        assert css, "static names are not hashed"
        status, headers, body = fetch(base + css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert b".container" in gzip.decompress(body)
        assert "immutable" in headers["Cache-Control"]
        font = re.search(r'href="(/static/vendor/vazirmatn/[^"]+\.woff2)"', html)
        assert font and fetch(base + font.group(1))[0] == 200
        assert fetch(base + "/healthz")[2] == b'{"status": "ok", "database": "sqlite"}'
    finally:
        server.terminate()
        server.wait(timeout=20)
