"""Article and list pages run a fixed number of queries, however much there is to show."""

import pytest

from tests.factories import make_agency, make_article, make_comment, make_neighbourhood

pytestmark = pytest.mark.django_db

# Article page: article with category, tags, neighbourhoods, agencies, comments, related news.
# Nothing else: the captcha and the view count write nothing (test_article_views_write_nothing).
# The seventh, when the page is built for the cache: when the next scheduled article appears.
ARTICLE_PAGE_BUDGET = 7
LIST_PAGE_BUDGET = 4


def _article_with(n_items: int, *, comments: bool):
    tags = [f"برچسب {i}" for i in range(max(1, n_items))]
    places = [make_neighbourhood() for _ in range(n_items)]
    agencies = [make_agency() for _ in range(n_items)]
    article = make_article(tags=tags, neighbourhoods=places, agencies=agencies)
    for i in range(n_items):
        make_article(tags=tags[: i + 1])
    if comments:
        parent = None
        for _ in range(n_items * 3):
            parent = make_comment(
                article=article, parent=parent if parent and parent.pk % 2 else None
            )
    return article


@pytest.mark.parametrize("n_items", [1, 12])
@pytest.mark.parametrize("comments", [False, True], ids=["no-comments", "with-comments"])
def test_article_page_query_budget(client, django_assert_max_num_queries, n_items, comments):
    article = _article_with(n_items, comments=comments)
    with django_assert_max_num_queries(ARTICLE_PAGE_BUDGET):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n_articles", [2, 30])
def test_list_page_query_budget(client, django_assert_max_num_queries, n_articles):
    for i in range(n_articles):
        make_article(tags=[f"برچسب {i}"])
    # Every one of these pages is there: a page past the end shows the last page, and the tag
    # has a published article, so a 404 would be a regression, not a cheap way to pass.
    for url in ["/news/", "/news/?page=2", "/news/search/?q=خبر", "/news/tag/برچسب-1/"]:
        with django_assert_max_num_queries(LIST_PAGE_BUDGET):
            response = client.get(url)
        assert response.status_code == 200, url
