"""What the fuzz tests (tests/test_fuzz_inputs.py, tests/test_fuzz_forms.py) send and to whom:
made-up text and files, a small world with one of everything a page can name, and its users.

The settings pin Hypothesis's examples, so CI sees the same ones on every run; widen
``max_examples`` (or drop ``derandomize``) on a workstation to explore further. How a page's
forms are read and its answers judged is in tests/submissions.py.
"""

import csv
import datetime
import io
import os
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

from agencies.choices import RecordStatus
from coordination.models import Target
from core.jalali import to_jalali
from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from tests.factories import (
    StaffRole,
    make_agency,
    make_article,
    make_booth,
    make_city,
    make_comment,
    make_domain,
    make_exhibit,
    make_exhibition,
    make_house,
    make_household,
    make_neighbourhood,
    make_photo,
    make_record,
    make_service_type,
    make_user,
    valid_national_id,
)
from tests.samples import image_bytes, jpeg_bytes, picture


def fuzz_settings(max_examples: int):
    """The same examples on every run; the fixtures are made once per test, not per example
    (each example of a form runs in a savepoint rolled back after it)."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# --- Text ---------------------------------------------------------------------------------

# Text as typed: anything, plus what looks almost right (digits in three scripts, dates), and
# «²», which Python's isdigit() takes for a digit and int() refuses.
TYPED = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩/-.,٬ ", max_size=24),
    st.sampled_from(
        ["\x00", "1405/13/40", "-1", "9" * 40, "1e9", "٪", "\u202e", "on", "true", "²", "١٢"]
    ),
)
# Far longer than any field takes: a column that took it anyway fails on PostgreSQL, and
# thousands of digits make int() itself refuse.
HUGE = st.sampled_from(["ی" * 20_000, "9" * 5_000, "a\u200c" * 3_000])


# Row numbers in an address or a hidden field that once answered 500: «²» and thousands of
# digits in int(), a number past 64 bits in SQLite (core/lookups.py).
ROW_NUMBER_TRAPS = ("²", "9" * 5_000, str(2**63))


def with_row_number_traps(names, arguments):
    """One Hypothesis example per trap, tried before the made-up ones: *arguments* makes the
    test's arguments from the fields *names* each given the trap (no fields, no examples)."""

    def decorate(test):
        for trap in ROW_NUMBER_TRAPS if names else ():
            test = example(**arguments(dict.fromkeys(names, trap)))(test)
        return test

    return decorate


class Missing:
    """A field left out of the submission altogether."""

    def __repr__(self):
        return "MISSING"


MISSING = Missing()


# --- Files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file to send under a field (made afresh for every request: a sent file is read)."""

    name: str
    content: bytes

    def __repr__(self):
        return f"Upload({self.name!r}, {len(self.content)} bytes)"


FILE_NAMES = st.one_of(
    st.sampled_from(["a.csv", "a.xlsx", "a.jpg", "a.png", "a.exe", "a.CSV", "بی‌نام.xlsx", "x"]),
    st.builds(lambda stem, ext: stem + ext, st.text(max_size=40), st.sampled_from(["", ".csv"])),
).filter(lambda name: os.path.basename(name) not in ("", ".", ".."))  # a browser sends no file
JUNK_BYTES = st.one_of(
    st.binary(max_size=600),
    st.sampled_from(
        [
            b"",
            b"\x00" * 64,
            b"PK\x03\x04" + b"\x00" * 40,  # the start of a ZIP (an XLSX) and nothing after it
            b"\xff\xd8\xff\xe0" + b"JFIF" * 10,  # the start of a JPEG and nothing after it
            "شهر,نام\r\n\u202e,\x00\r\n".encode("cp1256", "replace"),
        ]
    ),
)
JUNK_FILE = st.builds(Upload, FILE_NAMES, JUNK_BYTES)

SMALL = picture(64, 48)
IMAGE = Upload("photo.jpg", jpeg_bytes(SMALL))
IMAGES = st.one_of(
    st.just(IMAGE),
    st.just(Upload("photo.png", image_bytes("PNG", SMALL))),
    st.just(Upload("photo.jpg", image_bytes("WEBP", SMALL))),  # a good picture, a wrong name
    st.just(Upload("photo.jpg", "نه عکس، که متن".encode())),
    JUNK_FILE,
)


class BrokenCells(NamedTuple):
    """A spreadsheet's good row with some cells replaced, saved in one encoding."""

    cells: dict
    encoding: str


class Spreadsheet(NamedTuple):
    """The file of an import: its columns and one good row (field -> text, or a function of
    the world and the page)."""

    columns: tuple
    good: dict

    def strategy(self):
        """The good row with up to three cells broken, as UTF-8 (with or without a BOM) or
        Windows-1256 CSV; or a junk file."""
        fields = [column.field for column in self.columns]
        cells = st.dictionaries(st.sampled_from(fields), st.one_of(TYPED, HUGE), max_size=3)
        encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1256"])
        return st.one_of(st.builds(BrokenCells, cells, encodings), JUNK_FILE)

    def upload(self, world, broken: BrokenCells | None = None) -> Upload:
        broken = broken or BrokenCells({}, "utf-8")
        row = {name: value_of(world, value) for name, value in self.good.items()} | broken.cells
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([column.aliases[0] for column in self.columns])
        writer.writerow([row.get(column.field, "") for column in self.columns])
        return Upload("rows.csv", buffer.getvalue().encode(broken.encoding, "replace"))


# What replaces one field of a good submission: typed text, nothing, the field twice, far too
# much, or a file where text belongs.
BROKEN = st.one_of(
    TYPED, st.just(MISSING), st.lists(TYPED, min_size=2, max_size=3), HUGE, JUNK_FILE
)


def value_of(world, value, page=""):
    """A value of a table: text as it is, or a function of the world and the page's HTML."""
    return value(world, page) if callable(value) else value


def day(days_from_today=0):
    """A Jalali date as a person types it («1405/09/12»), counted from the world's today."""

    def value(world, _page):
        j = to_jalali(world.today + datetime.timedelta(days=days_from_today))
        return f"{j.year}/{j.month:02d}/{j.day:02d}"

    return value


# --- The world ----------------------------------------------------------------------------

PASSWORD = "pass-1405-x"  # every user's, in tests/factories.make_user


def build_world() -> SimpleNamespace:
    """One of everything a page or a form can name: Emdad's and Helal's houses in one
    neighbourhood of Semnan (so their records are parallel work, and the coordination report
    has a finding to review), records in every state, a household, an exhibition down to a
    photo, a published article with a pending comment, a target; and a user for each kind of
    page."""
    today = timezone.localdate()
    semnan = make_city(name="سمنان")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین")
    emdad, helal = make_agency(slug="emdad"), make_agency(slug="helal")
    house = make_house(agency=emdad, neighbourhood=zarrin)
    helal_house = make_house(agency=helal, neighbourhood=zarrin)
    # A second neighbourhood of the city: the division of labour can be copied to it.
    make_house(agency=emdad, neighbourhood=make_neighbourhood(city=semnan, name="سرچشمه"))
    domain = make_domain()
    service_type = make_service_type(domain=domain)

    def record(status, beneficiaries, at=house):
        return make_record(
            house=at,
            service_type=service_type,
            status=status,
            beneficiaries=beneficiaries,
            delivered_on=today - datetime.timedelta(days=10),
        )

    deleted = record(RecordStatus.APPROVED, 7)
    deleted.deleted_at = timezone.now()
    deleted.save()
    ensure_groups()
    editor, moderator = make_user(), make_user()
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    moderator.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    clerk = make_user(
        role=StaffRole.AGENCY_STAFF,
        agency=emdad,
        cities=[semnan],
        first_name="مریم",
        last_name="احمدی",
    )
    national_id = valid_national_id()
    exhibition = make_exhibition()
    booth = make_booth(exhibition=exhibition, agency=emdad, neighbourhood=zarrin)
    exhibit = make_exhibit(booth=booth, neighbourhood=zarrin)
    article = make_article(tags=["محله"])
    return SimpleNamespace(
        today=today,
        city=semnan,
        neighbourhood=zarrin,
        agency=emdad,
        house=house,
        domain=domain,
        service_type=service_type,
        draft=record(RecordStatus.DRAFT, 12),
        submitted=record(RecordStatus.SUBMITTED, 9),
        approved=record(RecordStatus.APPROVED, 10),
        parallel=record(RecordStatus.APPROVED, 8, at=helal_house),
        deleted=deleted,
        national_id=national_id,
        household=make_household(neighbourhood=zarrin, agency=emdad, national_id=national_id),
        exhibition=exhibition,
        booth=booth,
        exhibit=exhibit,
        photo=make_photo(exhibit=exhibit),
        article=article,
        tag=article.tags.first(),
        comment=make_comment(article=article, approved=False),
        target=Target.objects.create(
            year=1404, neighbourhood=zarrin, domain=domain, agency=emdad, value=10
        ),
        account=clerk,
        users={
            "visitor": None,
            "clerk": clerk,
            "coordinator": make_user(role=StaffRole.COORDINATOR),
            "editor": editor,
            "moderator": moderator,
            "superuser": make_user(superuser=True),
        },
    )


def sign_in(client, world, who: str) -> None:
    """Make the client *who* (a key of ``world.users``), signing in only when it is not already
    (an example may have signed it out, or in as someone else: the login form), and without the
    messages an earlier example left for a page it never opened."""
    client.cookies.pop(CookieStorage.cookie_name, None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()
    user = world.users[who]
    signed_in = session.get("_auth_user_id")
    if user is None:
        if signed_in:
            client.logout()
    elif signed_in != str(user.pk):
        client.force_login(user)


# --- Addresses ----------------------------------------------------------------------------


def url_patterns(resolver=None, prefix="", namespace=""):
    """``(name, route, view)`` of every named URL pattern but the Django admin's own pages (its
    login form is ours; the rest is the admin's, with its own tests)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            if not name.startswith("admin:") or name == "admin:login":
                yield name, route, entry.callback


def url_kwargs(world, kwargs: dict) -> dict:
    """URL keywords from *world*: ``"draft.pk"`` is read from it, ``"xlsx"`` (no dot) is
    written as it is."""
    values = {}
    for key, path in kwargs.items():
        value = path
        if "." in path:
            value = world
            for part in path.split("."):
                value = getattr(value, part)
        values[key] = value
    return values
