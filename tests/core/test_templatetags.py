"""The persian template filters."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Engine, Template
from django.utils.safestring import SafeString

from core.templatetags.persian import (
    fa_digits,
    fa_number,
    jdate,
    jdatetime_filter,
    machine_time,
)

pytestmark = pytest.mark.usefixtures("tehran_time")

ENGINE = Engine(libraries={"persian": "core.templatetags.persian"})


def render(source, **context):
    """Render *source* with the persian library loaded, independent of project settings."""
    return ENGINE.from_string("{% load persian %}" + source).render(Context(context))


def test_fa_digits():
    assert render("{{ v|fa_digits }}", v="کوچه 12، پلاک ٣") == "کوچه ۱۲، پلاک ۳"
    assert render("{{ v|fa_digits }}", v=1405) == "۱۴۰۵"


def test_fa_number():
    assert render("{{ v|fa_number }}", v=12345) == "۱۲٬۳۴۵"
    assert render("{{ v|fa_number }}", v=-1500000) == "-۱٬۵۰۰٬۰۰۰"
    assert render("{{ v|fa_number }}", v=Decimal("2500.75")) == "۲٬۵۰۰٫۷۵"
    assert render("{{ v|fa_number }}", v="۱۲۳۴۵") == "۱۲٬۳۴۵"


def test_fa_number_leaves_non_numbers_unchanged():
    assert render("{{ v|fa_number }}", v="بدون قیمت") == "بدون قیمت"
    assert fa_number([1, 2]) == [1, 2]
    assert fa_number(True) is True


def test_jdate_short_and_long():
    day = dt.date(2026, 11, 29)
    assert render("{{ v|jdate }}", v=day) == "۱۴۰۵/۰۹/۰۸"
    assert render('{{ v|jdate:"long" }}', v=day) == "۸ آذر ۱۴۰۵"


def test_jdate_of_aware_datetime_uses_tehran_day():
    assert render("{{ v|jdate }}", v=dt.datetime(2026, 11, 28, 21, 0, tzinfo=dt.UTC)) == (
        "۱۴۰۵/۰۹/۰۸"
    )


def test_jdatetime():
    moment = dt.datetime(2026, 11, 29, 10, 35, tzinfo=dt.UTC)
    assert render("{{ v|jdatetime }}", v=moment) == "۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵"


@pytest.mark.parametrize("name", ["fa_digits", "fa_number", "jdate", "jdatetime"])
@pytest.mark.parametrize("value", [None, ""])
def test_filters_render_missing_values_as_blank(name, value):
    assert render("[{{ v|" + name + " }}]", v=value) == "[]"


def test_filters_called_directly_with_none():
    for function in (fa_digits, fa_number, jdate, jdatetime_filter):
        assert function(None) == ""


def test_date_filters_give_blank_for_non_dates():
    assert render("[{{ v|jdate }}]", v="دیروز") == "[]"
    assert render("[{{ v|jdatetime }}]", v=42) == "[]"
    assert render('[{{ v|jdate:"medium" }}]', v=dt.date(2026, 11, 29)) == "[]"


def test_filters_escape_unsafe_input_once_and_keep_safe_input():
    assert render("{{ v|fa_digits }}", v="<b>1</b>") == "&lt;b&gt;۱&lt;/b&gt;"
    assert render("{{ v|fa_digits }}", v=SafeString("<b>1</b>")) == "<b>۱</b>"


def test_filters_are_available_in_project_templates():
    # settings.TEMPLATES lists the library under "builtins" and "portal" is an installed app,
    # so project templates can use the filters with or without {% load persian %}.
    day = dt.date(2026, 11, 29)
    assert Template("{{ v|jdate }}").render(Context({"v": day})) == "۱۴۰۵/۰۹/۰۸"
    loaded = Template("{% load persian %}{{ v|fa_number }}")
    assert loaded.render(Context({"v": 1000})) == "۱٬۰۰۰"


def test_machine_time_is_local_and_to_the_second_as_html_allows():
    moment = dt.datetime(2026, 12, 3, 11, 38, 36, 922007, tzinfo=dt.UTC)

    assert machine_time(moment) == "2026-12-03T15:08:36+03:30"  # in Tehran (the fixture)
    assert machine_time(None) == ""
