"""Factories for every app's tests: the one place test rows are made.

Plain functions with keyword arguments: each makes what it needs and no more, with
unique names so tests can call them freely. Sections follow the apps: places, the program
(agencies and records), a ready-made province for the public pages, news, the exhibition.
"""

import copy as copy_module
import datetime
import io
import itertools
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agencies.access import SYSTEM
from agencies.choices import RecordStatus
from agencies.models import (
    Agency,
    ConsentScope,
    House,
    Household,
    HouseholdMember,
    RecordHousehold,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
    StaffMembership,
    StaffRole,
)
from agencies.services import service_record_approve, service_record_create
from core.crypto import identity_hash, seal
from core.images import clean_image_upload
from core.national_id import check_digit
from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind, Photo
from neighbourhoods.models import City, County, Neighbourhood, Province
from news.models import Article, ArticleStatus, Category, Comment, CommentStatus
from news.services import article_save

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


# --- Places -----------------------------------------------------------------------------


def make_province(**fields) -> Province:
    n = _n()
    return Province.objects.create(**{"name": f"استان {n}", "slug": f"province-{n}", **fields})


def make_city(*, name=None, county=None, **fields) -> City:
    n = _n()
    if county is None:
        province = Province.objects.first() or make_province()
        county = County.objects.create(province=province, name=f"شهرستان {n}", slug=f"county-{n}")
    return City.objects.create(county=county, name=name or f"شهر {n}", slug=f"city-{n}", **fields)


def make_neighbourhood(*, city=None, name=None, **fields) -> Neighbourhood:
    n = _n()
    return Neighbourhood.objects.create(
        city=city or make_city(),
        name=name or f"محله {n}",
        code=fields.pop("code", f"T-{n:04d}"),
        population=fields.pop("population", 5000),
        households=fields.pop("households", 1500),
        **fields,
    )


# --- The program: agencies, houses, services, records, staff ----------------------------


def make_agency(*, slug=None, **fields) -> Agency:
    n = _n()
    slug = slug or f"agency-{n}"
    defaults = {
        "name": f"دستگاه {n}",
        "short_name": f"دستگاه {n}",
        "house_name": f"خانه {n}",
        "order": n,
    }
    return Agency.objects.create(slug=slug, **(defaults | fields))


def make_house(*, agency=None, neighbourhood=None, **fields) -> House:
    return House.objects.create(
        agency=agency or make_agency(),
        neighbourhood=neighbourhood or make_neighbourhood(),
        **fields,
    )


def make_domain(**fields) -> ServiceDomain:
    n = _n()
    return ServiceDomain.objects.create(**{"slug": f"domain-{n}", "name": f"حوزه {n}", **fields})


def make_service_type(*, domain=None, **fields) -> ServiceType:
    n = _n()
    return ServiceType.objects.create(
        domain=domain or make_domain(), **{"slug": f"type-{n}", "name": f"خدمت {n}", **fields}
    )


def build_record(*, house=None, service_type=None, beneficiaries=10, **fields) -> ServiceRecord:
    """An unsaved valid record: the parts add up to the total unless the caller says otherwise.
    Approved unless ``status`` says otherwise: the data a test starts from is usually the data
    already published."""
    male = fields.pop("male", beneficiaries // 2)
    children = fields.pop("children", beneficiaries // 3)
    elderly = fields.pop("elderly", beneficiaries // 5)
    return ServiceRecord(
        house=house or make_house(),
        service_type=service_type or make_service_type(),
        delivered_on=fields.pop("delivered_on", datetime.date(2025, 10, 1)),
        beneficiaries=beneficiaries,
        male=male,
        female=fields.pop("female", beneficiaries - male),
        children=children,
        elderly=elderly,
        adults=fields.pop("adults", beneficiaries - children - elderly),
        households=fields.pop("households", beneficiaries // 4),
        status=fields.pop("status", RecordStatus.APPROVED),
        **fields,
    )


def make_record(**fields) -> ServiceRecord:
    """A valid record saved straight to the database (no service, so no cache invalidation):
    for the data a test starts from."""
    record = build_record(**fields)
    record.save()
    return record


# What record_service answers to the parallel-work warning unless a test says otherwise: the
# data a test starts from often has two agencies in one place; the warning's own tests pass
# parallel_reason="" to see it. The service drops the reason when nothing is parallel.
SETUP_PARALLEL_REASON = "دادهٔ آغازین آزمون"


def record_service(*, user=SYSTEM, approve=True, **fields) -> ServiceRecord:
    """A valid record saved through the services, as staff would (scope, rules, page cache):
    submitted by *user*, then approved by the portal itself unless ``approve=False``."""
    fields.setdefault("parallel_reason", SETUP_PARALLEL_REASON)
    record = service_record_create(record=build_record(**fields), user=user, submit=True)
    if approve:
        record = service_record_approve(record=record, user=SYSTEM)
    return record


def valid_national_id(n: int | None = None) -> str:
    """A national ID that passes the check digit, made from *n* (a fresh one by default);
    ten equal digits are never made."""
    n = _n() + 100_000 if n is None else n
    first_nine = f"{n:09d}"[-9:]
    value = first_nine + str(check_digit(first_nine))
    return value if len(set(value)) > 1 else valid_national_id(n + 1)


def make_household(
    *,
    neighbourhood=None,
    agency=None,
    national_id=None,
    name=None,
    members=4,
    member_ids=(),
    consent=True,
    **fields,
) -> Household:
    """A household saved straight to the database: identified (a fresh valid national ID, a
    name, consent for the whole program until a year from now) unless ``consent=False``, which
    makes an anonymous one. Pass ``national_id=``/``name=`` to know what to search for."""
    today = timezone.localdate()
    if neighbourhood is None:
        neighbourhood = make_neighbourhood()
    household = Household(
        neighbourhood=neighbourhood,
        registered_by_agency=agency or make_agency(),
        members=members,
        **fields,
    )
    if consent:
        household.consent_given_on = fields.get("consent_given_on", today)
        household.consent_scope = fields.get("consent_scope", ConsentScope.PROGRAM)
        household.consent_until = fields.get("consent_until", today + datetime.timedelta(days=365))
        household.set_identity(
            national_id=national_id or valid_national_id(),
            name=name or f"سرپرست آزمون {_n()}",
        )
    household.save()
    for value in member_ids:
        HouseholdMember.objects.create(
            household=household, id_hash=identity_hash(value), id_sealed=seal(value)
        )
    return household


def link_households(record, *households) -> None:
    """List *households* on *record* straight in the database (no checks)."""
    RecordHousehold.objects.bulk_create(
        [RecordHousehold(record=record, household=household) for household in households]
    )


def edited(record, **changes):
    """A copy of a saved object with *changes* applied, as a ModelForm hands it to a service."""
    copy = copy_module.copy(record)
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def make_user(*, role=None, agency=None, cities=(), superuser=False, **fields):
    """A staff user; `role` is a StaffRole value or None for a user without membership."""
    n = _n()
    User = get_user_model()
    username = fields.pop("username", f"user{n}")
    if superuser:
        return User.objects.create_superuser(username=username, password="pass-1405-x", **fields)
    user = User.objects.create_user(username=username, password="pass-1405-x", **fields)
    if role is not None:
        membership = StaffMembership.objects.create(user=user, role=role, agency=agency)
        membership.cities.set(cities)
    return user


# --- A province for the public place pages ----------------------------------------------

_PLACE_AGENCIES = [
    ("ehsan", "ستاد اجرایی فرمان حضرت امام (ره)", "خانه احسان"),
    ("emdad", "کمیته امداد امام خمینی (ره)", "خانه امداد"),
    ("helal", "جمعیت هلال‌احمر", "خانه هلال"),
    ("behzisti", "سازمان بهزیستی", "خانه بهزیستی"),
]


def build_places(*, demo=False) -> SimpleNamespace:
    """Two cities, two neighbourhoods, the four agencies' houses in «کوی زرین», three domains
    and a handful of records whose totals are known (the `places` fixture).

    Kowsar (Shahrud) has only an Emdad house; Ehsan's one record is deleted, so it never counts.
    """
    province = Province.objects.create(name="سمنان", slug="semnan-province")
    semnan_county = County.objects.create(province=province, name="سمنان", slug="semnan")
    shahrud_county = County.objects.create(province=province, name="شاهرود", slug="shahrud")
    semnan = City.objects.create(county=semnan_county, name="سمنان", slug="semnan")
    shahrud = City.objects.create(county=shahrud_county, name="شاهرود", slug="shahrud")
    zarrin = make_neighbourhood(
        city=semnan,
        name="کوی زرین",
        code="SMN-001",
        population=4200,
        households=1150,
        description="محله‌ای قدیمی در شمال شهر.",
        is_demo=demo,
    )
    kowsar = make_neighbourhood(city=shahrud, name="کوثر", code="SHR-001", is_demo=demo)
    agencies = {
        slug: make_agency(slug=slug, name=name, short_name=house, house_name=house, order=order)
        for order, (slug, name, house) in enumerate(_PLACE_AGENCIES, 1)
    }
    houses = {
        slug: make_house(
            agency=agency,
            neighbourhood=zarrin,
            address=f"سمنان، کوی زرین، کوچهٔ {order}",
            phone=f"023-3345-000{order}",
            manager_name=f"مسئول {agency.house_name}",
            opened_on=datetime.date(2022, 5, 1),
        )
        for order, (slug, agency) in enumerate(agencies.items(), 1)
    }
    kowsar_emdad = make_house(agency=agencies["emdad"], neighbourhood=kowsar)
    health = make_domain(name="درمان و سلامت", slug="health", order=1)
    jobs = make_domain(name="اشتغال", slug="jobs", order=2)
    housing = make_domain(name="مسکن", slug="housing", order=3)
    visit = make_service_type(domain=health, name="ویزیت رایگان")
    workshop = make_service_type(domain=jobs, name="کارگاه مهارت")
    places = SimpleNamespace(
        semnan=semnan,
        shahrud=shahrud,
        zarrin=zarrin,
        kowsar=kowsar,
        agencies=agencies,
        houses=houses,
        kowsar_emdad=kowsar_emdad,
        health=health,
        jobs=jobs,
        housing=housing,
        visit=visit,
        workshop=workshop,
    )
    _record(places.houses["emdad"], visit, 10, households=2, cost_rials=5_000_000)
    _record(places.houses["emdad"], workshop, 20, households=5, cost_rials=12_500_000)
    _record(places.houses["helal"], visit, 30, households=6, cost_rials=0)
    deleted = _record(places.houses["ehsan"], visit, 1000, households=100, cost_rials=9_000_000)
    deleted.deleted_at = timezone.now()
    deleted.save()
    _record(kowsar_emdad, visit, 500, households=90, cost_rials=40_000_000)
    return places


def _record(house, service_type, beneficiaries, **fields):
    return make_record(
        house=house, service_type=service_type, beneficiaries=beneficiaries, **fields
    )


def add_records(places, count: int) -> None:
    """More records in «کوی زرین», spread over its houses and both service types."""
    houses = list(places.houses.values())
    types = [places.visit, places.workshop]
    for index in range(count):
        _record(houses[index % len(houses)], types[index % 2], 4, households=1, cost_rials=1000)


# --- News: categories, articles (always through the service) and comments ---------------


def make_category(**fields) -> Category:
    n = _n()
    return Category.objects.create(**{"name": f"دسته {n}", "slug": f"category-{n}", **fields})


def make_article(
    *,
    title=None,
    body="<p>متن خبر دربارهٔ کار در محله.</p>",
    tags=(),
    published=True,
    publish_at=None,
    category=None,
    neighbourhoods=None,
    agencies=None,
    **fields,
) -> Article:
    """A published article (an hour ago unless told otherwise), saved through the service."""
    n = _n()
    if published and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(hours=1)
    article = Article(
        title=title or f"خبر شمارهٔ {n} از محله",
        lead=fields.pop("lead", f"لید خبر {n} دربارهٔ کارهای طرح."),
        body=body,
        category=category or Category.objects.first() or make_category(),
        status=ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT,
        publish_at=publish_at,
        **fields,
    )
    return article_save(
        article=article,
        user=SYSTEM,
        tags=list(tags),
        neighbourhoods=neighbourhoods,
        agencies=agencies,
    )


def make_comment(*, article, parent=None, approved=True, **fields) -> Comment:
    n = _n()
    comment = Comment(
        article=article,
        parent=parent,
        name=fields.pop("name", f"خواننده {n}"),
        text=fields.pop("text", f"نظر شمارهٔ {n} دربارهٔ این خبر."),
        status=CommentStatus.APPROVED if approved else CommentStatus.PENDING,
        **fields,
    )
    comment.save()
    return comment


# --- Exhibition, and the files its rows store -------------------------------------------


def stored_files(root) -> list:
    """Every file under MEDIA_ROOT (an empty list when nothing was ever written)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def small_image(colour=(200, 120, 40), size=(64, 48)):
    """A tiny cleaned image, so factories stay fast."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return clean_image_upload(SimpleUploadedFile("p.jpg", buffer.getvalue()))


def make_exhibition(**fields) -> Exhibition:
    n = _n()
    defaults = {
        "title": f"نمایشگاه {n}",
        "slug": f"exhibition-{n}",
        "starts_on": datetime.date(2025, 11, 20),
        "ends_on": datetime.date(2025, 11, 25),
        "venue": "سمنان",
        "is_published": True,
    }
    return Exhibition.objects.create(**(defaults | fields))


def make_booth(*, exhibition=None, agency="new", neighbourhood=None, **fields) -> Booth:
    n = _n()
    return Booth.objects.create(
        exhibition=exhibition or make_exhibition(),
        agency=make_agency() if agency == "new" else agency,
        neighbourhood=neighbourhood,
        title=fields.pop("title", f"غرفه {n}"),
        **fields,
    )


def make_exhibit(*, booth=None, neighbourhood="new", **fields) -> Exhibit:
    n = _n()
    return Exhibit.objects.create(
        booth=booth or make_booth(),
        neighbourhood=make_neighbourhood() if neighbourhood == "new" else neighbourhood,
        title=fields.pop("title", f"اثر {n}"),
        kind=fields.pop("kind", ExhibitKind.HANDICRAFT),
        **fields,
    )


def make_photo(*, exhibit=None, shows_people=False, consent_recorded=False, **fields) -> Photo:
    n = _n()
    photo = Photo(
        exhibit=exhibit or make_exhibit(),
        alt_text=fields.pop("alt_text", f"عکس {n}"),
        shows_people=shows_people,
        consent_recorded=consent_recorded,
        **fields,
    )
    photo.store_image(small_image())
    photo.save()
    return photo


__all__ = [
    "StaffRole",
    "add_records",
    "build_places",
    "build_record",
    "edited",
    "make_agency",
    "make_article",
    "make_booth",
    "make_category",
    "make_city",
    "make_comment",
    "make_domain",
    "make_exhibit",
    "make_exhibition",
    "make_house",
    "make_neighbourhood",
    "make_photo",
    "make_province",
    "make_record",
    "make_service_type",
    "make_user",
    "record_service",
    "small_image",
    "stored_files",
]
