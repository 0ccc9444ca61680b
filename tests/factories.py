"""Small factories for program data, shared by every app's tests.

Plain functions with keyword arguments: each makes what it needs and no more, with
unique names so tests can call them freely.
"""

import copy as copy_module
import datetime
import itertools

from django.contrib.auth import get_user_model

from agencies.access import SYSTEM
from agencies.models import (
    Agency,
    House,
    ServiceDomain,
    ServiceRecord,
    ServiceType,
    StaffMembership,
    StaffRole,
)
from agencies.services import service_record_create
from neighbourhoods.models import City, County, Neighbourhood, Province

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


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
    """An unsaved valid record: the parts add up to the total unless the caller says otherwise."""
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
        **fields,
    )


def make_record(**fields) -> ServiceRecord:
    """A valid record saved straight to the database (no service, so no cache invalidation):
    for the data a test starts from."""
    record = build_record(**fields)
    record.save()
    return record


def record_service(*, user=SYSTEM, **fields) -> ServiceRecord:
    """A valid record saved through the service, as staff would: scope, rules, page cache."""
    return service_record_create(record=build_record(**fields), user=user)


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


__all__ = [
    "StaffRole",
    "build_record",
    "edited",
    "make_agency",
    "make_city",
    "make_domain",
    "make_house",
    "make_neighbourhood",
    "make_province",
    "make_record",
    "make_service_type",
    "make_user",
    "record_service",
]
