"""Refill ``Article.search_text`` in the word-aware search form (news/search.py).

Until now the column held ``core.text.normalize_for_search`` (the ZWNJ turned into a space),
and public search split a query at every ZWNJ: «خانه‌های» found every article with «خانه» and
«های» anywhere.  The column now holds ``core.text.search_form`` (the parts of a word joined,
words apart), which ``services.article_save`` writes from now on; this fills it for the rows
saved before.  ``search_compact`` is computed the same way as before and is refreshed only
because ``search_columns`` gives both.  Going back writes the old form again.
"""

from django.db import migrations

from core.text import normalize_for_search
from news.search import plain_text, search_columns

BATCH = 200


def _parts(article):
    return (article.title, article.kicker, article.lead, plain_text(article.body))


def _refill(apps, text_of):
    Article = apps.get_model("news", "Article")
    batch = []
    articles = Article.objects.only("title", "kicker", "lead", "body").order_by("pk")
    for article in articles.iterator(chunk_size=BATCH):
        article.search_text, article.search_compact = text_of(_parts(article))
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_update(batch, ["search_text", "search_compact"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["search_text", "search_compact"])


def forwards(apps, schema_editor):
    _refill(apps, lambda parts: search_columns(*parts))


def backwards(apps, schema_editor):
    def old_columns(parts):
        text = normalize_for_search(" ".join(part for part in parts if part))
        return text, text.replace(" ", "")

    _refill(apps, old_columns)


class Migration(migrations.Migration):
    dependencies = [("news", "0003_trigram_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
