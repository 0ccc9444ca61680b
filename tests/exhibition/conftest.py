"""Every exhibition test writes files into a temporary MEDIA_ROOT, so "nothing stored" can be
checked by listing it."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root):
    return media_root
