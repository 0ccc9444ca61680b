"""The Django admin for news goes through the same rules as the panel."""

import pytest
from django.urls import reverse

from core.digits import to_persian_digits
from news.models import Article
from tests.factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db


def test_article_added_in_the_admin_is_sanitised_and_gets_a_code(admin_client):
    category = make_category()
    response = admin_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "خبر از مدیریت",
            "lead": "لید",
            "body": "<p>متن</p><script>alert(1)</script>",
            "category": category.pk,
            "tags": "آزمایش",
            "status": "published",
            "publish_at_0": "",
            "publish_at_1": "",
            "slug": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.body == "<p>متن</p>"
    assert article.news_code is not None
    assert article.is_live
    assert article.author.username == "admin"


def test_admin_finds_an_article_by_code_typed_in_persian_digits(admin_client):
    wanted = make_article(title="خبر مورد نظر")
    make_article(title="خبر دیگر")
    html = admin_client.get(
        reverse("admin:news_article_changelist"), {"q": to_persian_digits(wanted.news_code)}
    ).content.decode()
    assert "خبر مورد نظر" in html and "خبر دیگر" not in html


def test_comment_admin_filters_by_status_and_searches_text(admin_client):
    article = make_article()
    make_comment(article=article, approved=False, text="نظر منتظر دربارهٔ پارک")
    make_comment(article=article, text="نظر تأییدشده دربارهٔ کتابخانه")
    url = reverse("admin:news_comment_changelist")
    pending = admin_client.get(url, {"status__exact": "pending"}).content.decode()
    assert "پارک" in pending and "کتابخانه" not in pending
    found = admin_client.get(url, {"q": "کتابخانه"}).content.decode()
    assert "کتابخانه" in found and "پارک" not in found


def test_admin_pages_are_in_persian(admin_client):
    make_article()
    html = admin_client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "کد خبر" in html and "وضعیت" in html
