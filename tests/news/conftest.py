"""Fixtures for the news tests: editors, moderators, and reading the real captcha answer."""

import re

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import Group

from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from tests.factories import make_user


@pytest.fixture
def editor(db):
    ensure_groups()
    user = make_user(username="editor-user")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def moderator(db):
    ensure_groups()
    user = make_user(username="moderator-user")
    user.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    return user


CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')


def captcha_from(html: str) -> tuple[str, str]:
    """The captcha key in a rendered form and its real answer, read from the store."""
    match = CAPTCHA_KEY.search(html)
    assert match, "no captcha in the page"
    key = match.group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def comment_data(html: str, **fields) -> dict:
    """POST data for the comment form in *html*, with the captcha answered correctly."""
    key, answer = captcha_from(html)
    data = {
        "name": "مریم",
        "email": "",
        "text": "کار خوبی بود، ممنون از همهٔ کسانی که کمک کردند.",
        "parent": "",
        "website": "",
        "captcha_0": key,
        "captcha_1": answer,
    }
    data.update(fields)
    return data
