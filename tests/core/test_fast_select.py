"""FastSelect writes the same select as Django's template, and the records filters keep a chosen
place chosen."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.forms import FastSelect
from neighbourhoods.models import Neighbourhood
from tests.factories import make_city, make_house, make_neighbourhood, make_user

CHOICES = [
    ("", "همهٔ محله‌ها"),
    (1, "کوی زرین"),
    ("a<b", 'محلهٔ «نو» & "باغ" <شمالی>'),
    (
        "درمان و سلامت",
        [(2, "ویزیت رایگان پزشک"), ("'3'", "دارو & درمان"), (4, mark_safe("<b>پررنگ</b>"))],
    ),
    (5, 1405),  # a number, localized as {{ label }} would show it
    (6, dt.date(2026, 3, 21)),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "a<b", "'3'", "999"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "form-select", "required": True, "disabled": False},
        {"id": "id_place", "disabled": True, "data-note": "\"<&>'"},
    ],
)
def test_renders_what_djangos_select_renders(value, attrs):
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("place", value)
    fast_html = FastSelect(attrs=attrs, choices=CHOICES).render("place", value)
    assert fast_html == django_html


def test_escapes_labels_and_values():
    html = FastSelect(choices=CHOICES).render("place", "a<b")
    assert (
        '<option value="a&lt;b" selected>'
        "محلهٔ «نو» &amp; &quot;باغ&quot; &lt;شمالی&gt;</option>" in html
    )
    assert '<optgroup label="درمان و سلامت">' in html
    assert "<b>پررنگ</b>" in html  # a label marked safe is left as it is, as Django does


def test_several_chosen_values_are_selected():
    class FastSelectMultiple(FastSelect):
        allow_multiple_selected = True

    chosen = ["1", "'3'"]
    fast_html = FastSelectMultiple(choices=CHOICES).render("places", chosen)
    assert fast_html == forms.SelectMultiple(choices=CHOICES).render("places", chosen)
    assert fast_html.count(" selected>") == 2


class _MarksOptions:
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-odd"] = str(option["value"]).isdigit() and int(option["value"]) % 2
        return option


class _MarkedSelect(_MarksOptions, forms.Select):
    pass


class _MarkedFastSelect(_MarksOptions, FastSelect):
    pass


def test_option_attributes_added_by_a_subclass_are_written():
    html = _MarkedFastSelect(choices=CHOICES).render("place", "1")
    assert html == _MarkedSelect(choices=CHOICES).render("place", "1")
    assert '<option value="1" selected data-odd="1">' in html


class _PlaceForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.select_related("city"),
        required=False,
        empty_label="همهٔ محله‌ها",
        widget=FastSelect,
    )


def test_model_choices_are_read_in_one_query(db, django_assert_num_queries):
    city = make_city(name="سمنان")
    for n in range(30):
        make_neighbourhood(city=city, name=f"محله {n}")
    form = _PlaceForm()
    with django_assert_num_queries(1):
        fast_html = str(form["neighbourhood"])
    form.fields["neighbourhood"].widget = forms.Select(choices=form.fields["neighbourhood"].choices)
    assert fast_html == str(form["neighbourhood"])
    assert fast_html.count("<option") == 31


class _Options(HTMLParser):
    """The options of one select of a page: value, attributes and label."""

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.inside, self.option, self.options = name, False, None, []

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.inside = dict(attrs).get("name") == self.name
        elif tag == "option" and self.inside:
            self.option = {**dict(attrs), "label": ""}
            self.options.append(self.option)

    def handle_data(self, data):
        if self.option is not None:
            self.option["label"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "option":
            self.option = None


def _options(html: str, name: str) -> list[dict]:
    parser = _Options(name)
    parser.feed(html)
    return parser.options


def test_records_list_keeps_the_chosen_neighbourhood_selected(client, db):
    semnan = make_city(name="سمنان")
    shahrud = make_city(name="شاهرود")
    zarrin = make_neighbourhood(city=semnan, name="کوی زرین")
    bagh = make_neighbourhood(city=semnan, name='کوی "باغ" & <نو>')
    kowsar = make_neighbourhood(city=shahrud, name="کوثر")
    for place in (zarrin, bagh, kowsar):
        make_house(neighbourhood=place)
    client.force_login(make_user(superuser=True))

    response = client.get(reverse("agencies_panel:list"), {"neighbourhood": bagh.pk})

    html = response.content.decode()
    options = _options(html, "neighbourhood")
    assert [o["label"] for o in options] == [
        "همهٔ محله‌ها",
        'کوی "باغ" & <نو> (سمنان)',
        "کوی زرین (سمنان)",
        "کوثر (شاهرود)",
    ]
    assert [o["value"] for o in options if "selected" in o] == [str(bagh.pk)]
    assert [o.get("data-city") for o in options[1:]] == [str(semnan.pk)] * 2 + [str(shahrud.pk)]
    assert "کوی &quot;باغ&quot; &amp; &lt;نو&gt; (سمنان)</option>" in html
    cities = _options(html, "city")
    assert [o["label"] for o in cities] == ["همهٔ شهرها", "سمنان", "شاهرود"]
    assert not any("selected" in o for o in cities[1:])


def test_the_record_forms_house_and_type_selects_are_djangos_byte_for_byte(db):
    """The record form's selects, grouped by city and by domain: a coordinator's house select
    lists every house of the country, so it is a FastSelect; what it writes is Django's."""
    from agencies.forms import ServiceRecordForm
    from tests.factories import make_service_type

    for city_name in ("سمنان", "شاهرود"):
        make_house(neighbourhood=make_neighbourhood(city=make_city(name=city_name)))
    make_service_type()
    coordinator = make_user(role="coordinator")
    form = ServiceRecordForm(user=coordinator, initial={})
    for name in ("house", "service_type"):
        field = form.fields[name]
        assert isinstance(field.widget, FastSelect)
        django_select = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        assert str(form[name]) == form[name].as_widget(django_select)
        assert "<optgroup" in str(form[name])
