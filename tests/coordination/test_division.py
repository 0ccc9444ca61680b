"""The division of labour: who leads and who supports each domain in each neighbourhood, kept
by coordinators, read by every program role, shown on the public neighbourhood page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination.division import (
    Assignment,
    division_apply_pattern,
    division_save,
    responsibility_save,
)
from coordination.models import Responsibility
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

MATRIX = reverse("coordination_panel:division")


@pytest.fixture
def world():
    """Two neighbourhoods in Semnan (Zarrin, Bagh), one in Shahrud (Kowsar); health and
    employment; Helal, Behzisti and Emdad; a coordinator and an Emdad clerk."""
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    emdad = make_agency(slug="emdad", short_name="امداد")
    helal = make_agency(slug="helal", short_name="هلال‌احمر")
    behzisti = make_agency(slug="behzisti", short_name="بهزیستی")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین", code="SMN-001")
    make_house(agency=emdad, neighbourhood=zarrin)
    return {
        "zarrin": zarrin,
        "bagh": make_neighbourhood(city=semnan, name="باغ"),
        "kowsar": make_neighbourhood(city=shahrud, name="کوثر"),
        "health": make_domain(name="سلامت", order=1),
        "employment": make_domain(name="اشتغال", order=2),
        "emdad": emdad,
        "helal": helal,
        "behzisti": behzisti,
        "coordinator": make_user(role=StaffRole.COORDINATOR, first_name="مریم", last_name="هماهنگ"),
        "clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
    }


def lead_health(world, place="zarrin", user="coordinator"):
    """Helal leads health in *place*, Behzisti supports."""
    return responsibility_save(
        responsibility=Responsibility(
            neighbourhood=world[place], domain=world["health"], lead=world["helal"]
        ),
        supporters=[world["behzisti"]],
        user=world[user],
    )


def division_of(place):
    return {
        row.domain.name: (
            row.lead.short_name if row.lead else None,
            sorted(agency.short_name for agency in row.supporters.all()),
        )
        for row in Responsibility.objects.filter(neighbourhood=place).with_related()
    }


# --- The service ---------------------------------------------------------------------------


def test_a_coordinator_saves_a_lead_and_supporters(world):
    lead_health(world)
    assert division_of(world["zarrin"]) == {"سلامت": ("هلال‌احمر", ["بهزیستی"])}


def test_a_clerk_may_not_change_the_division(world):
    with pytest.raises(PermissionDenied):
        lead_health(world, user="clerk")
    assert not Responsibility.objects.exists()


def test_the_lead_may_not_also_support(world):
    with pytest.raises(ValidationError) as error:
        responsibility_save(
            responsibility=Responsibility(
                neighbourhood=world["zarrin"], domain=world["health"], lead=world["helal"]
            ),
            supporters=[world["helal"], world["behzisti"]],
            user=world["coordinator"],
        )
    assert error.value.message_dict == {
        "supporters": ["«هلال‌احمر» دستگاه مسئول این حوزه است و نمی‌تواند همکار هم باشد."]
    }
    assert not Responsibility.objects.exists()


def test_each_change_keeps_one_history_row_with_its_user(world):
    row = lead_health(world)
    row.lead = world["emdad"]
    responsibility_save(responsibility=row, supporters=[], user=world["coordinator"])
    history = list(row.history.order_by("history_date", "history_id"))
    assert [
        (h.history_type, h.lead_id, [s.agency_id for s in h.supporters.all()], h.history_user)
        for h in history
    ] == [
        ("+", world["helal"].pk, [world["behzisti"].pk], world["coordinator"]),
        ("~", world["emdad"].pk, [], world["coordinator"]),
    ]


def test_saving_the_same_division_again_writes_nothing(world):
    row = lead_health(world)
    lead_health_again = responsibility_save(
        responsibility=row, supporters=[world["behzisti"]], user=world["coordinator"]
    )
    assert (lead_health_again.pk, row.history.count()) == (row.pk, 1)


def test_a_change_makes_the_public_pages_stale(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        lead_health(world)
    assert len(callbacks) == 1


def test_a_neighbourhood_is_saved_all_domains_or_none(world):
    with pytest.raises(ValidationError) as error:
        division_save(
            neighbourhood=world["zarrin"],
            assignments=[
                Assignment(domain=world["health"], lead=world["helal"]),
                Assignment(
                    domain=world["employment"], lead=world["emdad"], supporters=(world["emdad"],)
                ),
            ],
            user=world["coordinator"],
        )
    assert list(error.value.message_dict) == [f"supporters_{world['employment'].pk}"]
    assert not Responsibility.objects.exists()


# --- Copying a neighbourhood's division to its city -----------------------------------------


def test_apply_to_city_changes_only_that_citys_other_neighbourhoods(world):
    lead_health(world)
    responsibility_save(
        responsibility=Responsibility(
            neighbourhood=world["bagh"], domain=world["employment"], lead=world["helal"]
        ),
        supporters=[],
        user=world["coordinator"],
    )
    changed = division_apply_pattern(source=world["zarrin"], user=world["coordinator"])
    assert (changed, division_of(world["bagh"]), division_of(world["kowsar"])) == (
        1,
        {"سلامت": ("هلال‌احمر", ["بهزیستی"]), "اشتغال": (None, [])},
        {},
    )


def test_apply_to_city_twice_changes_nothing_the_second_time(world):
    lead_health(world)
    division_apply_pattern(source=world["zarrin"], user=world["coordinator"])
    assert division_apply_pattern(source=world["zarrin"], user=world["coordinator"]) == 0


def test_a_clerk_may_not_apply_a_pattern(world):
    lead_health(world)
    with pytest.raises(PermissionDenied):
        division_apply_pattern(source=world["zarrin"], user=world["clerk"])


def test_the_confirm_step_says_how_many_neighbourhoods_of_which_city(client, world):
    lead_health(world)
    client.force_login(world["coordinator"])
    url = reverse("coordination_panel:division_apply", args=[world["zarrin"].pk])
    html = client.post(url).content.decode()
    assert "تقسیم کار <strong>۱ محله</strong> از شهر سمنان تغییر می‌کند" in html
    assert not Responsibility.objects.filter(neighbourhood=world["bagh"]).exists()


def test_confirming_applies_and_says_so(client, world):
    lead_health(world)
    client.force_login(world["coordinator"])
    url = reverse("coordination_panel:division_apply", args=[world["zarrin"].pk])
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "به ۱ محلهٔ دیگر شهر سمنان داده شد" in response.content.decode()
    assert division_of(world["bagh"]) == {"سلامت": ("هلال‌احمر", ["بهزیستی"])}


# --- The panel pages ------------------------------------------------------------------------


def test_the_matrix_shows_leads_supporters_and_gaps_to_a_coordinator(client, world):
    lead_health(world)
    client.force_login(world["coordinator"])
    response = client.get(MATRIX, {"city": world["zarrin"].city_id})
    html = response.content.decode()
    edit = reverse("coordination_panel:division_edit", args=[world["zarrin"].pk])
    assert [row.neighbourhood.name for row in response.context["matrix"].rows] == [
        "باغ",
        "کوی زرین",
    ]
    assert "همکار: بهزیستی" in html
    assert f'href="{edit}"' in html
    # Zarrin: employment without a lead, Helal silent in health; Bagh: both domains open.
    assert response.context["matrix"].gap_count == 4


def test_the_matrix_is_read_only_for_a_clerk(client, world):
    lead_health(world)
    client.force_login(world["clerk"])
    html = client.get(MATRIX).content.decode()
    assert "هلال‌احمر" in html
    assert "/division/" + str(world["zarrin"].pk) + '/"' not in html


def test_a_city_typed_wrong_into_the_url_shows_every_neighbourhood(client, world):
    client.force_login(world["coordinator"])
    response = client.get(MATRIX, {"city": "سمنان", "page": "x"})
    assert len(response.context["matrix"].rows) == 3


def test_only_neighbourhoods_with_gaps_when_asked(client, world):
    for domain in ("health", "employment"):
        responsibility_save(
            responsibility=Responsibility(
                neighbourhood=world["zarrin"], domain=world[domain], lead=world["emdad"]
            ),
            supporters=[],
            user=world["coordinator"],
        )
        make_record(
            house=world["zarrin"].houses.get(),
            service_type=make_service_type(domain=world[domain]),
            delivered_on=timezone.localdate(),
        )
    client.force_login(world["coordinator"])
    response = client.get(MATRIX, {"gaps": "on"})
    assert [row.neighbourhood.name for row in response.context["matrix"].rows] == ["باغ", "کوثر"]


@pytest.mark.parametrize("extra", [2, 30])
def test_matrix_queries_do_not_grow_with_neighbourhoods(
    client, world, extra, django_assert_max_num_queries
):
    lead_health(world)
    for _n in range(extra):
        place = make_neighbourhood(city=world["zarrin"].city)
        make_house(agency=world["helal"], neighbourhood=place)
        Responsibility.objects.create(
            neighbourhood=place, domain=world["health"], lead=world["helal"]
        )
    client.force_login(world["coordinator"])
    # 3 for the session, user and membership, 2 for the panel's nav (user's rights) and 1 for
    # the demo notice; the page: count and ids of the page, rules, neighbourhoods, domains,
    # rows, supporters, the leads busy lately, the silent leads' last records, and the
    # filter's cities.
    with django_assert_max_num_queries(16):
        assert client.get(MATRIX).status_code == 200


def test_a_coordinator_edits_a_neighbourhoods_domains_in_one_form(client, world):
    client.force_login(world["coordinator"])
    url = reverse("coordination_panel:division_edit", args=[world["zarrin"].pk])
    health, employment = world["health"].pk, world["employment"].pk
    response = client.post(
        url,
        {
            f"lead_{health}": world["helal"].pk,
            f"supporters_{health}": [world["behzisti"].pk, world["emdad"].pk],
            f"lead_{employment}": world["emdad"].pk,
        },
    )
    assert response.status_code == 302
    assert division_of(world["zarrin"]) == {
        "سلامت": ("هلال‌احمر", ["امداد", "بهزیستی"]),
        "اشتغال": ("امداد", []),
    }


def test_the_edit_form_refuses_a_lead_among_its_supporters(client, world):
    client.force_login(world["coordinator"])
    url = reverse("coordination_panel:division_edit", args=[world["zarrin"].pk])
    health = world["health"].pk
    response = client.post(
        url, {f"lead_{health}": world["helal"].pk, f"supporters_{health}": [world["helal"].pk]}
    )
    assert "نمی‌تواند همکار هم باشد" in response.content.decode()
    assert not Responsibility.objects.exists()


def test_the_history_page_says_who_changed_what(client, world):
    row = lead_health(world)
    row.lead = world["emdad"]
    responsibility_save(responsibility=row, supporters=[], user=world["coordinator"])
    client.force_login(world["clerk"])
    url = reverse("coordination_panel:division_history", args=[world["zarrin"].pk])
    changes = client.get(url).context["changes"]
    assert [(c.domain.name, c.old_lead, c.lead, c.supporters) for c in changes] == [
        ("سلامت", "هلال‌احمر", "امداد", "—"),
        ("سلامت", None, "هلال‌احمر", "بهزیستی"),
    ]


# --- The public neighbourhood page and the admin ---------------------------------------------


def test_the_public_page_says_who_is_responsible_for_what(client, world):
    lead_health(world)
    response = client.get(f"/neighbourhoods/{world['zarrin'].code}/")
    html = response.content.decode()
    assert "تقسیم کار در این محله" in html
    assert [
        (cell.domain.name, cell.lead.short_name if cell.lead else None)
        for cell in response.context["division"]
    ] == [("سلامت", "هلال‌احمر"), ("اشتغال", None)]
    assert "هنوز تعیین نشده" in html


def test_the_admin_saves_through_the_service(admin_client, world):
    response = admin_client.post(
        reverse("admin:coordination_responsibility_add"),
        {
            "neighbourhood": world["zarrin"].pk,
            "domain": world["health"].pk,
            "lead": world["helal"].pk,
            "supporters": [world["behzisti"].pk],
        },
    )
    assert response.status_code == 302
    row = Responsibility.objects.get()
    assert (row.history.count(), [s.agency_id for s in row.history.get().supporters.all()]) == (
        1,
        [world["behzisti"].pk],
    )


def test_the_admin_refuses_a_lead_among_its_supporters(admin_client, world):
    response = admin_client.post(
        reverse("admin:coordination_responsibility_add"),
        {
            "neighbourhood": world["zarrin"].pk,
            "domain": world["health"].pk,
            "lead": world["helal"].pk,
            "supporters": [world["helal"].pk],
        },
    )
    assert "نمی‌تواند همکار هم باشد" in response.content.decode()
