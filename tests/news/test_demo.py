"""The demo news loads once, with scheduled and draft articles, comments, images and the
news roles."""

import io

import pytest
from django.contrib.auth import get_user_model

from agencies.reference import load_program
from demo import news as demo
from demo import places as neighbourhood_demo
from news.models import Article, Comment
from news.roles import EDITOR_GROUP, MODERATOR_GROUP

# The demo stores article images: into this test's own MEDIA_ROOT.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_seed_creates_about_thirty_linked_articles_once(client):
    neighbourhood_demo.seed(with_users=False, stdout=io.StringIO())
    load_program()  # the agencies and domains the demo news links to
    out = io.StringIO()
    report = demo.seed(with_users=True, stdout=out)

    assert report.startswith("30 articles")  # and one draft, not counted
    assert 25 <= Article.objects.published().count() <= 35
    assert Article.objects.scheduled().count() == 2
    assert Article.objects.filter(status="draft").count() == 1
    assert Article.objects.exclude(image="").count() >= 25
    assert Comment.objects.approved().count() >= 5 and Comment.objects.pending().count() >= 2
    assert Comment.objects.filter(parent__parent__parent__isnull=False).exists()  # a deep thread
    assert Article.objects.filter(neighbourhoods__is_demo=True).distinct().count() >= 20
    assert Article.objects.filter(agencies__slug="helal").count() >= 5
    screening = Article.objects.get(neighbourhoods__code="DEMO-02")
    assert screening.neighbourhoods.get().name in screening.title
    for article in Article.objects.all():
        assert "{n}" not in article.title + article.lead + article.body
        article.full_clean()
    for article in Article.objects.published()[:3]:
        assert client.get(article.get_absolute_url()).status_code == 200

    User = get_user_model()
    editor, moderator = User.objects.get(username="editor"), User.objects.get(username="moderator")
    assert editor.groups.filter(name=EDITOR_GROUP).exists()
    assert moderator.groups.filter(name=MODERATOR_GROUP).exists()
    assert editor.has_perm("news.change_article") and not editor.has_perm("news.moderate_comment")
    assert moderator.has_perm("news.moderate_comment") and not moderator.has_perm(
        "news.add_article"
    )
    assert demo.DEMO_PASSWORD in out.getvalue() and editor.check_password(demo.DEMO_PASSWORD)

    counts = (Article.objects.count(), Comment.objects.count(), User.objects.count())
    assert demo.seed(with_users=True, stdout=io.StringIO()) == "0 articles, 0 comments created"
    assert (Article.objects.count(), Comment.objects.count(), User.objects.count()) == counts


def test_seed_works_without_demo_neighbourhoods_or_agencies():
    demo.seed(with_users=False, stdout=io.StringIO())
    assert Article.objects.filter(lead__contains="یکی از محله‌های هدف").exists()
    assert not Article.objects.filter(neighbourhoods__isnull=False).exists()
