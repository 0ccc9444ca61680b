"""Whatever a visitor or a clerk puts in an address, no page answers 500, and a page that
refuses says why in Persian.

Every page of the site (the table below has a row for each URL pattern, walked from the URL
configuration, so a new page fails here until it joins) is asked for with its query parameters
filled with text Hypothesis makes up: any Unicode (NUL and other control characters, bidi
marks, Arabic and Persian digits, very long strings), the number-like strings people actually
mistype, a parameter given twice, and parameters no page reads. Every URL argument of every
pattern is fuzzed the same way, by its converter (numbers far past any column, slugs, any text).
PostgreSQL is where this matters (it refuses NUL bytes and out-of-range numbers that SQLite
takes), and `.ci/run` runs the suite on both. The forms are in tests/test_fuzz_forms.py.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    get_converters,
)
from hypothesis import given
from hypothesis import strategies as st

from agencies.account_forms import AccountFilterForm
from agencies.filters import RecordFilterForm
from agencies.house_forms import HouseFilterForm
from agencies.household_forms import AccessLogFilterForm, HouseholdFilterForm
from coordination.activity import ActivityFilterForm
from coordination.division_forms import DivisionFilterForm
from coordination.report_forms import ReportForm as FindingsForm
from coordination.target_forms import TargetFilterForm
from exhibition.forms import BoothFilterForm
from neighbourhoods.forms import NeighbourhoodSearchForm
from reports.forms import PivotForm
from reports.map_views import MapForm
from reports.panel_views import CompletenessForm, DashboardPageForm, IndicatorsForm
from reports.report_views import ReportForm
from tests.fuzzing import (
    HUGE,
    TYPED,
    build_world,
    fuzz_settings,
    sign_in,
    url_kwargs,
    url_patterns,
    with_row_number_traps,
)
from tests.submissions import answered, form_to

pytestmark = pytest.mark.django_db

FUZZ = fuzz_settings(max_examples=15)
FUZZ_FEW = fuzz_settings(max_examples=6)  # pages that read no parameter, and URL arguments


def fields(form_class, *more) -> tuple:
    """The query parameters of a page that is a form of filters: every field, and *more*."""
    return (*form_class.base_fields, *more)


# URL name -> (who asks, URL keywords from the world, the query parameters the page reads).
# A URL keyword with a dot is read from the world (tests/fuzzing.build_world); without, it is
# written as it is. Pages that only take POST are asked with GET too (405, never 500).
V, C, E, M = "visitor", "coordinator", "editor", "moderator"
RECORD, HOUSE, HOUSEHOLD = {"pk": "draft.pk"}, {"pk": "house.pk"}, {"pk": "household.pk"}
ACCOUNT, TARGET, PLACE = (
    {"pk": "account.pk"},
    {"pk": "target.pk"},
    {"neighbourhood_id": "neighbourhood.pk"},
)
EXHIBIT, BOOTH, PHOTO = {"pk": "exhibit.pk"}, {"pk": "booth.pk"}, {"pk": "photo.pk"}
ARTICLE = {"code": "article.news_code", "slug": "article.slug"}
PAGES = {
    "portal:home": (V, {}, ()),
    "portal:healthz": (V, {}, ()),
    "portal:login": (V, {}, ("next",)),
    "portal:logout": (C, {}, ("next",)),
    "portal:panel": (C, {}, ()),
    "portal:private_media": (C, {"name": "photo.image.name"}, ()),
    "agencies_panel:list": (C, {}, fields(RecordFilterForm, "page")),
    "agencies_panel:create": (C, {}, ("households",)),
    "agencies_panel:deleted": (C, {}, ("page",)),
    "agencies_panel:export": (C, {"fmt": "xlsx"}, fields(RecordFilterForm)),
    "agencies_panel:import": (C, {}, ("errors",)),
    "agencies_panel:import_template": (C, {}, ()),
    "agencies_panel:detail": (C, RECORD, ()),
    "agencies_panel:edit": (C, RECORD, ()),
    "agencies_panel:delete": (C, RECORD, ()),
    "agencies_panel:history": (C, RECORD, ()),
    "agencies_panel:restore": (C, {"pk": "deleted.pk"}, ()),
    "agencies_panel:submit": (C, RECORD, ()),
    "agencies_panel:return": (C, {"pk": "submitted.pk"}, ()),
    "agencies_panel:approve": (C, {}, fields(RecordFilterForm)),
    "neighbourhoods_panel:import": (C, {}, ()),
    "neighbourhoods_panel:import_apply": (C, {}, ()),
    "neighbourhoods_panel:import_template": (C, {}, ()),
    "houses_panel:list": (C, {}, fields(HouseFilterForm, "page")),
    "houses_panel:edit": (C, HOUSE, ()),
    "houses_panel:history": (C, HOUSE, ()),
    "news_panel:articles": (E, {}, ("status", "q", "page")),
    "news_panel:create": (E, {}, ()),
    "news_panel:edit": (E, {"pk": "article.pk"}, ()),
    "news_panel:preview": (E, {"pk": "article.pk"}, ()),
    "news_panel:comments": (M, {}, ("page",)),
    "exhibition_panel:index": (C, {}, ("page",)),
    "exhibition_panel:exhibition_new": (C, {}, ()),
    "exhibition_panel:exhibition": (C, {"pk": "exhibition.pk"}, ()),
    "exhibition_panel:exhibition_edit": (C, {"pk": "exhibition.pk"}, ()),
    "exhibition_panel:booth_new": (C, {"exhibition_pk": "exhibition.pk"}, ()),
    "exhibition_panel:booth": (C, BOOTH, ()),
    "exhibition_panel:booth_edit": (C, BOOTH, ()),
    "exhibition_panel:booth_delete": (C, BOOTH, ()),
    "exhibition_panel:exhibit_new": (C, {"booth_pk": "booth.pk"}, ()),
    "exhibition_panel:exhibit": (C, EXHIBIT, ()),
    "exhibition_panel:exhibit_edit": (C, EXHIBIT, ()),
    "exhibition_panel:exhibit_delete": (C, EXHIBIT, ()),
    "exhibition_panel:photo_upload": (C, EXHIBIT, ()),
    "exhibition_panel:photo_edit": (C, PHOTO, ()),
    "exhibition_panel:photo_delete": (C, PHOTO, ()),
    "accounts_panel:list": (C, {}, fields(AccountFilterForm, "page")),
    "accounts_panel:create": (C, {}, ()),
    "accounts_panel:password_change": (C, {}, ()),
    "accounts_panel:import": (C, {}, ()),
    "accounts_panel:import_apply": (C, {}, ()),
    "accounts_panel:import_template": (C, {}, ()),
    "accounts_panel:detail": (C, ACCOUNT, ()),
    "accounts_panel:edit": (C, ACCOUNT, ()),
    "accounts_panel:deactivate": (C, ACCOUNT, ()),
    "accounts_panel:reactivate": (C, ACCOUNT, ()),
    "accounts_panel:reset_password": (C, ACCOUNT, ()),
    "reports_panel:dashboard": (C, {}, fields(DashboardPageForm)),
    "reports_panel:pivot": (C, {}, fields(PivotForm)),
    "reports_panel:indicators": (C, {}, fields(IndicatorsForm)),
    "reports_panel:completeness": (C, {}, fields(CompletenessForm)),
    "reports_panel:map": (C, {}, fields(MapForm)),
    "reports_panel:report": (C, {}, fields(ReportForm)),
    "reports_panel:report_pdf": (C, {}, fields(ReportForm)),
    "reports_panel:export": (C, {"table": "pivot", "fmt": "csv"}, fields(PivotForm)),
    "coordination_panel:report": (C, {}, fields(FindingsForm, "page")),
    "coordination_panel:review": (C, {}, ()),
    "coordination_panel:export": (C, {"fmt": "csv"}, fields(FindingsForm)),
    "coordination_panel:rules": (C, {}, ()),
    "coordination_panel:division": (C, {}, fields(DivisionFilterForm, "page")),
    "coordination_panel:division_edit": (C, PLACE, ()),
    "coordination_panel:division_history": (C, PLACE, ()),
    "coordination_panel:division_apply": (C, PLACE, ()),
    "coordination_panel:targets": (C, {}, fields(TargetFilterForm, "page")),
    "coordination_panel:target_create": (C, {}, ("neighbourhood",)),
    "coordination_panel:target_edit": (C, TARGET, ()),
    "coordination_panel:target_delete": (C, TARGET, ()),
    "coordination_panel:target_import": (C, {}, ()),
    "coordination_panel:target_template": (C, {}, ()),
    "coordination_panel:target_neighbourhood": (C, PLACE, fields(TargetFilterForm)),
    "coordination_panel:activity": (C, {}, fields(ActivityFilterForm, "page")),
    "households_panel:list": (C, {}, fields(HouseholdFilterForm, "page")),
    "households_panel:register": (
        C, {}, ("neighbourhood", "registered_by_agency", "consent_given_on"),
    ),
    "households_panel:find": (C, {}, ()),
    "households_panel:log": (C, {}, fields(AccessLogFilterForm, "page")),
    "households_panel:detail": (C, HOUSEHOLD, ()),
    "households_panel:edit": (C, HOUSEHOLD, ()),
    "households_panel:erase": (C, HOUSEHOLD, ()),
    "households_panel:import": (C, {}, ("errors",)),
    "households_panel:import_template": (C, {}, ()),
    "neighbourhoods:index": (V, {}, fields(NeighbourhoodSearchForm, "page")),
    "neighbourhoods:city": (V, {"slug": "city.slug"}, fields(NeighbourhoodSearchForm, "page")),
    "neighbourhoods:detail": (V, {"code": "neighbourhood.code"}, ()),
    "agencies:index": (V, {}, ()),
    "agencies:detail": (V, {"slug": "agency.slug"}, ()),
    "exhibition:index": (V, {}, ("page",)),
    "exhibition:detail": (V, {"slug": "exhibition.slug"}, fields(BoothFilterForm, "page")),
    "exhibition:booth": (V, {"slug": "exhibition.slug", "pk": "booth.pk"}, ("kind", "page")),
    "exhibition:exhibit": (V, {"slug": "exhibition.slug", "pk": "exhibit.pk"}, ()),
    "news:index": (V, {}, ("category", "page")),
    "news:search": (V, {}, ("q", "page")),
    "news:tag": (V, {"slug": "tag.slug"}, ("page",)),
    "news:feed_rss": (V, {}, ()),
    "news:feed_atom": (V, {}, ()),
    "news:tag_feed_rss": (V, {"slug": "tag.slug"}, ()),
    "news:tag_feed_atom": (V, {"slug": "tag.slug"}, ()),
    "news:detail": (V, ARTICLE, ("reply_to", "sent", "comment")),
    "news:print": (V, ARTICLE, ()),
    "statistics:index": (V, {}, ("year",)),
    "statistics:csv": (V, {}, ("year",)),
    "statistics:json": (V, {}, ("year",)),
    "news_short": (V, {"code": "article.news_code"}, ()),
    "sitemap": (V, {}, ("p",)),
    "captcha:image": (V, {"token": "x"}, ()),
    "captcha:refresh": (V, {}, ()),
    "admin:login": (V, {}, ("next",)),
}  # fmt: skip


@pytest.fixture
def world(media_root):
    return build_world()


def _query(names):
    """Some of *names* with made-up values (a value may be a list: the parameter twice), and
    now and then a parameter no page reads."""
    value = st.one_of(TYPED, st.lists(TYPED, min_size=2, max_size=3), HUGE)
    known = st.fixed_dictionaries({}, optional={name: value for name in names})
    unknown = st.dictionaries(st.text(min_size=1, max_size=12), TYPED, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


def test_every_url_pattern_has_a_row():
    names = {name for name, _route, _view in url_patterns()}
    assert sorted(names - set(PAGES)) == [], "add these to PAGES"
    assert sorted(set(PAGES) - names) == [], "these rows name no URL any more"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_fails_on_any_query(client, world, name):
    who, kwargs, params = PAGES[name]
    sign_in(client, world, who)
    url = reverse(name, kwargs=url_kwargs(world, kwargs))
    first = client.get(url)
    assert answered(first), url
    if first.get("Content-Type", "").startswith("text/html"):
        # The page's own filter form may send nothing the table does not list.
        own = form_to(first.content.decode(), url, url, method="get")
        assert set(own.names if own else ()) <= set(params), "add these parameters to PAGES"

    @(FUZZ if params else FUZZ_FEW)
    @given(query=_query(params))
    @with_row_number_traps(params, lambda values: {"query": values})
    def check(query):
        assert answered(client.get(url, query)), (url, query)

    check()


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
SLUG = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCZ"
# What each converter lets through to a view: numbers far past any column, any slug, any text.
ARGUMENTS = {
    IntConverter: st.one_of(
        st.integers(min_value=0, max_value=10**30),
        st.sampled_from([0, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64]),
    ).map(str),
    SlugConverter: st.text(alphabet=SLUG, min_size=1, max_size=300),
    StringConverter: st.text(min_size=1, max_size=300).filter(lambda s: "/" not in s),
    PathConverter: st.text(min_size=1, max_size=300),
}


def _argument_patterns():
    return sorted(
        (name, route) for name, route, _view in url_patterns() if _CONVERTER.search(route)
    )


@pytest.mark.parametrize(("name", "route"), _argument_patterns())
def test_no_url_argument_fails(client, world, name, route):
    who, kwargs, _params = PAGES[name]
    # A superuser has every right, so a staff page's arguments reach its own code.
    sign_in(client, world, "visitor" if who == "visitor" else "superuser")
    real = url_kwargs(world, kwargs)
    strategies = {}
    for converter_name, key in _CONVERTER.findall(route):
        converter = type(get_converters()[converter_name or "str"])
        assert converter in ARGUMENTS, f"give ARGUMENTS a strategy for {converter.__name__}"
        # Now and then the real value, so the other arguments are tried against a real object.
        strategies[key] = st.one_of(ARGUMENTS[converter], st.just(str(real[key])))

    @FUZZ_FEW
    @given(values=st.fixed_dictionaries(strategies))
    def check(values):
        path = "/" + _CONVERTER.sub(lambda m: quote(values[m.group(2)], safe="/"), route)
        for method in (client.get, client.post):
            assert answered(method(path)), (method.__name__, path)

    check()
