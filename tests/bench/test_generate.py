"""bench/generate at a thousandth of the national volumes: the proportions hold, what the app
derives is derived, and the pages open on what it made."""

import pytest
from django.db import connection
from django.db.models import Count

from agencies.access import StaffRole
from agencies.choices import RecordStatus
from agencies.models import (
    House,
    Household,
    RecordHousehold,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
)
from agencies.services import household_count_errors
from exhibition.media import sort_everything
from exhibition.models import Exhibit
from neighbourhoods.models import Neighbourhood, Province
from news.models import Article, Comment, CommentStatus, NewsCodeCounter
from tests.factories import make_record, make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the generator writes with PostgreSQL's COPY"
)


def test_the_volumes_are_the_national_ones_times_the_scale(generated, db):
    counts = {
        "provinces": Province.objects.count(),
        "neighbourhoods": Neighbourhood.objects.count(),
        "houses": House.objects.count(),
        "households": Household.objects.count(),
        "records": ServiceRecord.objects.count(),
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "exhibits": Exhibit.objects.count(),
    }

    assert counts == {
        "provinces": 31,
        "neighbourhoods": 2,
        "houses": 8,
        "households": 200,
        "records": 1000,
        "articles": 20,
        "comments": 200,
        "exhibits": 2,
    }


def test_records_reach_every_year_agency_and_domain(generated, db):
    reached = {
        "years": set(ServiceRecord.objects.values_list("jalali_year", flat=True)),
        "agencies": ServiceRecord.objects.values("house__agency").distinct().count(),
        "domains": ServiceRecord.objects.values("service_type__domain").distinct().count(),
    }

    assert reached == {
        "years": {1401, 1402, 1403, 1404, 1405},
        "agencies": 4,
        "domains": ServiceDomain.objects.count(),
    }


def test_most_records_are_approved_and_a_few_deleted(generated, db):
    total = ServiceRecord.objects.count()
    approved = ServiceRecord.objects.filter(status=RecordStatus.APPROVED).count()
    deleted = ServiceRecord.objects.deleted().count()

    assert (approved / total > 0.8, 0 < deleted / total < 0.05) == (True, True)


def test_every_record_has_its_history_from_the_day_it_was_entered(generated, db):
    first_rows = ServiceRecord.history.filter(history_type="+").values("id").distinct().count()

    assert first_rows == ServiceRecord.objects.count()


def test_records_that_list_households_agree_with_them(generated, db):
    linked = ServiceRecord.objects.filter(household_links__isnull=False).distinct()
    disagreeing = [
        record.pk
        for record in linked.prefetch_related("household_links__household")
        if household_count_errors(record, [link.household for link in record.household_links.all()])
    ]

    assert (linked.exists(), disagreeing) == (True, [])


def test_household_links_are_a_share_of_the_records(generated, db):
    share = (
        RecordHousehold.objects.values("record").distinct().count() / ServiceRecord.objects.count()
    )

    assert 0.05 < share < 0.5


def test_some_comments_answer_others_and_some_wait_for_moderation(generated, db):
    statuses = dict(
        Comment.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )

    assert (
        Comment.objects.filter(parent__isnull=False).exists(),
        statuses[CommentStatus.APPROVED] > statuses.get(CommentStatus.REJECTED, 0),
        CommentStatus.REJECTED in statuses,
    ) == (True, True, True)


def test_photo_files_lie_in_the_tree_their_rows_call_for(generated, db):
    moved = {part: placement.moved for part, placement in sort_everything().items()}

    assert moved == {"photos": 0, "covers": 0}


def test_the_news_code_counter_is_past_the_last_code(generated, db):
    last = Article.objects.order_by("-news_code").values_list("news_code", flat=True).first()

    assert NewsCodeCounter.objects.get(pk=1).last_code == last


def test_a_record_saved_afterwards_gets_the_next_id(generated, db):
    highest = ServiceRecord.objects.order_by("-pk").values_list("pk", flat=True).first()

    record = make_record(house=House.objects.first(), service_type=ServiceType.objects.first())

    assert record.pk == highest + 1


def test_the_records_list_opens_for_a_coordinator(generated, db, client):
    client.force_login(make_user(role=StaffRole.COORDINATOR))

    assert client.get("/panel/records/").status_code == 200


def test_the_public_agency_page_opens(generated, db, client):
    assert client.get("/agencies/emdad/").status_code == 200


def test_a_second_run_without_force_or_reset_is_refused(generate, generated, db):
    options = generate.arguments(["--scale", "0.001", "--quiet"])

    with pytest.raises(SystemExit) as refused:
        generate.run(options, out=None)

    assert "--reset" in str(refused.value)
