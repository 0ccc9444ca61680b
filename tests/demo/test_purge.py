"""purge_demo removes every demo row and file and nothing else, or refuses and changes nothing."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from agencies.access import SYSTEM
from agencies.models import Agency, House, ServiceRecord, ServiceType, StaffMembership
from core.caching import current_generation
from core.digits import to_persian_digits
from demo.models import DemoRow
from exhibition.models import Booth, Exhibit, Exhibition, Photo
from neighbourhoods.models import City, Neighbourhood
from news.models import Article, Comment
from news.services import article_save
from tests.factories import (
    StaffRole,
    make_article,
    make_booth,
    make_comment,
    make_exhibit,
    make_exhibition,
    make_house,
    make_neighbourhood,
    make_photo,
    make_record,
    make_user,
    small_image,
    stored_files,
)


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_demo", *args, stdout=out)
    return out.getvalue()


def every_count():
    """Rows of every table, link and history tables included."""
    return {m._meta.label: m.objects.count() for m in apps.get_models(include_auto_created=True)}


def pks(model):
    return set(model.objects.values_list("pk", flat=True))


def history_ids(model):
    return set(model.history.values_list("id", flat=True))


def test_dry_run_changes_nothing_and_says_what_would_go(demo_data, private_media_root):
    counts = every_count()
    files = stored_files(demo_data) + stored_files(private_media_root)  # the hidden photo's

    out = purge()

    assert (every_count(), stored_files(demo_data) + stored_files(private_media_root)) == (
        counts,
        files,
    )
    assert "چیزی تغییر نکرد" in out
    assert "محله: ۵۰" in out and "خانه: ۲۰۰" in out
    assert f"پروندهٔ تصویر (اصل و اندازه‌های آماده): {to_persian_digits(len(files))}" in out
    assert not re.search(r"[0-9]", out)  # every figure in Persian digits


def test_apply_leaves_exactly_the_real_rows_and_their_files(
    demo_data, private_media_root, client, django_capture_on_commit_callbacks
):
    semnan, ehsan = City.objects.get(slug="semnan"), Agency.objects.get(slug="ehsan")
    place = make_neighbourhood(city=semnan, name="کوی واقعی")
    house = make_house(agency=ehsan, neighbourhood=place)
    record = make_record(house=house, service_type=ServiceType.objects.first())
    # «سلامت» is a demo tag too: a real article using it keeps it.
    article = make_article(tags=["سلامت", "خبر واقعی"], neighbourhoods=[place])
    article = article_save(article=article, user=SYSTEM, image=small_image())
    comment = make_comment(article=article)
    booth = make_booth(exhibition=make_exhibition(), agency=ehsan)
    exhibit = make_exhibit(booth=booth, neighbourhood=place)
    photo = make_photo(exhibit=exhibit)
    coordinator = make_user(role=StaffRole.COORDINATOR)
    reference = {
        label: count
        for label, count in every_count().items()
        if label.split(".")[1] in {"County", "City", "Agency", "ServiceDomain", "ServiceType"}
        or label in {"news.Category", "auth.Group", "auth.Permission"}
    }
    generation = current_generation()
    assert stored_files(private_media_root)  # the demo's hidden photo

    with django_capture_on_commit_callbacks(execute=True):
        out = purge("--apply")

    assert "دادهٔ نمایشی پاک شد" in out and "خدمت ثبت‌شده: ۳" in out
    assert pks(Neighbourhood) == {place.pk}
    assert pks(House) == {house.pk}
    assert pks(ServiceRecord) == {record.pk}
    assert (pks(Article), pks(Comment)) == ({article.pk}, {comment.pk})
    assert set(Tag.objects.values_list("name", flat=True)) == {"سلامت", "خبر واقعی"}
    assert TaggedItem.objects.count() == 2
    assert (pks(Exhibition), pks(Booth)) == ({booth.exhibition_id}, {booth.pk})
    assert (pks(Exhibit), pks(Photo)) == ({exhibit.pk}, {photo.pk})
    assert pks(get_user_model()) == {coordinator.pk}
    assert pks(StaffMembership) == {coordinator.membership.pk}
    assert history_ids(Neighbourhood) == {place.pk}
    assert history_ids(House) == {house.pk}
    assert history_ids(ServiceRecord) == {record.pk}
    after = every_count()
    assert {label: after[label] for label in reference} == reference
    kept = article.image_file_names() + photo.image_file_names()
    assert stored_files(demo_data) == sorted(demo_data / name for name in kept)
    assert stored_files(private_media_root) == []  # the hidden demo photo's files went too
    assert not DemoRow.objects.exists()
    assert current_generation() != generation

    assert "چیزی برای پاک کردن نمانده" in purge("--apply")
    client.force_login(coordinator)
    assert "purge_demo" not in client.get(reverse("portal:panel")).content.decode()


def demo_house():
    return House.objects.filter(neighbourhood__is_demo=True).first()


def real_record_in_a_demo_house():
    return make_record(house=demo_house(), service_type=ServiceType.objects.first())


def real_reply_to_a_demo_comment():
    parent = Comment.objects.approved().filter(article__isnull=False).first()
    return make_comment(article=parent.article, parent=parent)


def real_photo_in_a_demo_exhibit():
    return make_photo(exhibit=Exhibit.objects.first())


def real_article_about_a_demo_neighbourhood():
    return make_article(neighbourhoods=[Neighbourhood.objects.first()])


def real_record_entered_by_a_demo_user():
    house = make_house(agency=Agency.objects.first(), neighbourhood=make_neighbourhood())
    return make_record(
        house=house,
        service_type=ServiceType.objects.first(),
        created_by=get_user_model().objects.get(username="ehsan"),
    )


@pytest.mark.parametrize(
    "make_real_row",
    [
        real_record_in_a_demo_house,
        real_reply_to_a_demo_comment,
        real_photo_in_a_demo_exhibit,
        real_article_about_a_demo_neighbourhood,
        real_record_entered_by_a_demo_user,
    ],
)
def test_purge_refuses_a_real_row_that_depends_on_demo_data(
    demo_data, make_real_row, django_capture_on_commit_callbacks
):
    real = make_real_row()
    counts, files = every_count(), stored_files(demo_data)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as error:
        purge("--apply")

    assert (every_count(), stored_files(demo_data)) == (counts, files)
    assert str(error.value).startswith("دادهٔ نمایشی پاک نشد و چیزی تغییر نکرد")
    assert f"«{real}» (شناسهٔ {to_persian_digits(real.pk)})" in str(error.value)


def test_a_real_record_in_a_demo_house_is_named_in_the_dry_run_too(demo_data):
    record = real_record_in_a_demo_house()

    with pytest.raises(CommandError) as error:
        purge()

    assert (
        f"۱ خدمت ثبت‌شده که «خانه» آن خانه نمایشی است: «{record}» "
        f"(شناسهٔ {to_persian_digits(record.pk)})"
    ) in str(error.value)


def test_a_demo_neighbourhood_the_real_list_took_over_stays(demo_data):
    taken = Neighbourhood.objects.get(code="DEMO-01")
    taken.is_demo = False  # as the import of the real list leaves it
    taken.save()

    out = purge("--apply")

    assert pks(Neighbourhood) == {taken.pk}
    assert not House.objects.exists()
    assert "۱ محله‌ای که seed_demo ساخته بود با فهرست واقعی محله‌ها به‌روز شده" in out
