"""The Redis cache keeps one Redis client per process, and a forked worker gets its own
(core/redis_cache.py)."""

import os
import uuid

import pytest
import redis

from core.redis_cache import RedisCache


@pytest.fixture
def shared():
    url = os.environ.get("CI_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"client-reuse-{uuid.uuid4().hex[:8]}"
    backend = RedisCache(url, {"KEY_PREFIX": prefix, "VERSION": 3})
    try:
        backend.get("ping")
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield backend
    store = redis.Redis.from_url(url)
    if keys := store.keys(f"{prefix}:*"):
        store.delete(*keys)


def test_every_call_goes_through_the_same_client_and_pool(shared):
    first = shared._cache.get_client()
    shared.set("greeting", "سلام", 60)
    shared.add("counter", 1, 60)
    shared.incr("counter")
    assert shared.get_many(["greeting", "counter"]) == {"greeting": "سلام", "counter": 2}
    again = shared._cache.get_client(write=True)

    assert again is first
    assert again.connection_pool is first.connection_pool
    assert first.connection_pool.pid == os.getpid()


def test_keys_keep_their_prefix_and_version(shared):
    shared.set("greeting", "سلام", 60)
    shared.set("greeting", "درود", 60, version=4)

    raw = shared._cache.get_client()
    assert raw.exists(shared.make_key("greeting")) == 1
    assert shared.make_key("greeting").endswith(":3:greeting")
    assert shared.get("greeting") == "سلام"
    assert shared.get("greeting", version=4) == "درود"


def test_a_forked_worker_uses_a_pool_of_its_own(shared):
    shared.set("greeting", "سلام", 60)
    parent_client = shared._cache.get_client()

    child = os.fork()
    if child == 0:  # gunicorn's worker, forked after the master used the cache
        ok = False
        try:
            client = shared._cache.get_client()
            ok = (
                client is not parent_client
                and client.connection_pool is not parent_client.connection_pool
                and client.connection_pool.pid == os.getpid()
                and shared.get("greeting") == "سلام"
                and shared._cache.get_client() is client
            )
            shared.set("from-the-worker", os.getpid(), 60)
        finally:
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert shared.get("from-the-worker") == child
    assert shared._cache.get_client() is parent_client  # the parent's own is untouched
