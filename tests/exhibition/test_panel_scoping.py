"""The staff panel of the exhibition, role by role: who sees, who changes, and what a guessed
id of another agency's booth, exhibit or photo gives (404, nothing changed)."""

import pytest
from django.urls import reverse

from exhibition.models import Booth, Exhibit, Exhibition, Photo
from tests.factories import (
    StaffRole,
    make_agency,
    make_booth,
    make_city,
    make_exhibit,
    make_exhibition,
    make_neighbourhood,
    make_photo,
    make_user,
    stored_files,
)
from tests.samples import gps_jpeg_upload

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "staff_a",
    "staff_b",
    "staff_a_other_city",
    "viewer",
    "coordinator",
    "superuser",
]


@pytest.fixture
def exhibition_world():
    """Agency A's booth in city 1 and agency B's booth, each with an exhibit and a photo."""
    city1, city2 = make_city(), make_city()
    agency_a, agency_b = make_agency(), make_agency()
    exhibition = make_exhibition()
    booth_a = make_booth(
        exhibition=exhibition, agency=agency_a, neighbourhood=make_neighbourhood(city=city1)
    )
    booth_b = make_booth(exhibition=exhibition, agency=agency_b)
    exhibit_a, exhibit_b = make_exhibit(booth=booth_a), make_exhibit(booth=booth_b)
    users = {
        "anonymous": None,
        "no_role": make_user(),
        "staff_a": make_user(role=StaffRole.AGENCY_STAFF, agency=agency_a),
        "staff_b": make_user(role=StaffRole.AGENCY_STAFF, agency=agency_b),
        "staff_a_other_city": make_user(
            role=StaffRole.AGENCY_STAFF, agency=agency_a, cities=[city2]
        ),
        "viewer": make_user(role=StaffRole.VIEWER),
        "coordinator": make_user(role=StaffRole.COORDINATOR),
        "superuser": make_user(superuser=True),
    }
    return {
        "exhibition": exhibition,
        "booth_a": booth_a,
        "booth_b": booth_b,
        "exhibit_a": exhibit_a,
        "exhibit_b": exhibit_b,
        "photo_a": make_photo(exhibit=exhibit_a),
        "users": users,
        "agency_a": agency_a,
        "agency_b": agency_b,
    }


def as_role(client, exhibition_world, role):
    user = exhibition_world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


# url name, object key (or None), expected status per role in ROLES order.
LOGIN = 302
GET_MATRIX = [
    ("index", None, [LOGIN, 403, 200, 200, 200, 200, 200, 200]),
    ("exhibition_new", None, [LOGIN, 403, 403, 403, 403, 403, 200, 200]),
    ("exhibition", "exhibition", [LOGIN, 403, 200, 200, 200, 200, 200, 200]),
    ("exhibition_edit", "exhibition", [LOGIN, 403, 403, 403, 403, 403, 200, 200]),
    ("booth_new", "exhibition", [LOGIN, 403, 200, 200, 200, 403, 200, 200]),
    ("booth", "booth_a", [LOGIN, 403, 200, 404, 404, 200, 200, 200]),
    ("booth_edit", "booth_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("booth_delete", "booth_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("exhibit_new", "booth_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("exhibit", "exhibit_a", [LOGIN, 403, 200, 404, 404, 200, 200, 200]),
    ("exhibit_edit", "exhibit_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("exhibit_delete", "exhibit_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("photo_edit", "photo_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
    ("photo_delete", "photo_a", [LOGIN, 403, 200, 404, 404, 403, 200, 200]),
]


@pytest.mark.parametrize(("name", "key", "expected"), GET_MATRIX, ids=[m[0] for m in GET_MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_panel_page_answers_each_role(client, exhibition_world, name, key, expected, role_index):
    role = ROLES[role_index]
    args = [exhibition_world[key].pk] if key else []
    response = as_role(client, exhibition_world, role).get(
        reverse(f"exhibition_panel:{name}", args=args)
    )
    assert response.status_code == expected[role_index], (name, role)


def test_lists_show_only_the_booths_in_scope(client, exhibition_world):
    as_role(client, exhibition_world, "staff_a")
    html = client.get(
        reverse("exhibition_panel:exhibition", args=[exhibition_world["exhibition"].pk])
    )
    html = html.content.decode()
    assert (
        exhibition_world["booth_a"].title in html and exhibition_world["booth_b"].title not in html
    )
    client.force_login(exhibition_world["users"]["viewer"])
    html = client.get(
        reverse("exhibition_panel:exhibition", args=[exhibition_world["exhibition"].pk])
    )
    assert exhibition_world["booth_b"].title in html.content.decode()
    assert "غرفهٔ تازه" not in html.content.decode()  # a viewer gets no write buttons


@pytest.mark.parametrize("role", ["staff_b", "staff_a_other_city"])
def test_guessed_ids_of_other_agencies_change_nothing(client, exhibition_world, role, media_root):
    as_role(client, exhibition_world, role)
    exhibit, photo, booth = (
        exhibition_world["exhibit_a"],
        exhibition_world["photo_a"],
        exhibition_world["booth_a"],
    )
    attempts = [
        ("exhibit_edit", exhibit.pk, {"booth": booth.pk, "title": "ربوده", "kind": "other"}),
        ("exhibit_delete", exhibit.pk, {}),
        ("photo_edit", photo.pk, {"alt_text": "ربوده", "people": "none", "order": "1"}),
        ("photo_delete", photo.pk, {}),
        ("booth_edit", booth.pk, {"title": "ربوده", "order": "0"}),
        ("booth_delete", booth.pk, {}),
        ("exhibit_new", booth.pk, {"booth": booth.pk, "title": "تازه", "kind": "other"}),
    ]
    files_before = stored_files(media_root)
    for name, pk, data in attempts:
        response = client.post(reverse(f"exhibition_panel:{name}", args=[pk]), data)
        assert response.status_code == 404, name
    upload = client.post(
        reverse("exhibition_panel:photo_upload", args=[exhibit.pk]),
        {"images": [gps_jpeg_upload()], "alt_text": "ربوده", "people": "none"},
    )
    assert upload.status_code == 404
    exhibit.refresh_from_db()
    photo.refresh_from_db()
    booth.refresh_from_db()
    assert exhibit.title != "ربوده" and photo.alt_text != "ربوده" and booth.title != "ربوده"
    assert Exhibit.objects.count() == 2 and Photo.objects.count() == 1
    assert stored_files(media_root) == files_before


def test_viewer_cannot_post_anything(client, exhibition_world, media_root):
    as_role(client, exhibition_world, "viewer")
    exhibit = exhibition_world["exhibit_a"]
    response = client.post(
        reverse("exhibition_panel:photo_upload", args=[exhibit.pk]),
        {"images": [gps_jpeg_upload()], "alt_text": "الف", "people": "none"},
    )
    assert response.status_code == 403
    response = client.post(reverse("exhibition_panel:exhibit_delete", args=[exhibit.pk]))
    assert response.status_code == 403
    assert Photo.objects.count() == 1 and Exhibit.objects.filter(pk=exhibit.pk).exists()


def test_agency_staff_can_only_open_booths_for_their_own_agency(client, exhibition_world):
    as_role(client, exhibition_world, "staff_a")
    url = reverse("exhibition_panel:booth_new", args=[exhibition_world["exhibition"].pk])
    form = client.get(url).context["form"]
    assert list(form.fields["agency"].queryset) == [exhibition_world["agency_a"]]

    response = client.post(
        url, {"title": "غرفهٔ دیگران", "agency": exhibition_world["agency_b"].pk, "order": "0"}
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not Booth.objects.filter(title="غرفهٔ دیگران").exists()

    response = client.post(
        url, {"title": "غرفهٔ ما", "agency": exhibition_world["agency_a"].pk, "order": "۲"}
    )
    assert response.status_code == 302
    assert Booth.objects.get(title="غرفهٔ ما").order == 2


def test_agency_staff_cannot_move_an_exhibit_into_another_agencys_booth(client, exhibition_world):
    as_role(client, exhibition_world, "staff_a")
    exhibit = exhibition_world["exhibit_a"]
    response = client.post(
        reverse("exhibition_panel:exhibit_edit", args=[exhibit.pk]),
        {"booth": exhibition_world["booth_b"].pk, "title": "جابه‌جا", "kind": "other", "order": "0"},
    )
    assert response.status_code == 200 and "booth" in response.context["form"].errors
    exhibit.refresh_from_db()
    assert exhibit.booth == exhibition_world["booth_a"]


def test_staff_create_an_exhibit_and_coordinators_an_exhibition(client, exhibition_world):
    as_role(client, exhibition_world, "staff_a")
    response = client.post(
        reverse("exhibition_panel:exhibit_new", args=[exhibition_world["booth_a"].pk]),
        {
            "booth": exhibition_world["booth_a"].pk,
            "title": "گلیم دورو",
            "kind": "handicraft",
            "made_by": "کارگاه گلیم‌بافی",
            "order": "۳",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    exhibit = Exhibit.objects.get(title="گلیم دورو")
    assert exhibit.created_by == exhibition_world["users"]["staff_a"] and exhibit.order == 3

    client.force_login(exhibition_world["users"]["coordinator"])
    data = {
        "title": "نمایشگاه بهاره",
        "slug": "bahareh-1405",
        "starts_on": "۱۴۰۵/۰۱/۱۵",
        "ends_on": "1405-1-20",
        "venue": "شاهرود",
    }
    response = client.post(reverse("exhibition_panel:exhibition_new"), data)
    assert response.status_code == 302
    assert str(Exhibition.objects.get(slug="bahareh-1405").starts_on) == "2026-04-04"


def test_exhibition_dates_in_wrong_order_are_refused_and_kept(client, exhibition_world):
    as_role(client, exhibition_world, "coordinator")
    data = {
        "title": "نمایشگاه وارونه",
        "slug": "varooneh",
        "starts_on": "۱۴۰۵/۰۲/۱۰",
        "ends_on": "۱۴۰۵/۰۲/۰۱",
        "venue": "سمنان",
    }
    response = client.post(reverse("exhibition_panel:exhibition_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "تاریخ پایان نمی‌تواند پیش از تاریخ آغاز باشد." in html
    assert 'value="۱۴۰۵/۰۲/۱۰"' in html
    assert not Exhibition.objects.filter(slug="varooneh").exists()


def test_booth_with_exhibits_is_not_deleted(client, exhibition_world):
    as_role(client, exhibition_world, "staff_a")
    response = client.post(
        reverse("exhibition_panel:booth_delete", args=[exhibition_world["booth_a"].pk])
    )
    assert response.status_code == 302
    assert Booth.objects.filter(pk=exhibition_world["booth_a"].pk).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("۱ اثر دارد" in m for m in messages)
