"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache


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
