"""Every page of the Django admin, on the demo data, speaks Persian: no Latin word that the
admin itself wrote, in what is read (the text) or what is read aloud (the alternative texts and
labels a screen reader says). Latin words that come from the data are fine: usernames, slugs,
codes, a password hash's algorithm.

Django's Persian catalogue lacks some of the admin's words («Model name», «Breadcrumbs», the
rows' «Select this object for an action», the account forms' newer messages); they are filled in
by locale/fa/LC_MESSAGES/django.po, and the rest by core.admin and portal/admin.py.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Latin that belongs in a Persian page: the names of keys and file formats, protocols, and the
# examples of what is typed in Latin (a page address, a colour).
EXPECTED = {
    "Control", "Command", "Mac",  # «hold down Control, or Command on a Mac»
    "JPEG", "PNG", "WebP", "IP", "HTTP", "User", "Agent",
    "harekat",  # an exhibition's address, as its help text shows one
}  # fmt: skip

READ_ALOUD = ("alt", "title", "aria-label", "placeholder")


class Words(HTMLParser):
    """The text of a page (not its scripts and styles) and the attributes read aloud."""

    def __init__(self):
        super().__init__()
        self.skipping = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        button = tag == "input" and dict(attrs).get("type") in ("submit", "button")
        for name, value in attrs:
            if value and (name in READ_ALOUD or (name == "value" and button)):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.found.append(data)


def data_words() -> set[str]:
    """Every Latin word in the program's text columns, and in the accounts' password hashes."""
    words = set()
    for model in apps.get_models():
        text = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*text) if text else []:
            for value in row:
                words.update(LATIN_WORD.findall(str(value or "")))
    return words


def admin_pages(user) -> list[str]:
    """The index, every app's page, and of every model its list, its add form, and the change
    form, history and delete confirmation of its first row, where the admin lets a superuser."""
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages += [reverse("admin:app_list", args=[opts.app_label]), reverse(f"{name}_changelist")]
        request = type("Request", (), {"user": user})()
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages += [
                reverse(f"{name}_change", args=[first.pk]),
                reverse(f"{name}_history", args=[first.pk]),
            ]
            if model_admin.has_delete_permission(request, first):
                pages.append(reverse(f"{name}_delete", args=[first.pk]))
    return list(dict.fromkeys(pages))


@pytest.fixture
def demo_admin(demo_data, client):
    """The demo's administrator, signed in (which also writes a login record for the
    django-axes admins to list)."""
    user = get_user_model().objects.get(username="admin")
    client.force_login(user)
    return user


def test_the_admin_writes_no_latin_word_of_its_own(demo_admin, client):
    user = demo_admin
    data = data_words()
    pages = admin_pages(user)
    foreign = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = Words()
        parser.feed(response.content.decode())
        for text in parser.found:
            for word in set(LATIN_WORD.findall(text)) - EXPECTED - data:
                # A password hash is shown by its first few characters.
                if not any(known.startswith(word) for known in data):
                    foreign.setdefault(word, f"{url}: «{text.strip()[:90]}»")
    assert foreign == {}
    assert len(pages) > 100  # every admin was reached, not only the index


def test_yes_and_no_icons_are_read_as_persian_words(demo_admin, client):
    html = client.get(reverse("admin:agencies_house_changelist")).content.decode()
    assert re.search(r'<img src="[^"]*/icon-yes\.svg" alt="بله">', html)
    assert 'alt="True"' not in html
    assert 'alt="False"' not in html


def test_permissions_are_listed_by_what_they_allow(demo_admin, client):
    group = apps.get_model("auth", "Group").objects.order_by("pk").first()
    html = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert ">اخبار | ویرایش خبر</option>" in html
    assert ">دستگاه‌ها و خدمات | دیدن تاریخچهٔ خدمت ثبت‌شده</option>" in html
    assert ">هماهنگی دستگاه‌ها | افزودن تاریخچهٔ تقسیم کار: دستگاه‌های همکار</option>" in html
    assert "Can change" not in html
