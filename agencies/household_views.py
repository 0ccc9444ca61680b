"""Staff pages of the household registry: the list, registering, finding by national ID, a
household's page, editing it, removing its identity, and the access log.

Households are read only by those who write records (``require_household_reader``: a viewer
gets 403 on every page here), and only the households of their scope (``Scope.households``:
their agency registered or served them; coordinators all): anything else is 404. Another
agency's household is reached by its exact national ID on the find page, logged.

What the access log gets from these pages: a look-up (found or not) on the find page, a VIEW
every time a household's page opens (also right after a find, or an edit: each opening is a
reading, and the log says so), a VIEW with the reason «نمایش کد ملی» when the full ID is shown,
and the REGISTER and ERASE rows the services write. The list shows only the masked ID (the last
three digits) and logs nothing.

No URL, message or title carries a national ID or a name; households are named by their
reference. The views that take IDs or names in a POST keep them out of error reports.
"""

import contextlib
import copy
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, ListView, TemplateView

from agencies.access import OutOfScope, StaffAccessMixin
from agencies.household_forms import (
    AccessLogFilterForm,
    HouseholdEditForm,
    HouseholdEraseForm,
    HouseholdFilterForm,
    HouseholdFindForm,
    HouseholdRegisterForm,
)
from agencies.household_services import (
    NOT_FOUND,
    Identity,
    household_erase_identity,
    household_find,
    household_open,
    household_register,
    household_update,
    registering_agency,
    require_household_reader,
)
from agencies.models import Household, HouseholdAccess, RecordHousehold, ServiceRecord
from core.digits import parse_row_number
from core.pagination import ForgivingPaginationMixin

PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
REVEAL_REASON = "نمایش کد ملی"
DUPLICATE = "خانواری با همین کد ملی سرپرست در این محله پیش‌تر ثبت شده است."


def _show_refusal(form, error: ValidationError) -> None:
    """A service's refusal on the form: under its field where the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class HouseholdPageMixin(StaffAccessMixin):
    """Every page here: writers only, the viewer refused (403) before anything is looked up."""

    needs = "write"

    def load(self, **kwargs):
        require_household_reader(self.request.user)


class HouseholdObjectMixin(HouseholdPageMixin):
    """The household named in the URL, from the user's scope (404 outside it); not logged:
    pages that show no identity (edit, erase) read nothing the log must hold."""

    def load(self, **kwargs):
        super().load(**kwargs)
        households = self.scope.households(
            Household.objects.select_related("neighbourhood__city", "registered_by_agency")
        )
        self.household = households.filter(pk=kwargs["pk"]).first()
        if self.household is None:
            raise OutOfScope("household outside the scope")

    def get_context_data(self, **kwargs):
        return super().get_context_data(household=self.household, **kwargs)


# --- The list --------------------------------------------------------------------------------


class HouseholdListView(ForgivingPaginationMixin, HouseholdPageMixin, ListView):
    """The households this user may open, newest first, by neighbourhood; ticked ones go to a
    new service record. No search by name or ID: that is the find page, logged."""

    template_name = "agencies/panel/households/list.html"
    context_object_name = "households"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        households = self.scope.households(Household.objects.all())
        self.filter_form = HouseholdFilterForm(self.request.GET or None, households=households)
        return (
            self.filter_form.apply(households)
            .select_related("neighbourhood__city", "registered_by_agency")
            .order_by("-registered_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


# --- Registering -----------------------------------------------------------------------------


@method_decorator(sensitive_post_parameters("national_id", "head_name", "member_ids"), "dispatch")
class HouseholdRegisterView(HouseholdPageMixin, FormView):
    """A new household. «ذخیره و ثبت خانوار بعدی» opens an empty form again with the same
    neighbourhood, agency and consent date, for a clerk registering a street's households."""

    template_name = "agencies/panel/households/register.html"
    form_class = HouseholdRegisterForm
    # What the next empty form keeps (none of it identifies anyone).
    CARRIED = ("neighbourhood", "registered_by_agency", "consent_given_on")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {}
        for name in ("neighbourhood", "registered_by_agency"):
            number = parse_row_number(self.request.GET.get(name, ""))
            if number is not None:
                initial[name] = number
        with contextlib.suppress(ValueError):
            initial["consent_given_on"] = dt.date.fromisoformat(
                self.request.GET.get("consent_given_on", "")
            )
        return initial

    def form_valid(self, form):
        household = form.instance
        try:
            if not self.scope.is_one_agency:
                household.registered_by_agency = registering_agency(
                    self.request.user, form.cleaned_data.get("registered_by_agency")
                )
            household = household_register(
                household=household,
                identity=Identity(
                    national_id=form.identity_values["national_id"],
                    name=form.identity_values["name"],
                    member_ids=form.identity_values["member_ids"],
                ),
                user=self.request.user,
            )
        except ValidationError as error:
            _show_refusal(form, error)
            return self.form_invalid(form)
        except IntegrityError:
            # The same head registered in the same neighbourhood a moment ago, by someone else.
            form.add_error("national_id", DUPLICATE)
            return self.form_invalid(form)
        if household.is_identified:
            messages.success(self.request, f"{household.reference} ثبت شد.")
        else:
            messages.success(
                self.request,
                f"{household.reference} بی‌نام ثبت شد (فقط شمار اعضا و ویژگی‌ها).",
            )
        if "save_and_add" in self.request.POST:
            carried = {
                "neighbourhood": household.neighbourhood_id,
                "registered_by_agency": (
                    None if self.scope.is_one_agency else household.registered_by_agency_id
                ),
                "consent_given_on": form.cleaned_data.get("consent_given_on"),
            }
            query = urlencode(
                {
                    name: value.isoformat() if isinstance(value, dt.date) else value
                    for name, value in carried.items()
                    if value
                }
            )
            return HttpResponseRedirect(f"{reverse('households_panel:register')}?{query}")
        return HttpResponseRedirect(reverse("households_panel:list"))

    def form_invalid(self, form):
        messages.error(self.request, "خانوار ثبت نشد؛ خطاهای فرم را درست کنید.")
        return super().form_invalid(form)


# --- Finding by national ID ------------------------------------------------------------------


@method_decorator(sensitive_post_parameters("national_id"), "dispatch")
class HouseholdFindView(HouseholdPageMixin, FormView):
    """One household by the exact national ID of its head or a member, with a reason; the
    look-up is logged whether it finds one or not. A household this user may open leads to
    its page; another agency's (that agreed to be found by the whole program) is shown here,
    without its identity, to be listed on a service record by its ID."""

    template_name = "agencies/panel/households/find.html"
    form_class = HouseholdFindForm

    def form_valid(self, form):
        try:
            found = household_find(
                national_id=form.cleaned_data["national_id"],
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _show_refusal(form, error)
            return self.form_invalid(form)
        # The typed ID is not written back into the page, found or not.
        again = self.form_class(initial={"reason": form.cleaned_data["reason"]})
        if found is None:
            return self.render_to_response(self.get_context_data(form=again, missed=NOT_FOUND))
        openable = self.scope.households(Household.objects.filter(pk=found.pk)).exists()
        if openable:
            return HttpResponseRedirect(reverse("households_panel:detail", args=[found.pk]))
        found = Household.objects.select_related("neighbourhood__city", "registered_by_agency").get(
            pk=found.pk
        )
        return self.render_to_response(self.get_context_data(form=again, found=found))


# --- A household -----------------------------------------------------------------------------


class HouseholdDetailView(HouseholdPageMixin, TemplateView):
    """A household's page, opened through ``household_open`` (logged each time). A POST shows
    the full national ID and name once, logged with the reason «نمایش کد ملی»."""

    template_name = "agencies/panel/households/detail.html"

    def load(self, **kwargs):
        super().load(**kwargs)
        self.revealed = self.request.method == "POST"
        self.household = household_open(
            household_id=kwargs["pk"],
            user=self.request.user,
            reason=REVEAL_REASON if self.revealed else "",
        )

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        household = self.household
        return super().get_context_data(
            household=household,
            revealed=self.revealed and household.is_identified,
            member_id_count=household.member_ids.count() if household.is_identified else 0,
            **self.served_by(household),
            **kwargs,
        )

    def served_by(self, household) -> dict:
        """The live records that served *household* and that this user may read: their own
        scope's in full (a link), other agencies' in their neighbourhoods as the agency, the
        type and the date only. Records beyond both are only counted."""
        links = (
            RecordHousehold.objects.filter(household=household, record__deleted_at__isnull=True)
            .select_related(
                "record__house__agency",
                "record__house__neighbourhood",
                "record__service_type__domain",
            )
            .order_by("-record__delivered_on", "-record_id")
        )
        records = [link.record for link in links]
        ids = [record.pk for record in records]
        user = self.request.user
        own = set(
            ServiceRecord.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        nearby = set(
            ServiceRecord.objects.in_neighbourhoods_of(user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        rows = [
            {"record": record, "full": record.pk in own}
            for record in records
            if record.pk in own or record.pk in nearby
        ]
        return {"served": rows, "served_elsewhere": len(records) - len(rows)}


class HouseholdEditView(HouseholdObjectMixin, FormView):
    template_name = "agencies/panel/households/edit.html"
    form_class = HouseholdEditForm

    @method_decorator(sensitive_post_parameters("head_name"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: the form writes what was typed onto its instance, and the page goes on
        # describing the household as it is stored.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.household)}

    def form_valid(self, form):
        try:
            household = household_update(
                household=form.instance,
                user=self.request.user,
                name=form.cleaned_data.get("head_name") or None,
            )
        except ValidationError as error:
            _show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"تغییرهای {household.reference} ذخیره شد.")
        return HttpResponseRedirect(reverse("households_panel:detail", args=[household.pk]))

    def form_invalid(self, form):
        messages.error(self.request, "تغییرها ذخیره نشد؛ خطاهای فرم را درست کنید.")
        return super().form_invalid(form)


class HouseholdEraseView(HouseholdObjectMixin, FormView):
    """Removing a household's identity (consent withdrawn): the counts and links stay."""

    template_name = "agencies/panel/households/erase.html"
    form_class = HouseholdEraseForm

    def post(self, request, *args, **kwargs):
        if not self.household.is_identified:
            messages.info(request, f"{self.household.reference} نام و کد ملی ثبت‌شده‌ای ندارد.")
            return HttpResponseRedirect(
                reverse("households_panel:detail", args=[self.household.pk])
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        household = household_erase_identity(
            household=self.household, user=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request,
            f"نام و کد ملی {household.reference} پاک شد. شمار اعضا، ویژگی‌ها و خدمت‌هایی که "
            "گرفته می‌ماند و در آمار شمرده می‌شود؛ دیگر کسی آن را با کد ملی نمی‌یابد.",
        )
        return HttpResponseRedirect(reverse("households_panel:detail", args=[household.pk]))


# --- The access log --------------------------------------------------------------------------


class HouseholdAccessLogView(ForgivingPaginationMixin, StaffAccessMixin, ListView):
    """Who read which household, when and why: coordinators only, newest first."""

    needs = "manage_province"
    template_name = "agencies/panel/households/log.html"
    context_object_name = "entries"
    paginate_by = LOG_PAGE_SIZE

    def get_queryset(self):
        self.filter_form = AccessLogFilterForm(self.request.GET or None)
        entries = HouseholdAccess.objects.select_related("agency").order_by("-at", "-pk")
        return self.filter_form.apply(entries)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)
