"""sitemap.xml: the sections of every app that search engines should find."""

from news.sitemaps import ArticleSitemap, NewsIndexSitemap, TagSitemap

SITEMAPS = {"news": ArticleSitemap, "news-index": NewsIndexSitemap, "news-tags": TagSitemap}
