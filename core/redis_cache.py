"""Django's Redis cache, with one Redis client per server kept for the life of the process.

Django's ``RedisCache`` keeps a connection pool, but builds a new ``redis.Redis`` client around
it for every cache call, and a client sets up its table of reply callbacks each time: about a
sixth of a millisecond, on every read of a cached page. The client holds nothing of one call
(the connections stay in the pool), so this backend makes it once and reuses it.

A gunicorn worker is forked from the master: a pool or client made before the fork belongs to
the parent, so a process that finds itself with another process id starts afresh with pools
and clients of its own. Keys, their prefix and versions, timeouts and the serializer are
Django's own.
"""

import os

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pid = os.getpid()
        self._clients = {}  # id of a pool in self._pools: the client over it

    def get_client(self, key=None, *, write=False):
        if self._pid != os.getpid():
            self._pools, self._clients, self._pid = {}, {}, os.getpid()
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` reusing its Redis clients (see the
    module); configured the same way (``LOCATION``, ``KEY_PREFIX``, ``VERSION``, ``OPTIONS``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
