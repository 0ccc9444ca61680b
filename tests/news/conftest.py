"""Fixtures for the news tests. Editors and moderators are in tests/conftest.py, since the
browser tests use them too; comment form data is in tests/samples.py."""

import pytest

from tests.factories import make_article


@pytest.fixture
def article(db):
    """One published article, for the tests about what readers do with it."""
    return make_article()
