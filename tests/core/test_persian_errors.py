"""Django's own validation messages in Persian digits on every form, and the number pieces
the admin uses (core.forms, core.admin)."""

import re
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils.html import format_html

from core.admin import digits_outside_tags
from core.forms import PersianDecimalField, PersianNumberInput


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000)
    share = forms.IntegerField(min_value=5, max_value=100, required=False)


def render(template: str, form) -> str:
    return Template(template).render(Context({"form": form}))


def test_max_length_message_has_persian_digits_however_a_template_shows_it():
    form = NoteForm(data={"note": "ب" * 2001})
    looped = render("{% for error in form.note.errors %}{{ error }}{% endfor %}", form)
    rendered = render("{{ form.note.errors }}", form)
    for shown in (looped, rendered):
        assert "حداکثر ۲۰۰۰ کاراکتر" in shown
        assert "۲۰۰۱" in shown
        assert "2000" not in shown
    assert 'id="id_note_error"' in rendered  # the field's aria link survives
    assert form.has_error("note", code="max_length")


def test_min_and_max_value_messages_have_persian_digits():
    low = render("{{ form.share.errors }}", NoteForm(data={"note": "x", "share": "3"}))
    high = render("{{ form.share.errors }}", NoteForm(data={"note": "x", "share": "101"}))
    assert "۵" in low and "۱۰۰" in high
    for shown in (low, high):
        assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", "", shown))


def test_our_own_messages_are_left_as_written():
    class CodeForm(forms.Form):
        code = forms.CharField()

        def clean_code(self):
            raise forms.ValidationError("پرونده باید UTF-8 باشد.")

    shown = render("{{ form.code.errors }}", CodeForm(data={"code": "a"}))
    assert "UTF-8" in shown


def test_non_field_errors_rendered_by_django_have_persian_digits():
    class PairForm(forms.Form):
        def clean(self):
            raise forms.ValidationError("حداکثر %(n)d مورد.", params={"n": 3})

    shown = render("{{ form.non_field_errors }}", PairForm(data={}))
    assert "حداکثر ۳ مورد." in shown


def test_decimal_field_reads_every_digit_script():
    field = PersianDecimalField(max_digits=9, decimal_places=6)
    assert field.clean("۳۵٫۵۶۵۰۸۹") == Decimal("35.565089")
    assert field.clean("\u200f٣٥.٥") == Decimal("35.5")
    assert field.clean("-53.4") == Decimal("-53.4")


def test_number_input_shows_stored_values_in_persian_and_typed_text_as_typed():
    assert PersianNumberInput().format_value(30_360_000) == "۳۰٬۳۶۰٬۰۰۰"
    assert PersianNumberInput(grouped=False).format_value(1405) == "۱۴۰۵"
    assert PersianNumberInput().format_value("12a") == "12a"


def test_admin_messages_keep_the_digits_of_their_links():
    message = format_html(
        'خانهٔ <a href="/admin/agencies/house/{}/change/">{}</a> و 2 مورد', 12, "12"
    )
    shown = digits_outside_tags(message)
    assert shown == 'خانهٔ <a href="/admin/agencies/house/12/change/">۱۲</a> و ۲ مورد'
