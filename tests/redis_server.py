"""The real Redis that the tests of the Redis cache, the captcha's spent marks and REDIS_URL
talk to: .ci/run starts it and names it in CI_REDIS_URL."""

import os

import pytest
import redis


def redis_url() -> str:
    """The Redis the tests that need a real one talk to (.ci/run names one of its own)."""
    return os.environ.get("CI_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip(client) -> None:
    """Skip the test when no Redis answers, but in CI, where one must."""
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
