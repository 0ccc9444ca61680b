"""Fixtures shared by every app's tests."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test.utils import override_settings


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached public pages must not leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password="admin-pass-1405"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
