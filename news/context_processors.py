"""The number of comments waiting for moderation, for the badge in the panel's nav."""

from functools import cache

from agencies.access import scope_for
from news.models import Comment


def news_panel(request):
    """Offer ``news_pending_comment_count`` to templates, counted only when a template uses it.

    Public pages never show the badge, so the value is a function the template engine calls on
    first use: a page without the badge costs nothing, and a moderator's panel page costs one
    ``COUNT`` on an indexed column.  Users who may not moderate always get ``None``.
    """

    @cache
    def pending_count():
        if not scope_for(getattr(request, "user", None)).moderates_comments:
            return None
        return Comment.objects.pending().count()

    return {"news_pending_comment_count": pending_count}
