"""Factories for news: categories, articles (always through the service) and comments."""

import datetime
import itertools

from django.utils import timezone

from agencies.access import SYSTEM
from news.models import Article, ArticleStatus, Category, Comment, CommentStatus
from news.services import article_save

_seq = itertools.count(1)


def make_category(**fields) -> Category:
    n = next(_seq)
    return Category.objects.create(**{"name": f"دسته {n}", "slug": f"category-{n}", **fields})


def make_article(
    *,
    title=None,
    body="<p>متن خبر دربارهٔ کار در محله.</p>",
    tags=(),
    published=True,
    publish_at=None,
    category=None,
    neighbourhoods=None,
    agencies=None,
    **fields,
) -> Article:
    """A published article (an hour ago unless told otherwise), saved through the service."""
    n = next(_seq)
    if published and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(hours=1)
    article = Article(
        title=title or f"خبر شمارهٔ {n} از محله",
        lead=fields.pop("lead", f"لید خبر {n} دربارهٔ کارهای طرح."),
        body=body,
        category=category or Category.objects.first() or make_category(),
        status=ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT,
        publish_at=publish_at,
        **fields,
    )
    return article_save(
        article=article,
        user=SYSTEM,
        tags=list(tags),
        neighbourhoods=neighbourhoods,
        agencies=agencies,
    )


def make_comment(*, article, parent=None, approved=True, **fields) -> Comment:
    n = next(_seq)
    comment = Comment(
        article=article,
        parent=parent,
        name=fields.pop("name", f"خواننده {n}"),
        text=fields.pop("text", f"نظر شمارهٔ {n} دربارهٔ این خبر."),
        status=CommentStatus.APPROVED if approved else CommentStatus.PENDING,
        **fields,
    )
    comment.save()
    return comment
