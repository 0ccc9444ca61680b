"""The house pages' forms: the list's filters (a plain GET form) and a house's edit form.

A filter value outside the choices or otherwise unreadable (typed into the URL, a NUL byte) is
an error on that filter and is left out, while the other filters still apply; nothing of it
reaches the database.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone

from agencies.house_services import HOUSE_FIELDS, house_phone, shown_phone
from agencies.models import Agency, House
from core.digits import to_latin_digits, to_persian_digits
from core.forms import JalaliDateField
from core.jalali import to_jalali
from core.text import compact_key
from neighbourhoods.models import City

STATUS_CHOICES = [("", "همهٔ خانه‌ها"), ("active", "فقط فعال"), ("inactive", "فقط غیرفعال")]


class HouseFilterForm(forms.Form):
    q = forms.CharField(
        label="جست‌وجو",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "نام یا کد محله", "type": "search"}),
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.none(), required=False, label="شهر", empty_label="همهٔ شهرها"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, label="دستگاه", empty_label="همهٔ دستگاه‌ها"
    )
    status = forms.ChoiceField(label="وضعیت", required=False, choices=STATUS_CHOICES)

    def __init__(self, data=None, *, houses):
        super().__init__(data)
        self.fields["city"].queryset = City.objects.filter(
            pk__in=houses.values("neighbourhood__city_id")
        )
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=houses.values("agency_id"))

    @property
    def values(self) -> dict:
        """The filters that passed validation; an unbound form filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def is_filtering(self) -> bool:
        return bool(self.values)

    def apply(self, queryset):
        """Filter *queryset* (houses) by the submitted values."""
        values = self.values
        if "city" in values:
            queryset = queryset.filter(neighbourhood__city=values["city"])
        if "agency" in values:
            queryset = queryset.filter(agency=values["agency"])
        if "status" in values:
            queryset = queryset.filter(is_active=values["status"] == "active")
        if "q" in values:
            queryset = queryset.filter(neighbourhood_condition(values["q"]))
        return queryset


def neighbourhood_condition(query: str) -> Q:
    """Match *query* in the house's neighbourhood name (its compact search key, so spacing,
    Arabic letters and digits meet whatever was typed) or code («smn-۰۰۱» finds SMN-001)."""
    key = compact_key(query)
    if not key:
        return Q()
    code = to_latin_digits(query).strip()
    return Q(neighbourhood__search_key__contains=key) | Q(neighbourhood__code__icontains=code)


class HouseForm(forms.ModelForm):
    """A house's details as a coordinator keeps them; the agency and neighbourhood are fixed."""

    opened_on = JalaliDateField(
        label=House._meta.get_field("opened_on").verbose_name,
        required=False,
        help_text="اگر نمی‌دانید، خالی بگذارید.",
    )

    class Meta:
        model = House
        fields = list(HOUSE_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "dir": "ltr", "inputmode": "tel", "autocomplete": "off"}
            ),
        }
        help_texts = {
            "phone": f"مانند {shown_phone('023-33451234')}؛ چند شماره را با «/» جدا کنید.",
            "is_active": (
                "خانهٔ غیرفعال خدمت تازه نمی‌پذیرد؛ خدمات ثبت‌شدهٔ آن می‌ماند و در آمار شمرده می‌شود."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address", "phone", "manager_name"):
            field = self.fields[name]
            field.error_messages["max_length"] = (
                f"«{field.label}» بیش از {to_persian_digits(field.max_length)} نویسه است؛ "
                "آن را کوتاه کنید."
            )
        if not self.is_bound and self.instance.phone:
            self.initial["phone"] = to_persian_digits(self.instance.phone)
        today = to_jalali(timezone.localdate())
        self.fields["opened_on"].widget.attrs["data-jdp-max-date"] = (
            f"{today.year:04d}/{today.month:02d}/{today.day:02d}"
        )
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            "address",
            Row(
                Column("phone", css_class="col-md-6"), Column("manager_name", css_class="col-md-6")
            ),
            Row(Column("opened_on", css_class="col-md-6")),
            Field("is_active"),
        )
        self.helper = helper

    def clean_phone(self):
        return house_phone(self.cleaned_data.get("phone", ""))
