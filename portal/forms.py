"""The two login forms (the staff panel's and the Django admin's), refusing an over-long
username before anything is looked up.

Django's login form checks no length of its own, so a username of thousands of characters went
on to ``authenticate()``, and django-axes then wrote it into its 255-character column: a 500
on PostgreSQL. Usernames here are at most 150 characters (Django's own limit), so anything
longer is simply a wrong username, said in Persian like any other.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from core.digits import to_persian_digits

USERNAME_MAX = get_user_model()._meta.get_field("username").max_length


class UsernameLengthMixin:
    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > USERNAME_MAX:
            limit = to_persian_digits(USERNAME_MAX)
            raise forms.ValidationError(
                f"نام کاربری بیش از {limit} نویسه نیست؛ آن را درست وارد کنید.",
                code="max_length",
            )
        return username


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass
