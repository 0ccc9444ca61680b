"""The Redis cache keeps one Redis client per process, and a forked worker gets its own
(core/redis_cache.py)."""

import os


def test_every_call_goes_through_the_same_client_and_pool(redis_cache):
    first = redis_cache._cache.get_client()
    redis_cache.set("greeting", "سلام", 60)
    redis_cache.add("counter", 1, 60)
    redis_cache.incr("counter")
    assert redis_cache.get_many(["greeting", "counter"]) == {"greeting": "سلام", "counter": 2}
    again = redis_cache._cache.get_client(write=True)

    assert again is first
    assert again.connection_pool is first.connection_pool
    assert first.connection_pool.pid == os.getpid()


def test_keys_keep_their_prefix_and_version(redis_cache):
    redis_cache.set("greeting", "سلام", 60)
    redis_cache.set("greeting", "درود", 60, version=4)

    raw = redis_cache._cache.get_client()
    assert raw.exists(redis_cache.make_key("greeting")) == 1
    assert redis_cache.make_key("greeting").endswith(":3:greeting")
    assert redis_cache.get("greeting") == "سلام"
    assert redis_cache.get("greeting", version=4) == "درود"


def test_a_forked_worker_uses_a_pool_of_its_own(redis_cache):
    redis_cache.set("greeting", "سلام", 60)
    parent_client = redis_cache._cache.get_client()

    child = os.fork()
    if child == 0:  # gunicorn's worker, forked after the master used the cache
        ok = False
        try:
            client = redis_cache._cache.get_client()
            ok = (
                client is not parent_client
                and client.connection_pool is not parent_client.connection_pool
                and client.connection_pool.pid == os.getpid()
                and redis_cache.get("greeting") == "سلام"
                and redis_cache._cache.get_client() is client
            )
            redis_cache.set("from-the-worker", os.getpid(), 60)
        finally:
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache.get("from-the-worker") == child
    assert redis_cache._cache.get_client() is parent_client  # the parent's own is untouched
