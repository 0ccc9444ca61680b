"""Demo data loads once, and the shared cache switches to a real Redis with REDIS_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.management import call_command

from agencies.models import Agency, House, ServiceDomain, ServiceRecord, StaffMembership
from neighbourhoods.models import City, County, Neighbourhood
from tests.redis_server import redis_or_skip, redis_url

ROOT = Path(__file__).resolve().parents[2]


def counts():
    models = [County, City, Neighbourhood, Agency, House, ServiceDomain, ServiceRecord]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")  # the demo's images go to a temporary folder
def test_seed_demo_creates_the_province_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = counts()
    assert first["County"] == 8
    assert first["City"] == 12
    assert first["Neighbourhood"] == 50
    assert first["Agency"] == 4
    assert first["House"] == 200
    assert first["ServiceDomain"] == 6
    assert first["ServiceRecord"] > 2000
    assert Neighbourhood.objects.filter(is_demo=False).count() == 0
    assert StaffMembership.objects.count() >= 6

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert counts() == first


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_demo_records_obey_every_rule():
    call_command("seed_demo", "--no-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for record in ServiceRecord.objects.all()[:200]:
        record.full_clean()


def test_redis_url_puts_the_cache_in_redis_and_sessions_behind_it(tmp_path):
    client = redis.Redis.from_url(redis_url())
    redis_or_skip(client)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "REDIS_URL": redis_url(),
        "DJANGO_CACHE_PREFIX": "probe-test",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    script = (
        "from django.core.cache import cache; from django.conf import settings;"
        "cache.set('greeting', 'سلام', 60); print(settings.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.cached_db"
    keys = client.keys("probe-test:*greeting")
    assert keys, "the value did not reach Redis"
    client.delete(*keys)


@pytest.mark.django_db
def test_a_staff_session_survives_the_cache_being_emptied(client, settings):
    """With Redis, the cache may evict anything; a signed-in coordinator stays signed in."""
    from django.core.cache import cache

    from tests.factories import StaffRole, make_user

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(make_user(role=StaffRole.COORDINATOR))
    assert client.get("/panel/").status_code == 200
    cache.clear()  # what eviction under memory pressure does to every key
    assert client.get("/panel/").status_code == 200
