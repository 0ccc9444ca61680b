"""Replies: the form names the comment answered and can be cancelled; threads nest three deep."""

import pytest

from news.models import Comment
from news.threads import build_threads
from tests.factories import make_article, make_comment
from tests.samples import comment_data

pytestmark = pytest.mark.django_db

REPLYING = "در حال پاسخ به نظر"


def chain(article, length):
    """A reply to a reply to … *length* comments deep."""
    comments, parent = [], None
    for i in range(length):
        parent = make_comment(article=article, parent=parent, name=f"نفر {i + 1}")
        comments.append(parent)
    return comments


def test_reply_link_opens_the_form_naming_the_comment_with_a_cancel_link(client, article):
    comment = make_comment(article=article, name="زهرا", text="جای بازی بچه‌ها کم است")
    html = client.get(article.get_absolute_url(), {"reply_to": comment.pk}).content.decode()
    banner = html[html.index("data-reply-banner") :][:700]
    assert "d-none" not in html[html.index("reply-banner") - 20 : html.index("data-reply-banner")]
    assert REPLYING in banner
    assert "«جای بازی بچه‌ها کم است» از <bdi>زهرا</bdi>" in banner
    assert f'href="{article.get_absolute_url()}#comment-form"' in banner  # cancel, without reply_to
    assert f'name="parent" value="{comment.pk}"' in html


def test_without_reply_to_the_banner_is_hidden(client, article):
    make_comment(article=article)
    html = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    assert "d-none" in html[html.index("reply-banner") : html.index("data-reply-banner")]


@pytest.mark.parametrize("bad", ["abc", "99999", "-1", ""])
def test_unknown_reply_to_is_ignored(client, article, bad):
    response = client.get(article.get_absolute_url(), {"reply_to": bad})
    assert response.status_code == 200
    assert 'name="parent" value=' not in response.content.decode()


def test_pending_comment_cannot_be_answered(client, article):
    pending = make_comment(article=article, approved=False)
    html = client.get(article.get_absolute_url(), {"reply_to": pending.pk}).content.decode()
    assert f'name="parent" value="{pending.pk}"' not in html


def test_reply_is_stored_under_the_comment_it_answers(client, article):
    parent = make_comment(article=article)
    html = client.get(article.get_absolute_url(), {"reply_to": parent.pk}).content.decode()
    response = client.post(article.get_absolute_url(), comment_data(html, parent=str(parent.pk)))
    assert response.status_code == 302
    assert Comment.objects.get(parent=parent).status == "pending"


def test_reply_to_another_articles_comment_is_refused_keeping_the_text(client, article):
    elsewhere = make_comment(article=make_article())
    html = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    data = comment_data(html, parent=str(elsewhere.pk), text="پاسخی که جایش اینجا نیست")
    response = client.post(article.get_absolute_url(), data)
    page = response.content.decode()
    assert "نظری که به آن پاسخ می‌دهید پیدا نشد." in page
    assert "پاسخی که جایش اینجا نیست" in page
    assert not Comment.objects.filter(parent=elsewhere).exclude(pk=elsewhere.pk).exists()


def test_threads_nest_three_levels_and_deeper_replies_join_the_third(article):
    first, second, third, fourth, fifth = chain(article, 5)
    sibling = make_comment(article=article, parent=third, name="پاسخ مستقیم به سومی")
    roots = build_threads(Comment.objects.thread_of(article))
    assert [node.comment for node in roots] == [first]
    level2 = roots[0].replies[0]
    level3 = level2.replies[0]
    assert (level2.comment, level2.level) == (second, 2)
    assert (level3.comment, level3.level) == (third, 3)
    assert [(n.comment, n.level) for n in level3.replies] == [(fourth, 3), (fifth, 3), (sibling, 3)]
    assert [n.answers for n in level3.replies] == [None, fourth, None]
    assert level3.flat_replies and not level2.flat_replies


def test_reply_to_a_hidden_comment_starts_its_own_thread(article):
    parent = make_comment(article=article, approved=False)
    reply = make_comment(article=article, parent=parent)
    roots = build_threads(Comment.objects.thread_of(article))
    assert [(node.comment, node.level) for node in roots] == [(reply, 1)]


def test_page_shows_nested_replies_and_names_the_answered_comment_when_flattened(client, article):
    _first, _second, third, fourth, _fifth = chain(article, 5)
    html = client.get(article.get_absolute_url(), {"comment": "1"}).content.decode()
    assert html.count('class="comment-replies list-unstyled"') == 2
    assert html.count("comment-replies list-unstyled is-flat") == 1
    assert 'class="comment comment-level-3"' in html
    assert "comment-level-4" not in html
    assert f'در پاسخ به <a href="#comment-{fourth.pk}">نفر ۴</a>' in html
    third_item = html.index(f'id="comment-{third.pk}"')
    assert third_item < html.index(f'id="comment-{fourth.pk}"')
