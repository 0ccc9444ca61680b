"""The news code: given at creation, unique, increasing, never reused, safe under concurrency."""

import threading

import pytest
from django.db import connection, connections

from agencies.access import SYSTEM
from news.models import Article, NewsCodeCounter
from tests.factories import make_article, make_category


@pytest.mark.django_db
def test_codes_increase_with_each_new_article():
    codes = [make_article().news_code for _ in range(3)]
    assert codes == sorted(codes)
    assert len(set(codes)) == 3
    assert codes[1] == codes[0] + 1


@pytest.mark.django_db
def test_drafts_get_a_code_too_and_keep_it_when_published():
    draft = make_article(published=False)
    code = draft.news_code
    draft.status = "published"
    from news.services import article_save

    article_save(article=draft, user=SYSTEM)
    draft.refresh_from_db()
    assert draft.news_code == code


@pytest.mark.django_db
def test_code_of_a_deleted_article_is_never_handed_out_again():
    first = make_article()
    newest = make_article()
    deleted_code = newest.news_code
    newest.delete()
    assert make_article().news_code == deleted_code + 1
    assert first.news_code < deleted_code


@pytest.mark.django_db
def test_counter_is_recreated_above_existing_codes_if_its_row_is_lost():
    make_article()
    highest = make_article().news_code
    NewsCodeCounter.objects.all().delete()
    assert make_article().news_code == highest + 1


@pytest.mark.django_db
def test_invalid_article_does_not_use_up_a_code():
    from django.core.exceptions import ValidationError

    from news.services import article_save

    before = make_article().news_code
    with pytest.raises(ValidationError):
        article_save(
            article=Article(title="", lead="", body="", category=make_category()), user=SYSTEM
        )
    assert make_article().news_code == before + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_concurrent_creations_on_postgresql_get_distinct_consecutive_codes():
    category = make_category()
    threads_count, per_thread = 8, 5
    start = threading.Barrier(threads_count)
    codes, errors = [], []
    lock = threading.Lock()

    def create_articles():
        try:
            start.wait()
            for _ in range(per_thread):
                code = make_article(category=category).news_code
                with lock:
                    codes.append(code)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=create_articles) for _ in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert len(codes) == threads_count * per_thread
    assert sorted(codes) == list(range(min(codes), min(codes) + len(codes)))
    assert Article.objects.count() == len(codes)
