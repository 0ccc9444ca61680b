"""RSS and Atom feeds of the news, for all articles and per tag."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from news.models import Article

FEED_SIZE = 20
SITE_NAME = "درگاه محله‌های استان سمنان"


class LatestNewsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = f"اخبار {SITE_NAME}"
    description = "تازه‌ترین خبرهای طرح محرومیت‌زدایی و توانمندسازی در محله‌های استان سمنان"
    language = "fa"

    def link(self):
        return reverse("news:index")

    def articles(self):
        return (
            Article.objects.published()
            .select_related("category")
            .prefetch_related("tags")
            .order_by("-publish_at", "-news_code")
        )

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.kicker}: {item.title}" if item.kicker else item.title

    def item_description(self, item):
        # Feed readers take an RSS description as HTML: the lead is plain text, so a «<» an
        # editor typed must reach them as text, not as markup.
        return escape(item.lead)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name, *(tag.name for tag in item.tags.all())]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description


class TagNewsFeed(LatestNewsFeed):
    """The news carrying one tag."""

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        # As on the tag page: a tag only scheduled articles carry stays unknown.
        if not Article.objects.published().tagged(tag).exists():
            raise Http404("no published article has this tag")
        return tag

    def title(self, obj):
        return f"اخبار با برچسب «{obj.name}» | {SITE_NAME}"

    def description(self, obj):
        return f"خبرهای برچسب‌خورده با «{obj.name}»"

    def link(self, obj):
        return reverse("news:tag", kwargs={"slug": obj.slug})

    def items(self, obj):
        return self.articles().tagged(obj)[:FEED_SIZE]


class TagNewsAtomFeed(TagNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
