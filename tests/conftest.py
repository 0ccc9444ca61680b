"""Fixtures shared by every app's tests, and the test settings, set once for the whole run."""

import uuid
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test.utils import override_settings
from django.utils import timezone

from core.redis_cache import RedisCache
from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from tests.factories import build_places, make_user
from tests.redis_server import redis_or_skip, redis_url

# --- Settings for the whole run ---------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Each test run gets a cache of its own.

    The file cache in var/cache is shared by every process on the machine (that is its
    point for gunicorn); a dev server or a second pytest run must not see or clear this
    run's entries. With REDIS_URL the run gets a key prefix of its own instead.
    """
    default = dict(settings.CACHES["default"])
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES={"default": default}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    """Test users need a password, not a slow one: tests make several users each, and the
    real hasher would make the run take many minutes."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def redis_cache():
    """The portal's Redis cache backend on the test Redis, under a key prefix of the test's own
    (version 3, so a test can tell the version is kept); its keys are deleted afterwards."""
    prefix = f"test-redis-{uuid.uuid4().hex[:8]}"
    backend = RedisCache(redis_url(), {"KEY_PREFIX": prefix, "VERSION": 3})
    redis_or_skip(backend._cache.get_client())
    yield backend
    store = redis.Redis.from_url(redis_url())
    if keys := store.keys(f"{prefix}:*"):
        store.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached public pages must not leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """A MEDIA_ROOT of this test alone, so "nothing stored" can be checked by listing it; the
    private media tree (core/media.py) beside it, in ``private_media_root``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def private_media_root(settings, media_root):
    """The private media tree of this test: files of what visitors may not see."""
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def tehran_time():
    """Pin the current time zone, so tests do not depend on settings.TIME_ZONE."""
    with timezone.override(ZoneInfo("Asia/Tehran")):
        yield


# --- People -----------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password="admin-pass-1405"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor(db):
    """A user in the news editors' group (the groups are made again: transactional tests
    flush them)."""
    ensure_groups()
    user = make_user(username="editor-user")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def moderator(db):
    """A user in the comment moderators' group."""
    ensure_groups()
    user = make_user(username="moderator-user")
    user.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    return user


# --- Data -------------------------------------------------------------------------------


@pytest.fixture
def places(db):
    """The province of the public place pages (tests/factories.py, build_places)."""
    return build_places()
