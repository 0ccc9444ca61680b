"""Moderators clear the queue of pending comments in the staff panel, one by one or in bulk;
the panel's nav shows how many are waiting."""

import pytest
from django.urls import reverse

from news.context_processors import news_panel
from news.models import Comment, CommentStatus
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

QUEUE = "/panel/news/comments/"


@pytest.fixture
def pending():
    article = make_article(title="جشن کتاب‌خوانی در دامغان")
    texts = ["نظر منتظر نخست", "نظر منتظر دوم", "نظر منتظر سوم"]
    return [make_comment(article=article, approved=False, text=text) for text in texts]


def test_queue_needs_the_moderate_permission(client, pending):
    assert client.get(QUEUE).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(QUEUE).status_code == 403


def test_queue_lists_pending_comments_with_their_articles(client, moderator, pending):
    approved = make_comment(article=pending[0].article, text="نظر قبلاً تأییدشده")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    for comment in pending:
        assert comment.text in html
    assert approved.text not in html
    assert "جشن کتاب‌خوانی در دامغان" in html
    assert pending[0].article.get_absolute_url() in html


def test_queue_shows_which_comment_a_reply_answers(client, moderator):
    article = make_article()
    parent = make_comment(article=article, name="حسن", text="کی دوباره برگزار می‌شود؟")
    make_comment(article=article, parent=parent, approved=False, text="هفتهٔ بعد")
    client.force_login(moderator)
    assert "در پاسخ به «کی دوباره برگزار می‌شود؟» از حسن" in client.get(QUEUE).content.decode()


def test_approving_one_comment_publishes_it(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(QUEUE, {"approve_one": pending[0].pk}, follow=True)
    assert "۱ نظر تأیید شد." in response.content.decode()
    comment = Comment.objects.get(pk=pending[0].pk)
    assert comment.status == CommentStatus.APPROVED
    assert comment.moderated_by == moderator and comment.moderated_at is not None
    assert pending[0].text in client.get(pending[0].article.get_absolute_url()).content.decode()
    assert Comment.objects.pending().count() == 2


def test_rejecting_one_comment_keeps_it_off_the_page(client, moderator, pending):
    client.force_login(moderator)
    client.post(QUEUE, {"reject_one": pending[1].pk})
    assert Comment.objects.get(pk=pending[1].pk).status == CommentStatus.REJECTED
    assert pending[1].text not in client.get(pending[1].article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("reject", "rejected")])
def test_bulk_action_moderates_every_ticked_comment(client, moderator, pending, action, status):
    client.force_login(moderator)
    ticked = [pending[0].pk, pending[2].pk]
    client.post(QUEUE, {"action": action, "comments": ticked, "bulk": "1"})
    assert set(Comment.objects.filter(status=status).values_list("pk", flat=True)) == set(ticked)
    assert list(Comment.objects.pending()) == [pending[1]]


def test_bulk_action_with_nothing_ticked_changes_nothing(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(QUEUE, {"action": "approve", "bulk": "1"}, follow=True)
    assert "هیچ نظری انتخاب نشده است." in response.content.decode()
    assert Comment.objects.pending().count() == 3


def test_a_comment_already_moderated_elsewhere_is_reported_not_changed(client, moderator, pending):
    Comment.objects.filter(pk=pending[0].pk).update(status=CommentStatus.REJECTED)
    client.force_login(moderator)
    response = client.post(QUEUE, {"approve_one": pending[0].pk}, follow=True)
    assert "پیش‌تر بررسی شده بود" in response.content.decode()
    assert Comment.objects.get(pk=pending[0].pk).status == CommentStatus.REJECTED


def test_panel_nav_shows_the_pending_count_to_moderators(client, moderator, pending):
    client.force_login(moderator)
    html = client.get(reverse("portal:panel")).content.decode()
    badge = html[html.index("news-pending-badge") :][:200]
    assert "۳" in badge
    assert reverse("news_panel:comments") in html


def test_panel_nav_hides_the_queue_from_other_staff(client, pending):
    client.force_login(make_user())
    html = client.get(reverse("portal:panel")).content.decode()
    assert "news-pending-badge" not in html
    assert reverse("news_panel:comments") not in html


def test_pending_count_costs_nothing_until_a_template_asks(
    rf, moderator, pending, django_assert_num_queries
):
    request = rf.get("/panel/")
    request.user = moderator
    with django_assert_num_queries(0):
        context = news_panel(request)
    count = context["news_pending_comment_count"]
    assert count() == 3
    with django_assert_num_queries(0):
        assert count() == 3  # remembered for the rest of the request


def test_pending_count_is_none_for_users_who_may_not_moderate(rf, pending):
    request = rf.get("/panel/")
    request.user = make_user()
    assert news_panel(request)["news_pending_comment_count"]() is None


def test_admin_actions_approve_and_reject(admin_client, pending):
    url = reverse("admin:news_comment_changelist")
    admin_client.post(url, {"action": "approve", "_selected_action": [pending[0].pk]})
    admin_client.post(url, {"action": "reject", "_selected_action": [pending[1].pk]})
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[pending[0].pk] == "approved"
    assert statuses[pending[1].pk] == "rejected"
    assert statuses[pending[2].pk] == "pending"
