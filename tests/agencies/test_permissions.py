"""Every staff URL of the records panel × every role, including guessed ids of records
outside the user's scope (404, nothing changed)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agencies.choices import RecordStatus
from agencies.models import ServiceRecord
from tests.factories import make_record

# (url name, method, which record the URL names: None, "alive" or "deleted")
CASES = [
    ("list", "get", None),
    ("deleted", "get", None),
    ("create", "get", None),
    ("create", "post", None),
    ("detail", "get", "alive"),
    ("detail", "get", "deleted"),
    ("history", "get", "alive"),
    ("edit", "get", "alive"),
    ("edit", "post", "alive"),
    ("delete", "get", "alive"),
    ("delete", "post", "alive"),
    ("restore", "get", "deleted"),
    ("restore", "post", "deleted"),
]
WRITES = {"create", "edit", "delete"}

# role: (user attribute on `people`, whose record the URL names)
ROLES = {
    "anonymous": (None, "own"),
    "no_membership": ("outsider", "own"),
    "agency_staff": ("staff", "own"),
    "agency_staff_other_agency": ("staff", "other_agency"),
    "city_staff_other_city": ("city_staff", "other_city"),
    "viewer": ("viewer", "own"),
    "coordinator": ("coordinator", "other_agency"),
    "superuser": ("superuser", "other_agency"),
}


def expected_status(role, name, method, target):
    if role == "anonymous":
        return 302
    if role == "no_membership":
        return 403
    if target and role in ("agency_staff_other_agency", "city_staff_other_city"):
        return 404
    if name == "restore":
        if role not in ("coordinator", "superuser"):
            return 403
        return 405 if method == "get" else 302
    if name in WRITES:
        if role == "viewer":
            return 403
        if method == "post":
            # Staff posting a guessed house outside their scope get the form back, with an error.
            return 200 if role.endswith(("other_agency", "other_city")) else 302
    return 200


def _houses(program):
    return {
        "own": program.emdad_semnan,
        "other_agency": program.helal_semnan,
        "other_city": program.emdad_shahrud,
    }


@pytest.fixture
def targets(program):
    """Alive and deleted records in three places: own agency and city, another agency,
    own agency in another city."""
    result = {}
    for key, house in _houses(program).items():
        result[key, "alive"] = make_record(
            house=house, service_type=program.visit, status=RecordStatus.SUBMITTED
        )
        deleted = make_record(house=house, service_type=program.visit)
        ServiceRecord.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
        result[key, "deleted"] = deleted
    return result


def _snapshot():
    return list(
        ServiceRecord.objects.order_by("pk").values_list(
            "pk", "version", "deleted_at", "beneficiaries", "notes"
        )
    )


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("name", "method", "target"), CASES, ids=lambda v: str(v))
def test_permission_matrix(client, program, people, targets, form_data, role, name, method, target):
    user_attr, whose = ROLES[role]
    if user_attr:
        client.force_login(getattr(people, user_attr))
    record = targets[whose, target] if target else None
    url = reverse(f"agencies_panel:{name}", args=[record.pk] if record else [])
    data = {}
    if method == "post" and name in ("create", "edit"):
        house = record.house if record else _houses(program)[whose]
        # The fixture's other agencies worked here too: answer the parallel-work warning,
        # which is not what this matrix is about (tests/agencies/test_parallel_work.py is).
        data = form_data(
            house,
            program.visit,
            version=record.version if record else "",
            parallel_reason="خانوارهای دیگر",
        )
    before = _snapshot()

    response = getattr(client, method)(url, data)

    expected = expected_status(role, name, method, target)
    assert response.status_code == expected, (role, name, method, response.status_code)
    if role == "anonymous":
        assert response.url.startswith(reverse(settings.LOGIN_URL))
    if expected != 302 or role == "anonymous":
        assert _snapshot() == before, "a refused request changed records"
    if expected == 200 and method == "get" and name in ("list", "deleted"):
        shown = set(response.context["records"])
        assert shown <= set(ServiceRecord.objects.visible_to(getattr(people, user_attr)))


def test_no_membership_user_sees_no_records_and_no_link(client, people, targets):
    client.force_login(people.outsider)
    assert ServiceRecord.objects.visible_to(people.outsider).count() == 0
    html = client.get(reverse("portal:panel")).content.decode()
    assert reverse("agencies_panel:list") not in html


def test_staff_guessing_ids_learn_nothing(client, people, targets):
    """A record of another agency and an id that does not exist answer the same."""
    client.force_login(people.staff)
    other = targets["other_agency", "alive"]
    missing = ServiceRecord.objects.order_by("-pk").first().pk + 1000
    for pk in (other.pk, missing):
        response = client.get(reverse("agencies_panel:detail", args=[pk]))
        assert response.status_code == 404
        assert "پیدا نشد" in response.content.decode()
