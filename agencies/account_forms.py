"""The account pages' forms: the list's filters, an account's create/edit form, the import
upload and one's own new password.

The choices each form offers come from the signed-in person's scope (the roles they may give,
their own agency for a supervisor); the service checks the same rules again. A filter value
outside its choices or unreadable (typed into the URL, a NUL byte) is left out.
"""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from agencies.access import StaffRole
from agencies.account_import import MAX_ROWS
from agencies.accounts import (
    USERNAME_MAX,
    clean_email,
    clean_person_name,
    clean_username,
    news_groups,
    persian_password_errors,
    search_accounts,
)
from agencies.models import Agency, StaffMembership
from core.digits import to_persian_digits
from core.uploads import SpreadsheetFileForm
from neighbourhoods.models import City

STATUS_CHOICES = [
    ("", "همهٔ حساب‌ها"),
    ("active", "فقط فعال"),
    ("inactive", "فقط غیرفعال"),
    ("must_change", "در انتظار گذرواژهٔ تازه"),
]


class AccountFilterForm(forms.Form):
    q = forms.CharField(
        label="جست‌وجو",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "نام یا نام کاربری", "type": "search"}),
    )
    role = forms.ChoiceField(
        label="نقش", required=False, choices=[("", "همهٔ نقش‌ها"), *StaffRole.choices]
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, label="دستگاه", empty_label="همهٔ دستگاه‌ها"
    )
    status = forms.ChoiceField(label="وضعیت", required=False, choices=STATUS_CHOICES)

    def __init__(self, data=None, *, scope):
        super().__init__(data)
        if scope.is_one_agency:
            # A supervisor manages their agency's clerks only: nothing to choose.
            del self.fields["role"]
            del self.fields["agency"]

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

    def apply(self, accounts):
        values = self.values
        if "role" in values:
            accounts = accounts.filter(membership__role=values["role"])
        if "agency" in values:
            accounts = accounts.filter(membership__agency=values["agency"])
        status = values.get("status")
        if status in ("active", "inactive"):
            accounts = accounts.filter(is_active=status == "active")
        elif status == "must_change":
            accounts = accounts.filter(membership__must_change_password=True)
        if "q" in values:
            accounts = search_accounts(accounts, values["q"])
        return accounts


class AccountForm(forms.Form):
    """An account and its membership, as a coordinator or a supervisor gives them."""

    first_name = forms.CharField(label="نام", max_length=200)
    last_name = forms.CharField(label="نام خانوادگی", max_length=200)
    username = forms.CharField(
        label="نام کاربری",
        help_text="حرف کوچک لاتین، رقم و «.»، «_» یا «-»؛ مانند emdad.rezaei. با آن وارد می‌شوند.",
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "maxlength": USERNAME_MAX,
            }
        ),
    )
    email = forms.CharField(
        label="ایمیل",
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text="اختیاری.",
    )
    role = forms.ChoiceField(label="نقش")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="دستگاه",
        empty_label="— بدون دستگاه —",
        help_text="برای کارشناس و مسئول استانی دستگاه لازم است؛ برای نقش‌های دیگر خالی بماند.",
    )
    cities = forms.ModelMultipleChoiceField(
        queryset=City.objects.none(),
        required=False,
        label="شهرها",
        widget=forms.CheckboxSelectMultiple,
        help_text="فقط برای کارشناس دستگاه: اگر هیچ شهری نزنید، همهٔ شهرهای استان را می‌بیند.",
    )
    news_groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label="گروه‌های خبر",
        widget=forms.CheckboxSelectMultiple,
        help_text="نوشتن و انتشار خبر یا بررسی نظرهای خوانندگان، جدا از نقش بالا.",
    )

    def __init__(self, *args, scope, account=None, **kwargs):
        self.scope = scope
        self.account = account
        if account is not None:
            kwargs["initial"] = _initial(account)
        super().__init__(*args, **kwargs)
        roles = scope.grantable_roles()
        self.fields["role"].choices = [(r, StaffRole(r).label) for r in roles]
        agencies = scope.agencies(Agency.objects.order_by("order", "name"))
        self.fields["agency"].queryset = agencies
        self.fields["cities"].queryset = City.objects.order_by("name")
        self.fields["news_groups"].queryset = news_groups()
        if scope.is_one_agency:
            # A supervisor gives one role in one agency: the only choices offered, so a form
            # sent with another (a coordinator, another agency) is refused, not reinterpreted.
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None
            self.fields["agency"].initial = scope.agency_id
            self.fields["agency"].help_text = "حساب‌های دستگاه خودتان را می‌سازید."
            del self.fields["news_groups"]
        elif not self.fields["news_groups"].queryset.exists():
            del self.fields["news_groups"]
        self.helper = _helper(self)

    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"], label="نام")

    def clean_last_name(self):
        return clean_person_name(self.cleaned_data["last_name"], label="نام خانوادگی")

    def clean_username(self):
        return clean_username(self.cleaned_data["username"])

    def clean_email(self):
        return clean_email(self.cleaned_data.get("email"))

    def instances(self):
        """``(account, membership, cities, groups)`` for the services: the account as typed
        (a copy of the stored one when editing), an unsaved membership with role and agency;
        groups is None when the form does not offer them (left as they are)."""
        data = self.cleaned_data
        account = copy.copy(self.account) if self.account is not None else get_user_model()()
        for name in ("first_name", "last_name", "username", "email"):
            setattr(account, name, data[name])
        membership = StaffMembership(role=data["role"], agency=data.get("agency"))
        groups = list(data["news_groups"]) if "news_groups" in self.fields else None
        return account, membership, list(data.get("cities") or []), groups

    def refuse(self, error: ValidationError) -> None:
        """Show a service's refusal on the form, field by field where it can."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _initial(account) -> dict:
    membership = account.membership
    return {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "username": account.username,
        "email": account.email,
        "role": membership.role,
        "agency": membership.agency_id,
        "cities": list(membership.cities.all()),
        "news_groups": list(account.groups.filter(pk__in=news_groups().values("pk"))),
    }


def _helper(form) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    rows = [
        Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
        Row(Column("username", css_class="col-md-6"), Column("email", css_class="col-md-6")),
        Row(Column("role", css_class="col-md-6"), Column("agency", css_class="col-md-6")),
        Field("cities", wrapper_class="account-cities"),
    ]
    if "news_groups" in form.fields:
        rows.append(Field("news_groups"))
    helper.layout = Layout(*rows)
    return helper


class AccountFileForm(SpreadsheetFileForm):
    label = "فایل فهرست حساب‌ها"
    help_text = (
        f"CSV با نویسه‌گذاری UTF-8 یا XLSX، حداکثر {to_persian_digits(MAX_ROWS)} حساب در هر فایل."
    )


class OwnPasswordForm(PasswordChangeForm):
    """One's own new password: the current (or temporary) one, then the new one twice, checked
    by Django's password validators with every refusal in Persian."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "گذرواژهٔ کنونی"
        self.fields["old_password"].help_text = "اگر گذرواژهٔ موقت گرفته‌اید، همان را بنویسید."
        self.fields["new_password1"].label = "گذرواژهٔ تازه"
        self.fields["new_password1"].help_text = _password_help()
        self.fields["new_password2"].label = "تکرار گذرواژهٔ تازه"
        self.fields["new_password2"].help_text = "همان گذرواژهٔ تازه را دوباره بنویسید."
        for field in self.fields.values():
            field.widget.attrs["dir"] = "ltr"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        if password == self.cleaned_data.get("old_password"):
            self.add_error(
                password_field_name, "گذرواژهٔ تازه باید با گذرواژهٔ کنونی فرق داشته باشد."
            )
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(password_field_name, persian_password_errors(error))


_VALIDATOR_HELP = {
    "UserAttributeSimilarityValidator": "شبیه نام، نام کاربری یا ایمیل شما نباشد",
    "CommonPasswordValidator": "از گذرواژه‌های رایج نباشد",
    "NumericPasswordValidator": "فقط رقم نباشد",
}


def _password_help() -> str:
    parts = []
    for validator in password_validation.get_default_password_validators():
        name = type(validator).__name__
        if name == "MinimumLengthValidator":
            parts.insert(0, f"دست‌کم {to_persian_digits(validator.min_length)} نویسه")
        elif name in _VALIDATOR_HELP:
            parts.append(_VALIDATOR_HELP[name])
        else:
            parts.append(validator.get_help_text())
    return "، ".join(parts) + "." if parts else ""
