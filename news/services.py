"""Writes with rules: saving articles (news code, sanitised body, search columns), submitting
comments and moderating them.

As every service of the portal: keyword arguments only, the object as a model instance, the
person acting as ``user`` (whose right is checked through agencies/access.py), ``full_clean``
then save inside ``transaction.atomic``, and the public page cache told when readers would see
the change.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from agencies.access import acting_user, scope_for
from core.caching import Topic, public_content_changed
from core.images import CleanedImage, delete_files_on_commit, files_removed_on_error
from news import ratelimit, search
from news.html import sanitize_body
from news.models import Article, ArticleStatus, Comment, CommentStatus, NewsCodeCounter

SLUG_MAX_LENGTH = 120


class CommentRateLimited(Exception):
    """The client has posted as many comments as the limit allows for now."""


def next_news_code() -> int:
    """Hand out the next news code; must run inside the transaction that saves the article.

    The UPDATE takes the counter row's lock, so a concurrent creation on PostgreSQL waits until
    this transaction ends and then reads the bumped value: two articles never get the same
    code.  If the transaction rolls back, so does the bump.  Codes only ever grow; a deleted
    article's code is never handed out again because the counter is not derived from the
    articles that remain.
    """
    for _attempt in range(2):
        if NewsCodeCounter.objects.filter(pk=1).update(last_code=F("last_code") + 1):
            return NewsCodeCounter.objects.values_list("last_code", flat=True).get(pk=1)
        # The row is made by migration 0002; a flushed test database or a restored dump may
        # lack it.  Start above any code already in use.
        highest = Article.objects.aggregate(highest=Max("news_code"))["highest"] or 0
        try:
            with transaction.atomic():
                NewsCodeCounter.objects.create(pk=1, last_code=highest)
        except IntegrityError:
            pass  # another transaction created it first; the next UPDATE will wait for it
    raise RuntimeError("the news code counter could not be created")


def article_save(
    *,
    article: Article,
    user,
    tags=None,
    neighbourhoods=None,
    agencies=None,
    image: CleanedImage | None = None,
    remove_image: bool = False,
) -> Article:
    """Validate and save an article from the panel, the admin or the demo data, as *user* (a
    news editor, or ``access.SYSTEM`` for the demo data), who becomes its author if it has none.

    The body is sanitised with nh3, the slug is made from the title when empty, the search
    columns are refreshed, a new article gets the next news code, and publishing without a time
    means "now".  Tags and links are replaced when given (``None`` leaves them as they are).
    *image* (already verified and stripped by ``core.images.clean_image_upload``) replaces the
    main image and its renditions; *remove_image* drops it.  Replaced files are deleted once the
    transaction commits, and new files are deleted again if saving fails.  Raises
    ``ValidationError`` and saves nothing if the article is invalid. Cached public pages go
    stale only if readers can see the article, now or by its schedule, before or after the save:
    a draft changes nothing they see.
    """
    scope_for(user).require("edit_news")
    was_public = (
        article.pk is not None
        and Article.objects.filter(pk=article.pk, status=ArticleStatus.PUBLISHED).exists()
    )
    article.body = sanitize_body(article.body)
    article.slug = slugify(article.slug or article.title, allow_unicode=True)[:SLUG_MAX_LENGTH]
    article.slug = article.slug.strip("-") or "news"
    if article.status == ArticleStatus.PUBLISHED and article.publish_at is None:
        article.publish_at = timezone.now()
    if article.author_id is None:
        article.author = acting_user(user)
    article.search_text, article.search_compact = search.search_columns(
        article.title, article.kicker, article.lead, search.plain_text(article.body)
    )
    is_new = article.pk is None
    try:
        with files_removed_on_error(), transaction.atomic():
            if article.news_code is None:
                article.news_code = next_news_code()
            replaced = []
            if image is not None:
                replaced = article.store_image(image)
            elif remove_image and article.has_image:
                replaced = article.image_file_names()
                article.image, article.width, article.height, article.renditions = "", 0, 0, []
            article.full_clean()
            article.save()
            if tags is not None:
                article.tags.set(list(tags))
            if neighbourhoods is not None:
                article.neighbourhoods.set(neighbourhoods)
            if agencies is not None:
                article.agencies.set(agencies)
            delete_files_on_commit(replaced)
            if was_public or article.status == ArticleStatus.PUBLISHED:
                public_content_changed(Topic.NEWS)
    except ValidationError:
        if is_new:
            article.news_code = None  # its bump of the counter was rolled back too
        raise
    return article


def article_delete(*, article: Article, user) -> None:
    """Delete an article, its comments and its image files; its news code stays used."""
    scope_for(user).require("edit_news")
    with transaction.atomic():
        names = article.image_file_names()
        article.delete()
        delete_files_on_commit(names)
        if article.status == ArticleStatus.PUBLISHED:
            public_content_changed(Topic.NEWS)


def comment_submit(
    *, article: Article, parent: Comment | None, name: str, email: str, text: str, client: str
) -> Comment:
    """Store a reader's comment as pending moderation.

    *parent* must be an approved comment of the same article.  Raises ``CommentRateLimited`` if
    *client* has posted too many comments lately, and ``ValidationError`` if the comment is
    invalid; nothing is stored in either case.
    """
    if parent is not None and (
        parent.article_id != article.pk or parent.status != CommentStatus.APPROVED
    ):
        raise ValidationError({"parent": "نظری که به آن پاسخ می‌دهید پیدا نشد."})
    comment = Comment(
        article=article,
        parent=parent,
        name=name.strip(),
        email=email.strip(),
        text=text.strip(),
        status=CommentStatus.PENDING,
    )
    comment.full_clean()
    if not ratelimit.take(client):
        raise CommentRateLimited
    with transaction.atomic():
        comment.save()
    return comment


def comments_moderate(*, comments, approve: bool, user) -> int:
    """Approve or reject *comments* (a queryset) in one update, as *user* (a moderator); return
    how many changed. Readers see a change only when a comment becomes or stops being approved:
    rejecting a pending comment leaves the cached pages as they are."""
    scope_for(user).require("moderate")
    status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    with transaction.atomic():
        changing = comments.exclude(status=status)
        seen_by_readers = approve or changing.filter(status=CommentStatus.APPROVED).exists()
        changed = changing.update(
            status=status, moderated_at=timezone.now(), moderated_by=acting_user(user)
        )
        if changed and seen_by_readers:
            public_content_changed(Topic.NEWS)
    return changed
