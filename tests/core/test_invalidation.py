"""Cached public pages go stale when visitors would see a change, and only then.

Each action runs with its on-commit callbacks executed, as a real request's would be, so an
invalidation registered where none belongs would show as a cache miss.
"""

import pytest

from agencies.access import SYSTEM
from exhibition import services as exhibition_services
from news.models import Comment, CommentStatus
from news.services import article_save, comments_moderate
from tests.factories import make_article, make_exhibit, make_exhibition
from tests.samples import comment_data

pytestmark = pytest.mark.django_db


def cache_state(client, url="/"):
    return client.get(url)["X-Page-Cache"]


def warm(client, url="/"):
    """Visit twice, so the page is known to be in the cache."""
    client.get(url)
    assert cache_state(client, url) == "hit"


def post_comment(client, article):
    page = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    data = comment_data(page, text="ممنون از همهٔ کسانی که در این کار کمک کردند.")
    response = client.post(article.get_absolute_url(), data)
    assert response.status_code == 302
    return Comment.objects.get(article=article, text=data["text"])


def test_a_pending_comment_leaves_the_home_page_cached(client, django_capture_on_commit_callbacks):
    article = make_article()
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(client, article)
    assert comment.status == CommentStatus.PENDING
    client.cookies.clear()  # a fresh visitor
    assert cache_state(client) == "hit"


def test_approving_a_comment_makes_the_pages_stale(client, django_capture_on_commit_callbacks):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(client, article)
    client.cookies.clear()
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(comments=Comment.objects.filter(pk=comment.pk), approve=True, user=SYSTEM)
    assert cache_state(client) == "miss"


def test_rejecting_a_pending_comment_changes_nothing_readers_see(
    client, django_capture_on_commit_callbacks
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(client, article)
    client.cookies.clear()
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(
            comments=Comment.objects.filter(pk=comment.pk), approve=False, user=SYSTEM
        )
    assert cache_state(client) == "hit"


def test_publishing_an_article_makes_the_pages_stale(client, django_capture_on_commit_callbacks):
    draft = make_article(published=False, title="گشایش کارگاه قالی‌بافی")
    warm(client)
    draft.status = "published"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=draft, user=SYSTEM)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "گشایش کارگاه قالی‌بافی" in response.content.decode()


def test_saving_a_draft_leaves_the_pages_cached(client, django_capture_on_commit_callbacks):
    draft = make_article(published=False)
    warm(client)
    draft.title = "تیتر تازهٔ پیش‌نویس"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=draft, user=SYSTEM)
    assert cache_state(client) == "hit"


def test_a_change_in_an_unpublished_exhibition_leaves_the_pages_cached(
    client, django_capture_on_commit_callbacks
):
    exhibit = make_exhibit(booth=None)
    exhibition = exhibit.booth.exhibition
    exhibition.is_published = False
    exhibition.save()
    warm(client, "/exhibition/")
    exhibit.title = "اثر ویرایش‌شده"
    with django_capture_on_commit_callbacks(execute=True):
        exhibition_services.exhibit_save(exhibit=exhibit, user=SYSTEM)
    assert cache_state(client, "/exhibition/") == "hit"


def test_publishing_an_exhibition_makes_the_pages_stale(client, django_capture_on_commit_callbacks):
    exhibition = make_exhibition(is_published=False, title="نمایشگاه بهاره")
    warm(client, "/exhibition/")
    exhibition.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        exhibition_services.exhibition_save(exhibition=exhibition, user=SYSTEM)
    response = client.get("/exhibition/")
    assert response["X-Page-Cache"] == "miss"
    assert "نمایشگاه بهاره" in response.content.decode()
