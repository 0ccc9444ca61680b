"""sitemap.xml entries of the news: every published article, the list and the tag pages."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from taggit.models import Tag

from news.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("news_code", "slug", "updated_at")
            .order_by("-publish_at", "-news_code")
        )

    def lastmod(self, item):
        return item.updated_at


class NewsIndexSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["news:index"]

    def location(self, item):
        return reverse(item)


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4
    limit = 5000

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article),
                taggit_taggeditem_items__object_id__in=published,
            )
            .distinct()
            .order_by("name")
        )

    def location(self, item):
        return reverse("news:tag", kwargs={"slug": item.slug})
