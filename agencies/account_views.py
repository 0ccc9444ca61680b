"""Staff pages for accounts: the list, create, an account's page with its history, edit,
deactivate and reactivate, reset password, the import of a list, and one's own new password.

Every page but the last needs ``"manage_accounts"`` (coordinators, agency supervisors,
superusers). An account is looked up through ``scope.accounts`` only for those, so a supervisor
is told another agency's account does not exist (404) and a clerk that the page is not theirs
(403), whatever the id. A temporary password is shown once, in the response to the POST that
made it, with ``Cache-Control: no-store``; it is never put in the session, a message or a URL.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from agencies.access import StaffAccessMixin
from agencies.account_forms import AccountFileForm, AccountFilterForm, AccountForm, OwnPasswordForm
from agencies.account_history import account_history_entries
from agencies.account_import import COLUMNS, MAX_ROWS, account_import, account_import_template
from agencies.accounts import (
    account_create,
    account_deactivate,
    account_password_change,
    account_password_reset,
    account_reactivate,
    account_update,
    managed_accounts,
    news_groups,
)
from core.pagination import ForgivingPaginationMixin
from core.uploads import SpreadsheetImportView

PAGE_SIZE = 25
SESSION_KEY = "account_import"
ISSUED_TEMPLATE = "agencies/panel/accounts/password_issued.html"


class AccountAccessMixin(StaffAccessMixin):
    needs = "manage_accounts"


class AccountObjectMixin(AccountAccessMixin):
    """The account named in the URL, from the accounts the user manages (404 outside them).

    Only a person who manages accounts looks it up: anyone else is refused (403) without
    learning whether the account exists.
    """

    def load(self, **kwargs):
        if self.scope.allows("manage_accounts"):
            accounts = managed_accounts(self.request.user).prefetch_related("membership__cities")
            self.account = get_object_or_404(accounts, pk=kwargs["pk"])

    def detail_url(self):
        return reverse("accounts_panel:detail", args=[self.account.pk])


def issued_page(request, issued, *, reason: str):
    """The one page that shows temporary passwords: never stored by a browser or a proxy."""
    response = render(request, ISSUED_TEMPLATE, {"issued": issued, "reason": reason})
    add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private
    return response


class AccountListView(ForgivingPaginationMixin, AccountAccessMixin, ListView):
    template_name = "agencies/panel/accounts/list.html"
    context_object_name = "accounts"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filter_form = AccountFilterForm(self.request.GET or None, scope=self.scope)
        accounts = managed_accounts(self.request.user).prefetch_related("membership__cities")
        ordering = ("last_name", "first_name", "username", "pk")
        return self.filter_form.apply(accounts).order_by(*ordering)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class AccountFormMixin:
    template_name = "agencies/panel/accounts/form.html"
    form_class = AccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scope": self.scope}

    def form_invalid(self, form):
        messages.error(self.request, "حساب ذخیره نشد؛ خطاهای فرم را درست کنید.")
        return super().form_invalid(form)


class AccountCreateView(AccountFormMixin, AccountAccessMixin, FormView):
    def form_valid(self, form):
        account, membership, cities, groups = form.instances()
        try:
            issued = account_create(
                account=account,
                membership=membership,
                cities=cities,
                groups=groups or (),
                user=self.request.user,
            )
        except ValidationError as error:
            form.refuse(error)
            return self.form_invalid(form)
        return issued_page(self.request, [issued], reason="created")


class AccountDetailView(AccountObjectMixin, TemplateView):
    template_name = "agencies/panel/accounts/detail.html"

    def get_context_data(self, **kwargs):
        account = self.account
        return super().get_context_data(
            account=account,
            membership=account.membership,
            groups=list(account.groups.filter(pk__in=news_groups().values("pk"))),
            entries=account_history_entries(account.membership),
            is_self=account.pk == self.request.user.pk,
            **kwargs,
        )


class AccountUpdateView(AccountFormMixin, AccountObjectMixin, FormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "account": self.account}

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        account, membership, cities, groups = form.instances()
        try:
            account_update(
                account=account,
                membership=membership,
                cities=cities,
                groups=groups,
                user=self.request.user,
            )
        except ValidationError as error:
            form.refuse(error)
            return self.form_invalid(form)
        messages.success(self.request, "تغییرهای حساب ذخیره شد.")
        return HttpResponseRedirect(self.detail_url())


class AccountActiveView(AccountObjectMixin, View):
    """Deactivate or reactivate the account, then back to its page."""

    http_method_names = ["post"]
    service = None  # the service to call, as a staticmethod
    done = ""

    def post(self, request, *args, **kwargs):
        try:
            self.service(account=self.account, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(self.detail_url())


class AccountDeactivateView(AccountActiveView):
    service = staticmethod(account_deactivate)
    done = "حساب غیرفعال شد: دیگر نمی‌تواند وارد شود و نشست‌های بازش هم بسته شد."


class AccountReactivateView(AccountActiveView):
    service = staticmethod(account_reactivate)
    done = "حساب دوباره فعال شد."


class AccountPasswordResetView(AccountObjectMixin, TemplateView):
    """GET asks to confirm; POST gives a new temporary password, shown once."""

    template_name = "agencies/panel/accounts/reset_confirm.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            issued = account_password_reset(account=self.account, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.detail_url())
        return issued_page(request, [issued], reason="reset")


class PasswordChangeView(StaffAccessMixin, FormView):
    """One's own new password; the only panel page open while a temporary one is in use."""

    needs = "signed_in"
    password_change_page = True
    template_name = "agencies/panel/accounts/password_change.html"
    form_class = OwnPasswordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        try:
            account_password_change(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password2", error)
            return self.form_invalid(form)
        # Keeps this session signed in; every other session of the account ends.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "گذرواژهٔ تازه ذخیره شد.")
        return redirect("portal:panel")


# --- Import -------------------------------------------------------------------------------------


def _import_page(request, *, form=None, report=None, apply_form=None, status=200):
    context = {
        "form": form or AccountFileForm(),
        "report": report,
        "apply_form": apply_form,
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "agencies/panel/accounts/import.html", context, status=status)


class AccountImportView(AccountAccessMixin, SpreadsheetImportView):
    """Upload a file of accounts and see, row by row, what saving it would do."""

    file_form_class = AccountFileForm
    session_key = SESSION_KEY
    restart_url = "accounts_panel:import"
    not_saved_message = "فایل ذخیره نشد؛ هیچ حسابی ساخته نشد. دلیل را در گزارش ببینید."

    def run(self, *, data, filename, apply):
        return account_import(data=data, filename=filename, apply=apply, user=self.request.user)

    def page(self, **context):
        return _import_page(self.request, **context)

    def saved(self, report):
        return issued_page(self.request, report.issued, reason="imported")


class AccountImportApplyView(AccountImportView):
    """Create the accounts of the file checked a moment ago, all or none; show their passwords."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return self.apply()


class AccountImportTemplateView(AccountAccessMixin, View):
    """A CSV with the Persian headers and made-up rows, to fill in with a spreadsheet."""

    def get(self, request):
        response = HttpResponse(
            account_import_template(request.user), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="accounts-template.csv"'
        return response
