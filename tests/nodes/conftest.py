"""Two gunicorn nodes of one site for the tests of this folder, started once for the module.

They share what production nodes share: the test database (PostgreSQL: the tests write with
``transactional_db``, so rows are committed and the nodes see them), one Redis database under
a key prefix of this run, one media folder with its private tree, and the keys. Each node has
its own var/ and static folders, so anything a node keeps on its own disk stays its own.
"""

import secrets
import time
import uuid
from types import SimpleNamespace

import pytest
import redis
from cryptography.fernet import Fernet
from django.db import connection

from tests.nodes.servers import Shared, database_url, start_node, stop_node, wait_until_healthy
from tests.redis_server import redis_or_skip

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(scope="module")
def two_nodes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Nodes ``a`` and ``b`` and what they share (``shared``)."""
    store = redis.Redis.from_url(REDIS_URL)
    redis_or_skip(store)
    folder = tmp_path_factory.mktemp("nodes")
    shared = Shared(
        # Read after django_db_setup: the test database pytest-django made, not the real one.
        database_url=database_url(connection.settings_dict),
        redis_url=REDIS_URL,
        cache_prefix=f"nodes-{uuid.uuid4().hex[:8]}",
        media_root=folder / "shared" / "media",
        private_media_root=folder / "shared" / "private-media",
        secret_key=secrets.token_urlsafe(50),
        identity_hash_key=secrets.token_urlsafe(32),
        identity_encryption_keys=Fernet.generate_key().decode(),
    )
    nodes = []
    try:
        for name in ("a", "b"):
            nodes.append(start_node(name, shared, folder / name))
        for node in nodes:
            wait_until_healthy(node)
        yield SimpleNamespace(a=nodes[0], b=nodes[1], shared=shared)
    finally:
        for node in nodes:
            stop_node(node)
        with django_db_blocker.unblock():
            _wait_for_node_connections_to_close()
        keys = list(store.scan_iter(match=f"{shared.cache_prefix}:*"))
        if keys:
            store.delete(*keys)


def _wait_for_node_connections_to_close() -> None:
    """PostgreSQL ends a backend a moment after its client goes; pytest-django cannot drop the
    test database while one is left."""
    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
