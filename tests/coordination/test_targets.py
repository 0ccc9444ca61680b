"""Yearly targets: progress against hand-computed figures, the elapsed share of the Jalali year
at its boundary, the services' rights and checks, and the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.choices import RecordStatus
from coordination.models import Target, TargetMeasure
from coordination.targets import expected_share, progress, summary, target_save
from core.jalali import to_gregorian
from core.periods import Period
from tests.factories import (
    StaffRole,
    make_agency,
    make_city,
    make_domain,
    make_house,
    make_neighbourhood,
    make_record,
    make_service_type,
    make_user,
)

pytestmark = pytest.mark.django_db

TARGETS = reverse("coordination_panel:targets")
CREATE = reverse("coordination_panel:target_create")
# 1404/07/01: 186 days of the year gone and this one, 187 of 365.
TODAY = to_gregorian(1404, 7, 1)
EXPECTED = 187 / 365


@pytest.fixture
def world():
    """Zarrin (Semnan) has Emdad's and Helal's houses, Kowsar (Shahrud) Helal's. Records, in
    beneficiaries/households:

    - Zarrin, health: Emdad 30/8 on 1404/02/11 and Helal 20/5 on 1404/05/10, both approved;
      Helal 100 submitted, Emdad 50 approved but deleted, Emdad 70 on 1403/11/12 (last year):
      these three do not count.
    - Zarrin, housing: Emdad 4/1 approved.
    - Kowsar, health: Helal 10/2 approved.

    Targets for 1404, against 187/365 = 0.5123 of the year gone on 1404/07/01:

    - all   Zarrin health  beneficiaries 100: 30 + 20 = 50  → 0.50, behind
    - Emdad Zarrin health  beneficiaries 40:  30            → 0.75, ahead
    - all   Zarrin health  households 26:     8 + 5 = 13    → 0.50, behind
    - all   Zarrin health  records 5:         2             → 0.40, behind
    - all   Zarrin housing beneficiaries 2:   4             → 2.00, ahead
    - Helal Kowsar health  records 1:         1             → 1.00, ahead
    """
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین", code="SMN-001")
    kowsar = make_neighbourhood(city=shahrud, name="کوثر", code="SHR-001")
    emdad = make_agency(slug="emdad", short_name="امداد")
    helal = make_agency(slug="helal", short_name="هلال")
    health, housing = make_domain(name="سلامت"), make_domain(name="مسکن")
    visit, repair = make_service_type(domain=health), make_service_type(domain=housing)
    emdad_zarrin = make_house(agency=emdad, neighbourhood=zarrin)
    helal_zarrin = make_house(agency=helal, neighbourhood=zarrin)
    helal_kowsar = make_house(agency=helal, neighbourhood=kowsar)

    def record(house, service_type, people, homes, day, **fields):
        make_record(
            house=house,
            service_type=service_type,
            beneficiaries=people,
            households=homes,
            delivered_on=to_gregorian(*day),
            **fields,
        )

    record(emdad_zarrin, visit, 30, 8, (1404, 2, 11))
    record(helal_zarrin, visit, 20, 5, (1404, 5, 10))
    record(helal_zarrin, visit, 100, 20, (1404, 6, 1), status=RecordStatus.SUBMITTED)
    record(
        emdad_zarrin,
        visit,
        50,
        10,
        (1404, 6, 2),
        deleted_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )
    record(emdad_zarrin, visit, 70, 15, (1403, 11, 12))
    record(emdad_zarrin, repair, 4, 1, (1404, 3, 1))
    record(helal_kowsar, visit, 10, 2, (1404, 4, 1))

    def target(neighbourhood, domain, measure, value, agency=None):
        return Target.objects.create(
            year=1404,
            neighbourhood=neighbourhood,
            domain=domain,
            agency=agency,
            measure=measure,
            value=value,
        )

    B, H, R = TargetMeasure.BENEFICIARIES, TargetMeasure.HOUSEHOLDS, TargetMeasure.RECORDS
    targets = {
        "all": target(zarrin, health, B, 100),
        "emdad": target(zarrin, health, B, 40, agency=emdad),
        "households": target(zarrin, health, H, 26),
        "records": target(zarrin, health, R, 5),
        "housing": target(zarrin, housing, B, 2),
        "kowsar": target(kowsar, health, R, 1, agency=helal),
    }
    return {
        "targets": targets,
        "zarrin": zarrin,
        "kowsar": kowsar,
        "health": health,
        "emdad": emdad,
        "semnan": semnan,
        "coordinator": make_user(role=StaffRole.COORDINATOR),
        "clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad, cities=[semnan]),
    }


def _by_name(world, items):
    names = {target.pk: name for name, target in world["targets"].items()}
    return {names[item.target.pk]: item for item in items}


def test_progress_counts_only_approved_live_records_of_the_year_and_the_agency(world):
    items = _by_name(world, progress(targets=Target.objects.all(), today=TODAY))
    achieved = {name: item.achieved for name, item in items.items()}
    assert achieved == {
        "all": 50,
        "emdad": 30,
        "households": 13,
        "records": 2,
        "housing": 4,
        "kowsar": 1,
    }


def test_progress_sets_each_share_beside_the_year_gone(world):
    items = _by_name(world, progress(targets=Target.objects.all(), today=TODAY))
    assert items["housing"].share == 2.0  # passed twice over: the share is not capped
    assert items["records"].expected == pytest.approx(EXPECTED)
    assert {name for name, item in items.items() if item.behind} == {
        "all",
        "households",
        "records",
    }
    assert items["all"].label == "۵۰ از ۱۰۰ ذی‌نفع (۵۰٪)"
    assert items["all"].expected_label == "انتظار تا امروز: ۵۱٪"


def test_progress_costs_the_same_queries_for_more_targets(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the targets, one GROUP BY of the records
        progress(targets=Target.objects.with_related(), today=TODAY)
    zarrin, health = world["zarrin"], world["health"]
    for year in range(1395, 1404):
        Target.objects.create(
            year=year, neighbourhood=zarrin, domain=health, measure="records", value=3
        )
    with django_assert_num_queries(2):
        assert len(progress(targets=Target.objects.with_related(), today=TODAY)) == 15


@pytest.mark.parametrize(
    ("year", "day", "expected"),
    [
        (1404, (1404, 12, 28), 364 / 365),
        (1404, (1404, 12, 29), 1.0),  # the last day of a common year: the whole year gone
        (1403, (1403, 12, 29), 365 / 366),
        (1403, (1403, 12, 30), 1.0),  # the last day of a leap year
        (1405, (1405, 1, 1), 1 / 365),  # the first day of a year: almost nothing expected
        (1404, (1405, 1, 1), 1.0),  # last year's targets: all of it
        (1405, (1404, 12, 29), 0.0),  # next year's: nothing yet
    ],
)
def test_the_share_of_the_year_gone_at_the_year_boundary(year, day, expected):
    assert expected_share(year, to_gregorian(*day)) == pytest.approx(expected)


def test_on_new_year_day_a_new_target_expects_almost_nothing_and_last_years_everything(world):
    zarrin, health = world["zarrin"], world["health"]
    Target.objects.create(year=1405, neighbourhood=zarrin, domain=health, value=100)
    new_year = to_gregorian(1405, 1, 1)
    expected = {
        item.target.year: item.expected
        for item in progress(
            targets=Target.objects.filter(measure="beneficiaries", agency=None, domain=health),
            today=new_year,
        )
    }
    assert expected == {1404: 1.0, 1405: pytest.approx(1 / 365)}


def test_summary_counts_the_behind_and_names_the_worst_first(world):
    digest = summary(targets=Target.objects.all(), today=TODAY, worst=2)
    names = {target.pk: name for name, target in world["targets"].items()}
    assert (digest.count, digest.behind, digest.year) == (6, 3, 1404)
    # 0.40 is the furthest from 0.51; the two at 0.50 come in the order they were set.
    assert [names[item.target.pk] for item in digest.worst] == ["records", "all"]
    # Health: 0.5, 0.75, 0.5, 0.4 and Kowsar's 1.0 → 0.63; housing's 2.0 counts as 1.
    shares = {group.name: round(group.share, 2) for group in digest.by_domain}
    assert shares == {"سلامت": 0.63, "مسکن": 1.0}
    assert [group.name for group in digest.by_neighbourhood] == [
        "کوثر (شاهرود)",
        "کوی زرین (سمنان)",
    ]


def test_summary_costs_the_same_queries_for_more_targets(world, django_assert_num_queries):
    # The targets as rows, one GROUP BY of the records, the few furthest behind as targets.
    with django_assert_num_queries(3):
        before = summary(targets=Target.objects.all(), today=TODAY)
    zarrin, health = world["zarrin"], world["health"]
    for n in range(40):
        place = make_neighbourhood(city=zarrin.city)
        Target.objects.create(year=1404, neighbourhood=place, domain=health, value=10 + n)
    with django_assert_num_queries(3):
        after = summary(targets=Target.objects.all(), today=TODAY)
    assert (before.count, after.count, after.behind) == (6, 46, 43)
    # Equally far behind (nothing done): the first set comes first.
    assert [item.target.value for item in after.worst] == [10, 11, 12, 13, 14]
    assert after.worst[0].label == "۰ از ۱۰ ذی‌نفع (۰٪)"


# --- Services ------------------------------------------------------------------------------------


def _new(world, **fields):
    return Target(
        **{
            "year": 1404,
            "neighbourhood": world["kowsar"],
            "domain": world["health"],
            "measure": "households",
            "value": 10,
        }
        | fields
    )


def test_a_clerk_may_not_save_a_target(world):
    with pytest.raises(PermissionDenied):
        target_save(target=_new(world), user=world["clerk"])


def test_a_second_target_for_all_agencies_is_refused_in_persian(world):
    repeat = _new(world, neighbourhood=world["zarrin"], measure="beneficiaries")
    with pytest.raises(ValidationError) as refused:
        target_save(target=repeat, user=world["coordinator"])
    assert "از پیش هست" in refused.value.message_dict["__all__"][0]


def test_a_target_for_an_agency_without_a_house_there_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        target_save(target=_new(world, agency=world["emdad"]), user=world["coordinator"])
    assert "خانه ندارد" in refused.value.message_dict["agency"][0]


def test_the_history_keeps_who_saved_the_target(world):
    target = target_save(target=_new(world), user=world["coordinator"])
    assert target.history.get().history_user == world["coordinator"]


# --- Pages ----------------------------------------------------------------------------------


def _this_year():
    return Period.current_year(timezone.localdate()).year


def test_a_coordinator_creates_a_target_typed_in_persian_digits(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        CREATE,
        {
            "year": "۱۴۰۴",
            "neighbourhood": world["kowsar"].pk,
            "domain": world["health"].pk,
            "agency": "",
            "measure": "households",
            "value": "۱٬۲۰۰",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(neighbourhood=world["kowsar"], measure="households").value == 1200


def test_a_coordinator_edits_a_target(client, world):
    target = world["targets"]["all"]
    client.force_login(world["coordinator"])
    edit = reverse("coordination_panel:target_edit", args=[target.pk])
    data = {
        "year": "1404",
        "neighbourhood": target.neighbourhood_id,
        "domain": target.domain_id,
        "agency": "",
        "measure": "beneficiaries",
        "value": "80",
    }
    assert client.post(edit, data).status_code == 302
    target.refresh_from_db()
    assert target.value == 80


def test_a_coordinator_deletes_a_target_after_confirming(client, world):
    target = world["targets"]["housing"]
    client.force_login(world["coordinator"])
    delete = reverse("coordination_panel:target_delete", args=[target.pk])
    assert client.get(delete).status_code == 200
    client.post(delete)
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_clerk_reads_the_targets_but_may_not_create_one(client, world):
    client.force_login(world["clerk"])
    assert client.get(TARGETS + "?year=1404").status_code == 200
    assert client.get(CREATE).status_code == 403


def test_a_clerk_sees_only_the_targets_of_her_cities(client, world):
    client.force_login(world["clerk"])
    response = client.get(TARGETS + "?year=1404")
    places = {item.target.neighbourhood.name for item in response.context["items"]}
    assert places == {"کوی زرین"}


def test_a_clerk_is_told_another_citys_neighbourhood_does_not_exist(client, world):
    client.force_login(world["clerk"])
    page = reverse("coordination_panel:target_neighbourhood", args=[world["kowsar"].pk])
    assert client.get(page).status_code == 404


def test_a_bar_says_its_figures_and_the_expected_share_in_words(client, world):
    zarrin = world["zarrin"]
    Target.objects.create(year=_this_year(), neighbourhood=zarrin, domain=world["health"], value=9)
    client.force_login(world["clerk"])
    page = reverse("coordination_panel:target_neighbourhood", args=[zarrin.pk])
    html = client.get(page).content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="0"' in html
    assert "۰ از ۹ ذی‌نفع (۰٪)" in html
    assert "انتظار تا امروز: " in html


def test_behind_targets_are_marked_in_words_not_only_colour(client, world):
    Target.objects.create(
        year=_this_year(), neighbourhood=world["zarrin"], domain=world["health"], value=9
    )
    client.force_login(world["coordinator"])
    response = client.get(TARGETS)
    assert response.context["behind_count"] == 1  # nothing done yet, and the year has begun
    assert "عقب‌تر از انتظار" in response.content.decode()


def test_the_list_costs_the_same_queries_for_more_targets(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["coordinator"])
    with django_assert_max_num_queries(12):
        client.get(TARGETS + "?year=1404")
    for year in range(1395, 1404):
        Target.objects.create(
            year=1404, neighbourhood=world["kowsar"], domain=make_domain(), value=year
        )
    with django_assert_max_num_queries(12):
        response = client.get(TARGETS + "?year=1404")
    assert response.context["count"] == 15


def test_the_admin_saves_through_the_service(admin_client, superuser, world):
    data = {
        "year": "۱۴۰۴",
        "neighbourhood": world["kowsar"].pk,
        "domain": world["health"].pk,
        "agency": "",
        "measure": "households",
        "value": "12",
    }
    response = admin_client.post(reverse("admin:coordination_target_add"), data)
    assert response.status_code == 302
    saved = Target.objects.get(neighbourhood=world["kowsar"], measure="households")
    assert saved.history.get().history_user == superuser


def test_the_year_chooser_selects_this_year_unless_told(client, world):
    client.force_login(world["clerk"])
    for query in ("", "?domain=" + str(world["health"].pk)):
        html = client.get(TARGETS + query).content.decode()
        assert f'<option value="{_this_year()}" selected>' in html


def test_the_admin_changes_a_targets_value(admin_client, world):
    target = world["targets"]["all"]
    data = {
        "year": "1404",
        "neighbourhood": target.neighbourhood_id,
        "domain": target.domain_id,
        "agency": "",
        "measure": "beneficiaries",
        "value": "90",
    }
    url = reverse("admin:coordination_target_change", args=[target.pk])
    assert admin_client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.value == 90
