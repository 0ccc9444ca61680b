"""Whatever a visitor or a clerk sends in a form, no page answers 500, a refusal says why in
Persian and changes nothing, and what is saved is valid.

Every URL that takes a POST has a row below (the first test walks the URL configuration, so a
new form fails here until it joins). The test reads the page that holds the form as a browser
would (tests/submissions.py) and sends what a person who changes nothing sends, completed with
the row's good values; then Hypothesis breaks up to three fields (made-up text, a field left
out or sent twice, far too long a value, a file where text belongs) or makes every field up;
file fields get junk or wrong files, and imports a CSV of their own columns with broken cells,
saved when their check accepts it. Each submission runs in a savepoint rolled back after it,
so one example does not depend on another. On PostgreSQL in `.ci/run` as on SQLite.
"""

from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from agencies.account_import import COLUMNS as ACCOUNT_COLUMNS
from agencies.filters import RecordFilterForm
from agencies.household_import import COLUMNS as HOUSEHOLD_COLUMNS
from agencies.record_import import COLUMNS as RECORD_COLUMNS
from coordination.target_import import COLUMNS as TARGET_COLUMNS
from neighbourhoods.import_table import COLUMNS as NEIGHBOURHOOD_COLUMNS
from tests.fuzzing import (
    BROKEN,
    IMAGE,
    IMAGES,
    MISSING,
    PASSWORD,
    TYPED,
    BrokenCells,
    Spreadsheet,
    Upload,
    build_world,
    day,
    fuzz_settings,
    sign_in,
    url_kwargs,
    url_patterns,
    valid_national_id,
    value_of,
    with_row_number_traps,
)
from tests.samples import captcha_from
from tests.submissions import form_to, judge, snapshot

pytestmark = pytest.mark.django_db

FUZZ = fuzz_settings(max_examples=12)


class Form(NamedTuple):
    """How to reach a form and send it well: who sends it; the URL keywords
    (tests/fuzzing.url_kwargs); the page that holds it, when not its own URL (its keywords, when
    not the same; a query to open it with); values a good submission needs that the page does
    not fill in (text, or a function of the world and the page's HTML); names the page does not
    render; query parameters the POST reads; files by field (an image strategy, or an import's
    Spreadsheet); whether each example reads the page afresh (a single-use captcha); and where
    an import sends the save of a checked file, when not to itself."""

    who: str = "coordinator"
    kwargs: dict = {}
    page: str = ""
    page_kwargs: dict | None = None
    page_query: str = ""
    good: dict = {}
    extra: tuple = ()
    query: tuple = ()
    files: dict = {}
    fresh: bool = False
    apply: str = ""


V, CLERK, E, M = "visitor", "clerk", "editor", "moderator"
RECORD, HOUSEHOLD, ACCOUNT = {"pk": "draft.pk"}, {"pk": "household.pk"}, {"pk": "account.pk"}
EXHIBIT, BOOTH, PHOTO = {"pk": "exhibit.pk"}, {"pk": "booth.pk"}, {"pk": "photo.pk"}
PLACE, TARGET = {"neighbourhood_id": "neighbourhood.pk"}, {"pk": "target.pk"}
ARTICLE = {"code": "article.news_code", "slug": "article.slug"}
NOTE = "شمار زنان و مردان را دوباره ببینید."
PICTURE = {"image_consent": "on", "image_alt": "کودکان کوی زرین در کلاس"}
COVER = {"cover_cleared": "on", "cover_alt": "غرفه‌های نمایشگاه"}


def its_code(world, _page):
    return world.neighbourhood.code


def its_agency(world, _page):
    return world.agency.name


RECORDS = Spreadsheet(
    RECORD_COLUMNS,
    {
        "external_ref": "R-1",
        "neighbourhood": its_code,
        "agency": its_agency,
        "service_type": lambda w, _: w.service_type.name,
        "delivered_on": day(-3),
        "beneficiaries": "4",
        "male": "2",
        "female": "2",
        "adults": "4",
    },
)
HOUSEHOLDS = Spreadsheet(
    HOUSEHOLD_COLUMNS,
    {
        "neighbourhood": its_code,
        "agency": its_agency,
        "members": "3",
        "national_id": lambda w, _: valid_national_id(),
        "head_name": "زهرا رضایی",
        "consent_given_on": day(),
        "consent_scope": "کل طرح",
        "consent_until": day(200),
    },
)
NEIGHBOURHOODS = Spreadsheet(
    NEIGHBOURHOOD_COLUMNS, {"city": "سمنان", "name": "کوی تازه", "code": "SMN-901"}
)
ACCOUNTS = Spreadsheet(
    ACCOUNT_COLUMNS,
    {
        "first_name": "رضا",
        "last_name": "کاظمی",
        "username": "reza.kazemi",
        "role": "کارشناس دستگاه",
        "agency": its_agency,
    },
)
TARGETS = Spreadsheet(
    TARGET_COLUMNS,
    {
        "year": "1405",
        "code": its_code,
        "domain": lambda w, _: w.domain.name,
        "measure": "ذی‌نفعان",
        "value": "30",
    },
)
FORMS = {
    "portal:login": Form(
        V, good={"username": lambda w, _: w.account.username, "password": PASSWORD}
    ),
    "portal:logout": Form(page="portal:panel", extra=("next",)),
    "admin:login": Form(
        V, good={"username": lambda w, _: w.users["superuser"].username, "password": PASSWORD}
    ),
    "agencies_panel:create": Form(CLERK, good={
        "delivered_on": day(-2), "beneficiaries": "4", "male": "2", "female": "2", "adults": "4",
    }),
    "agencies_panel:edit": Form(CLERK, RECORD),
    "agencies_panel:delete": Form(CLERK, RECORD),
    "agencies_panel:restore": Form(
        kwargs={"pk": "deleted.pk"}, page="agencies_panel:deleted", page_kwargs={}
    ),
    "agencies_panel:submit": Form(CLERK, RECORD, page="agencies_panel:detail"),
    "agencies_panel:return": Form(
        kwargs={"pk": "submitted.pk"}, page="agencies_panel:detail", good={"reason": NOTE}
    ),
    "agencies_panel:approve": Form(
        page="agencies_panel:list", good={"records": lambda w, _: str(w.submitted.pk)},
        extra=("all_filtered", "next"), query=tuple(RecordFilterForm.base_fields),
    ),
    "agencies_panel:import": Form(CLERK, files={"file": RECORDS}),
    "neighbourhoods_panel:import": Form(
        files={"file": NEIGHBOURHOODS}, apply="neighbourhoods_panel:import_apply"
    ),
    "neighbourhoods_panel:import_apply": Form(
        page="neighbourhoods_panel:import", extra=("digest",)
    ),
    "houses_panel:edit": Form(kwargs={"pk": "house.pk"}),
    "news_panel:create": Form(E, good={
        "title": "خبر تازهٔ محله", "lead": "لید خبر", "body": "<p>متن خبر</p>", **PICTURE,
    }, files={"image_upload": IMAGES}),
    "news_panel:edit": Form(E, {"pk": "article.pk"}, good=PICTURE, files={"image_upload": IMAGES}),
    "news_panel:comments": Form(M, good={"comments": lambda w, _: str(w.comment.pk)}),
    "exhibition_panel:exhibition_new": Form(good={
        "title": "نمایشگاه بهار", "slug": "bahar", "starts_on": day(), "ends_on": day(5),
        "venue": "سمنان", **COVER,
    }, files={"cover": IMAGES}),
    "exhibition_panel:exhibition_edit": Form(
        kwargs={"pk": "exhibition.pk"}, good=COVER, files={"cover": IMAGES}
    ),
    "exhibition_panel:booth_new": Form(
        kwargs={"exhibition_pk": "exhibition.pk"}, good={"title": "غرفهٔ تازه"}
    ),
    "exhibition_panel:booth_edit": Form(kwargs=BOOTH),
    "exhibition_panel:booth_delete": Form(kwargs=BOOTH),
    "exhibition_panel:exhibit_new": Form(kwargs={"booth_pk": "booth.pk"}, good={"title": "قالی"}),
    "exhibition_panel:exhibit_edit": Form(kwargs=EXHIBIT),
    "exhibition_panel:exhibit_delete": Form(kwargs=EXHIBIT),
    "exhibition_panel:photo_upload": Form(
        kwargs=EXHIBIT, page="exhibition_panel:exhibit", good={"alt_text": "دست‌بافتهٔ کوی زرین"},
        files={"images": st.one_of(IMAGES, st.lists(IMAGES, min_size=2, max_size=3))},
    ),
    "exhibition_panel:photo_edit": Form(kwargs=PHOTO, files={"replacement": IMAGES}),
    "exhibition_panel:photo_delete": Form(kwargs=PHOTO),
    "accounts_panel:create": Form(
        good={"first_name": "رضا", "last_name": "کریمی", "username": "reza.karimi"}
    ),
    "accounts_panel:password_change": Form(good={
        "old_password": PASSWORD, "new_password1": "Tazeh-Ramz-1405!",
        "new_password2": "Tazeh-Ramz-1405!",
    }),
    "accounts_panel:import": Form(files={"file": ACCOUNTS}, apply="accounts_panel:import_apply"),
    "accounts_panel:import_apply": Form(page="accounts_panel:import", extra=("digest",)),
    "accounts_panel:edit": Form(kwargs=ACCOUNT),
    "accounts_panel:deactivate": Form(kwargs=ACCOUNT, page="accounts_panel:detail"),
    "accounts_panel:reactivate": Form(kwargs=ACCOUNT, page="accounts_panel:detail"),
    "accounts_panel:reset_password": Form(kwargs=ACCOUNT),
    "coordination_panel:review": Form(
        page="coordination_panel:report", good={"note": NOTE},
        extra=("key", "kind", "query", "verdict"),
    ),
    "coordination_panel:rules": Form(),
    "coordination_panel:division_edit": Form(kwargs=PLACE),
    "coordination_panel:division_apply": Form(
        kwargs=PLACE, page="coordination_panel:division_edit", good={"confirm": "1"}
    ),
    "coordination_panel:target_create": Form(good={"value": "12"}),
    "coordination_panel:target_edit": Form(kwargs=TARGET),
    "coordination_panel:target_delete": Form(kwargs=TARGET),
    "coordination_panel:target_import": Form(files={"file": TARGETS}),
    "households_panel:register": Form(CLERK, good={
        "members": "3", "national_id": lambda w, _: valid_national_id(), "head_name": "زهرا رضایی",
        "consent_given_on": day(), "consent_until": day(200),
    }, extra=("save_and_add",)),
    "households_panel:find": Form(
        CLERK, good={"national_id": lambda w, _: w.national_id, "reason": "ثبت بستهٔ غذایی"}
    ),
    "households_panel:detail": Form(CLERK, HOUSEHOLD),
    "households_panel:edit": Form(CLERK, HOUSEHOLD),
    "households_panel:erase": Form(CLERK, HOUSEHOLD, good={"reason": "خانوار رضایتش را پس گرفت"}),
    "households_panel:import": Form(CLERK, files={"file": HOUSEHOLDS}),
    # The page a reader without script gets (?comment=1) carries its own single-use captcha.
    "news:detail": Form(
        V, ARTICLE, page="news:detail", page_query="comment=1", fresh=True,
        good={"name": "مریم", "text": "کار خوبی بود، ممنون.",
              "captcha_1": lambda w, html: captcha_from(html)[1]},
        extra=("captcha_refresh",),
    ),
    "news_short": Form(V, {"code": "article.news_code"}),
}  # fmt: skip

# Function views that read no POST (they answer GET alone, or any method alike).
READ_ONLY_FUNCTIONS = {
    "portal:healthz",
    "news:feed_rss",
    "news:feed_atom",
    "news:tag_feed_rss",
    "news:tag_feed_atom",
    "statistics:csv",
    "statistics:json",
    "sitemap",
    "captcha:image",
    "captcha:refresh",
}


def takes_post(name, view) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return name not in READ_ONLY_FUNCTIONS
    return hasattr(view_class, "post") and "post" in view_class.http_method_names


@pytest.fixture
def world(media_root):
    return build_world()


def test_every_form_has_a_row():
    posting = {name for name, _route, view in url_patterns() if takes_post(name, view)}
    assert sorted(posting - set(FORMS)) == [], "add these to FORMS"
    assert sorted(set(FORMS) - posting) == [], "these rows name no form any more"


def _good(client, world, row, url):
    """What a person sends who fills in only the row's good values: ``(data, every name the
    form sends, the query its action carries)``, read from the page that holds the form."""
    page_url = url
    if row.page:
        kwargs = row.kwargs if row.page_kwargs is None else row.page_kwargs
        page_url = reverse(row.page, kwargs=url_kwargs(world, kwargs))
    page_url += f"?{row.page_query}" if row.page_query else ""
    html = client.get(page_url).content.decode()
    form = form_to(html, page_url, url)
    assert set(form.files if form else ()) <= set(row.files), "add the file fields to the row"
    data = dict(form.sent) if form else {}
    data |= {name: [value_of(world, value, html)] for name, value in row.good.items()}
    for name, files in row.files.items():
        data[name] = [files.upload(world) if isinstance(files, Spreadsheet) else IMAGE]
    names = sorted({*(form.names if form else ()), *row.extra, *row.good, *row.files})
    return data, names, (form.query if form else "")


def _changes(row, names):
    """What an example changes: up to three fields broken (none, first: the good submission),
    or every field made up; and the query the POST carries."""

    def broken(name):
        files = row.files.get(name)
        if files is None:
            return BROKEN
        # A file field also gets no file at all, or text instead of one.
        files = files.strategy() if isinstance(files, Spreadsheet) else files
        return st.one_of(files, st.just(MISSING), TYPED)

    if not names:
        changes = st.just({})
    else:
        few = st.sets(st.sampled_from(names), max_size=3).flatmap(
            lambda chosen: st.fixed_dictionaries({name: broken(name) for name in sorted(chosen)})
        )
        changes = st.one_of(few, st.fixed_dictionaries({}, optional=dict.fromkeys(names, BROKEN)))
    return changes, st.fixed_dictionaries({}, optional=dict.fromkeys(row.query, TYPED))


def _encoded(world, row, data, changes) -> dict:
    """The POST data: each value a text, a file or a list of them; MISSING left out."""
    sent = {}
    for name, value in {**data, **changes}.items():
        if isinstance(value, BrokenCells):
            value = row.files[name].upload(world, value)
        values = [v for v in (value if isinstance(value, list) else [value]) if v is not MISSING]
        values = [
            SimpleUploadedFile(v.name, v.content) if isinstance(v, Upload) else v for v in values
        ]
        if values:
            sent[name] = values if len(values) > 1 else values[0]
    return sent


@pytest.mark.parametrize("name", sorted(FORMS))
def test_no_form_fails_and_a_refusal_changes_nothing(client, world, name):
    row = FORMS[name]
    url = reverse(name, kwargs=url_kwargs(world, row.kwargs))
    sign_in(client, world, row.who)
    data, names, action_query = _good(client, world, row, url)
    changes_strategy, query_strategy = _changes(row, names)

    @FUZZ
    @given(changes=changes_strategy, query=query_strategy)
    @with_row_number_traps(names, lambda values: {"changes": values, "query": {}})
    def check(changes, query):
        sign_in(client, world, row.who)
        good = _good(client, world, row, url)[0] if row.fresh else data
        query_string = urlencode(query) if query else action_query
        target = f"{url}?{query_string}" if query_string else url
        what = (name, changes, query)
        with transaction.atomic():
            before = snapshot()
            response = client.post(target, _encoded(world, row, good, changes))
            judge(response, before, what)
            checked = response.context and response.context.get("apply_form")
            if checked:
                # The check accepted the file: save it, as the page offers.
                before = snapshot()
                digest = checked.initial["digest"]
                saved = client.post(reverse(row.apply) if row.apply else url, {"digest": digest})
                judge(saved, before, (*what, "saved"))
            transaction.set_rollback(True)

    check()
