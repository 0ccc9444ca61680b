"""Who may open every staff page, walked from the URL configuration itself.

The matrix below has a row for every URL pattern under /panel/ and for every model in the
Django admin. The tests find the patterns by walking the resolver, so a new staff page or admin
without a row fails here until someone decides who may use it. Every object the URLs name
belongs to Emdad in Semnan; Helal's clerk must get 404 for all of them (a guessed id tells
nothing), a role without the right 403, anonymous visitors the login page.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies.choices import RecordStatus
from coordination.models import Target
from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from tests.factories import (
    StaffRole,
    make_agency,
    make_article,
    make_booth,
    make_city,
    make_domain,
    make_exhibit,
    make_exhibition,
    make_house,
    make_household,
    make_neighbourhood,
    make_photo,
    make_record,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "clerk",  # Emdad staff, every city
    "city_clerk",  # Emdad staff, Semnan only
    "other_clerk",  # Helal staff
    "supervisor",  # Emdad's provincial supervisor: approves Emdad's records
    "viewer",
    "coordinator",
    "editor",
    "moderator",
    "superuser",
]
PROGRAM = ["clerk", "city_clerk", "other_clerk", "supervisor", "viewer", "coordinator", "superuser"]
WRITERS = ["clerk", "city_clerk", "other_clerk", "supervisor", "coordinator", "superuser"]


def expect(default, **by_role):
    """Expected status per role: *default* for signed-in roles not named, 302 for anonymous."""
    codes = {role: default for role in ROLES}
    codes["anonymous"] = 302
    codes.update(by_role)
    return codes


def program_page(ok=200):
    """A page every program role may read; the others have no business there."""
    return expect(403, **{role: ok for role in PROGRAM})


def writing_page(ok=200):
    """A page that writes, not about one agency's object: clerks and coordinators."""
    return expect(403, **{role: ok for role in WRITERS})


def emdad_object(ok=200, *, viewer=None):
    """A page about an Emdad object in Semnan: Helal's clerk is told it does not exist;
    the viewer reads it (``viewer=ok``) or is refused writing it (403)."""
    return expect(
        403,
        clerk=ok,
        city_clerk=ok,
        other_clerk=404,
        supervisor=ok,
        viewer=403 if viewer is None else viewer,
        coordinator=ok,
        superuser=ok,
    )


def reviewing(ok):
    """Approving or returning Emdad's records: its supervisor and coordinators."""
    return expect(403, other_clerk=404, supervisor=ok, coordinator=ok, superuser=ok)


def account_page(ok=200):
    """Accounts: coordinators everywhere, a supervisor for their agency's clerks."""
    return expect(403, supervisor=ok, coordinator=ok, superuser=ok)


def province_page(ok=200):
    """The province's own data: coordinators (and superusers) only."""
    return expect(403, coordinator=ok, superuser=ok)


class Given(str):
    """A URL keyword written into the URL as it is (a table's name, a file format), where the
    other keywords name an object of the world and take its primary key."""


class FileOf(str):
    """A URL keyword that is the stored file (the original) of an object of the world."""


# name -> (method, kwargs from the world, expected status by role)
MATRIX = {
    "portal:login": ("get", {}, expect(302, anonymous=200)),
    "portal:logout": ("post", {}, expect(302)),
    "portal:panel": ("get", {}, expect(200)),
    # A photo's file read through the application (core/media.py): whoever sees its booth.
    "portal:private_media": ("get", {"name": FileOf("photo")}, emdad_object(viewer=200)),
    # Service records
    "agencies_panel:list": ("get", {}, program_page()),
    "agencies_panel:create": ("get", {}, writing_page()),
    "agencies_panel:deleted": ("get", {}, program_page()),
    # Exports of the list and of the dashboards' tables: each role gets its own scope's rows.
    "agencies_panel:export": ("get", {"fmt": Given("xlsx")}, program_page()),
    # Import of records from a spreadsheet: every writer, each for the houses of their scope.
    "agencies_panel:import": ("get", {}, writing_page()),
    "agencies_panel:import_template": ("get", {}, writing_page()),
    "reports_panel:export": (
        "get",
        {"table": Given("pivot"), "fmt": Given("xlsx")},
        program_page(),
    ),
    "agencies_panel:detail": ("get", {"pk": "record"}, emdad_object(viewer=200)),
    "agencies_panel:history": ("get", {"pk": "record"}, emdad_object(viewer=200)),
    "agencies_panel:edit": ("get", {"pk": "record"}, emdad_object()),
    "agencies_panel:delete": ("get", {"pk": "record"}, emdad_object()),
    "agencies_panel:restore": (
        "post",
        {"pk": "deleted_record"},
        expect(403, other_clerk=404, coordinator=302, superuser=302),
    ),
    # The record is submitted: sending it again changes nothing and leads back to it.
    "agencies_panel:submit": ("post", {"pk": "record"}, emdad_object(302)),
    # A return without its reason is refused as a form error, for those who may return.
    "agencies_panel:return": ("post", {"pk": "record"}, reviewing(400)),
    # Nothing ticked: nothing approved, back to the list.
    "agencies_panel:approve": (
        "post",
        {},
        expect(403, supervisor=302, coordinator=302, superuser=302),
    ),
    # Households: read only by those who write records (the viewer is refused), each their
    # own scope's; the household named is Emdad's, so Helal's clerk is told it does not exist.
    # The access log is the coordinators'.
    "households_panel:list": ("get", {}, writing_page()),
    # Households from a spreadsheet: every writer, for the neighbourhoods of their open houses.
    "households_panel:import": ("get", {}, writing_page()),
    "households_panel:import_template": ("get", {}, writing_page()),
    "households_panel:register": ("get", {}, writing_page()),
    "households_panel:find": ("get", {}, writing_page()),
    "households_panel:log": ("get", {}, province_page()),
    "households_panel:detail": ("get", {"pk": "household"}, emdad_object()),
    "households_panel:edit": ("get", {"pk": "household"}, emdad_object()),
    "households_panel:erase": ("get", {"pk": "household"}, emdad_object()),
    # Houses: coordinators keep their details; Helal's clerk does not find Emdad's house.
    "houses_panel:list": ("get", {}, province_page()),
    "houses_panel:edit": (
        "get",
        {"pk": "house"},
        expect(403, other_clerk=404, coordinator=200, superuser=200),
    ),
    "houses_panel:history": (
        "get",
        {"pk": "house"},
        expect(403, other_clerk=404, coordinator=200, superuser=200),
    ),
    # Accounts: coordinators, and Emdad's supervisor for Emdad's clerks; the account named is
    # the Emdad clerk of Semnan. Anyone else is refused without learning whether it exists.
    "accounts_panel:list": ("get", {}, account_page()),
    "accounts_panel:create": ("get", {}, account_page()),
    "accounts_panel:import": ("get", {}, account_page()),
    "accounts_panel:import_template": ("get", {}, account_page()),
    "accounts_panel:import_apply": ("post", {}, account_page(302)),
    "accounts_panel:detail": ("get", {"pk": "account"}, account_page()),
    "accounts_panel:edit": ("get", {"pk": "account"}, account_page()),
    "accounts_panel:reset_password": ("get", {"pk": "account"}, account_page()),
    "accounts_panel:deactivate": ("post", {"pk": "account"}, account_page(302)),
    "accounts_panel:reactivate": ("post", {"pk": "account"}, account_page(302)),
    "accounts_panel:password_change": ("get", {}, expect(200)),
    # The neighbourhood list
    "neighbourhoods_panel:import": ("get", {}, province_page()),
    "neighbourhoods_panel:import_apply": ("post", {}, province_page(302)),
    "neighbourhoods_panel:import_template": ("get", {}, province_page()),
    # News
    "news_panel:articles": ("get", {}, expect(403, editor=200, superuser=200)),
    "news_panel:create": ("get", {}, expect(403, editor=200, superuser=200)),
    "news_panel:edit": ("get", {"pk": "article"}, expect(403, editor=200, superuser=200)),
    "news_panel:preview": ("get", {"pk": "article"}, expect(403, editor=200, superuser=200)),
    "news_panel:comments": ("get", {}, expect(403, moderator=200, superuser=200)),
    # Dashboards: every program role, each within its own scope
    "reports_panel:dashboard": ("get", {}, program_page()),
    # What every agency did in one's neighbourhoods: read only, each role its own places.
    "coordination_panel:activity": ("get", {}, program_page()),
    # The parallel-work report and its export: every program role, each its own findings;
    # verdicts are coordinators' (an empty one is a form error, 400). The rules: every program
    # role reads them, coordinators change them.
    "coordination_panel:report": ("get", {}, program_page()),
    "coordination_panel:export": ("get", {"fmt": Given("xlsx")}, program_page()),
    "coordination_panel:review": ("post", {}, province_page(400)),
    "coordination_panel:rules": ("get", {}, program_page()),
    # The division of labour: every program role reads the matrix and a neighbourhood's
    # history (in their cities); coordinators edit it and copy it to the rest of a city (the
    # first POST of the copy is its confirm page).
    "coordination_panel:division": ("get", {}, program_page()),
    "coordination_panel:division_history": (
        "get",
        {"neighbourhood_id": "neighbourhood"},
        program_page(),
    ),
    "coordination_panel:division_edit": (
        "get",
        {"neighbourhood_id": "neighbourhood"},
        province_page(),
    ),
    "coordination_panel:division_apply": (
        "post",
        {"neighbourhood_id": "neighbourhood"},
        province_page(),
    ),
    # Yearly targets: every program role reads them (a clerk in her cities); coordinators keep them.
    "coordination_panel:targets": ("get", {}, program_page()),
    "coordination_panel:target_neighbourhood": (
        "get",
        {"neighbourhood_id": "neighbourhood"},
        program_page(),
    ),
    "coordination_panel:target_create": ("get", {}, province_page()),
    "coordination_panel:target_edit": ("get", {"pk": "target"}, province_page()),
    "coordination_panel:target_delete": ("get", {"pk": "target"}, province_page()),
    "coordination_panel:target_import": ("get", {}, province_page()),
    "coordination_panel:target_template": ("get", {}, province_page()),
    "reports_panel:pivot": ("get", {}, program_page()),
    "reports_panel:indicators": ("get", {}, program_page()),
    "reports_panel:completeness": ("get", {}, program_page()),
    "reports_panel:map": ("get", {}, program_page()),
    # The governor's report, as a print page and as its PDF
    "reports_panel:report": ("get", {}, program_page()),
    "reports_panel:report_pdf": ("get", {}, program_page()),
    # Exhibition
    "exhibition_panel:index": ("get", {}, program_page()),
    "exhibition_panel:exhibition_new": ("get", {}, province_page()),
    "exhibition_panel:exhibition": ("get", {"pk": "exhibition"}, program_page()),
    "exhibition_panel:exhibition_edit": ("get", {"pk": "exhibition"}, province_page()),
    "exhibition_panel:booth_new": ("get", {"exhibition_pk": "exhibition"}, writing_page()),
    "exhibition_panel:booth": ("get", {"pk": "booth"}, emdad_object(viewer=200)),
    "exhibition_panel:booth_edit": ("get", {"pk": "booth"}, emdad_object()),
    "exhibition_panel:booth_delete": ("get", {"pk": "booth"}, emdad_object()),
    "exhibition_panel:exhibit_new": ("get", {"booth_pk": "booth"}, emdad_object()),
    "exhibition_panel:exhibit": ("get", {"pk": "exhibit"}, emdad_object(viewer=200)),
    "exhibition_panel:exhibit_edit": ("get", {"pk": "exhibit"}, emdad_object()),
    "exhibition_panel:exhibit_delete": ("get", {"pk": "exhibit"}, emdad_object()),
    # An upload without files is a form error (400) for those who may upload.
    "exhibition_panel:photo_upload": ("post", {"pk": "exhibit"}, emdad_object(400)),
    "exhibition_panel:photo_edit": ("get", {"pk": "photo"}, emdad_object()),
    "exhibition_panel:photo_delete": ("get", {"pk": "photo"}, emdad_object()),
}

ADMIN_ROLES = {"anonymous": 302, "coordinator": 302, "staff_without_rights": 403, "superuser": 200}
# Every model in the Django admin: the admin is for superusers and staff given model rights.
ADMIN_MODELS = [
    "agencies.agency",
    "agencies.coordinationrules",
    "agencies.house",
    "agencies.household",
    "agencies.householdaccess",
    "agencies.servicedomain",
    "agencies.servicerecord",
    "agencies.servicetype",
    "agencies.staffmembership",
    "auth.group",
    "auth.user",
    "coordination.findingreview",
    "coordination.responsibility",
    "coordination.target",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "exhibition.booth",
    "exhibition.exhibit",
    "exhibition.exhibition",
    "exhibition.photo",
    "neighbourhoods.city",
    "neighbourhoods.county",
    "neighbourhoods.neighbourhood",
    "neighbourhoods.province",
    "news.article",
    "news.category",
    "news.comment",
    "taggit.tag",
]


def panel_url_names(resolver=None, prefix="", namespace=""):
    """The names of every URL pattern whose path starts with panel/, found in the resolver."""
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += panel_url_names(entry, route, inner)
        elif isinstance(entry, URLPattern) and route.startswith("panel/"):
            names.append(f"{namespace}{entry.name}")
    return names


@pytest.fixture
def emdad_world():
    """One of everything a staff URL can name, all Emdad's, in Semnan."""
    semnan, shahrud = make_city(name="سمنان"), make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan)
    emdad, helal = make_agency(slug="emdad"), make_agency(slug="helal")
    house = make_house(agency=emdad, neighbourhood=zarrin)
    make_house(agency=helal, neighbourhood=make_neighbourhood(city=shahrud))
    deleted = make_record(house=house)
    deleted.deleted_at = datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
    deleted.save()
    exhibition = make_exhibition()
    booth = make_booth(exhibition=exhibition, agency=emdad, neighbourhood=zarrin)
    exhibit = make_exhibit(booth=booth, neighbourhood=zarrin)
    ensure_groups()
    editor, moderator = make_user(), make_user()
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    moderator.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    users = {
        "no_role": make_user(),
        "clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad),
        "city_clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=emdad, cities=[semnan]),
        "other_clerk": make_user(role=StaffRole.AGENCY_STAFF, agency=helal),
        "supervisor": make_user(role=StaffRole.SUPERVISOR, agency=emdad),
        "viewer": make_user(role=StaffRole.VIEWER),
        "coordinator": make_user(role=StaffRole.COORDINATOR),
        "editor": editor,
        "moderator": moderator,
        "superuser": make_user(superuser=True),
        "staff_without_rights": make_user(is_staff=True),
    }
    objects = {
        "record": make_record(house=house, status=RecordStatus.SUBMITTED),
        "deleted_record": deleted,
        "house": house,
        "account": users["city_clerk"],
        "exhibition": exhibition,
        "booth": booth,
        "exhibit": exhibit,
        "photo": make_photo(exhibit=exhibit),
        "article": make_article(),
        "neighbourhood": zarrin,
        "household": make_household(neighbourhood=zarrin, agency=emdad),
        "target": Target.objects.create(
            year=1404, neighbourhood=zarrin, domain=make_domain(), value=10
        ),
    }
    return users, objects


def test_every_staff_url_has_a_row_in_the_matrix():
    names = panel_url_names()
    assert len(names) >= len(MATRIX) - 1  # the walk finds the panel at all
    assert sorted(set(names) - set(MATRIX)) == [], "add these to MATRIX"
    assert sorted(set(MATRIX) - set(names)) == [], "these rows name no URL any more"


def test_every_admin_model_has_a_row_in_the_matrix():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert sorted(registered ^ set(ADMIN_MODELS)) == []


def _status(client, users, role, method, url):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    # Each request in a savepoint rolled back afterwards, so one role's POST leaves the world
    # as it was for the next.
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response.status_code


def _url_value(objects, value):
    if isinstance(value, FileOf):
        return objects[value].image.name
    return value if isinstance(value, Given) else objects[value].pk


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_answer(client, emdad_world, name):
    users, objects = emdad_world
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs={key: _url_value(objects, value) for key, value in kwargs.items()})
    got = {role: _status(client, users, role, method, url) for role in ROLES}
    assert got == expected, url


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_each_admin_changelist_is_for_admins_only(client, emdad_world, model):
    users, _objects = emdad_world
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    got = {role: _status(client, users, role, "get", url) for role in ADMIN_ROLES}
    assert got == ADMIN_ROLES, url
