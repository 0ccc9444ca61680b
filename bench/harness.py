"""What every benchmark under bench/ starts with: Django set up as the tests have it (the test
client allowed, fast password hashing, DEBUG off so queries are not remembered) on a database
of its own, created empty for the run and dropped after it, on SQLite or on the PostgreSQL of
DATABASE_URL. Imported by the scripts beside it, which are run as files."""

import base64
import os
import secrets
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment(folder: Path) -> dict:
    """The portal's variables in production mode as `make serve-prod` has it, on loopback, for
    a benchmark that serves it: debug off, keys made for the run, the static files collected
    into *folder*/static, and no limit on comments (every poster comes from 127.0.0.1, and the
    per-address limit would stop the load, not what is measured)."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_IDENTITY_HASH_KEY": secrets.token_urlsafe(32),
        "DJANGO_IDENTITY_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_COMMENT_LIMIT": "1000000",
    }


def run_in_throwaway_database(run, *, prefix: str) -> None:
    """Set Django up, make a fresh test database, call ``run(vendor)``, drop the database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    # WhiteNoise warns that collectstatic has not run; a benchmark serves no static file.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS)
    settings.DEBUG = False  # DEBUG would remember every query
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            run(connection.vendor)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
