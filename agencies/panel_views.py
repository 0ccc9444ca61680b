"""Staff panel for service records: list, detail, create, edit, delete, history, restore.

Every view starts from ``ServiceRecord.objects.visible_to(user)``, so another agency's record
is "not found" (404) whatever its id. The object is looked up before the write check, so a
read-only user gets 403 on a record they can see and 404 on one they cannot.
"""

import copy

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, ListView, View

from agencies.access import StaffAccessMixin
from agencies.choices import RecordStatus
from agencies.filters import RecordFilterForm
from agencies.forms import ServiceRecordForm
from agencies.household_services import NOT_FOUND, households_for_record
from agencies.models import Household, ServiceRecord
from agencies.record_history import conflict_message, history_entries
from agencies.services import (
    RETURN_REASON_MAX,
    DuplicateRecord,
    EditConflict,
    ParallelWork,
    SameAidTwice,
    record_households,
    service_record_create,
    service_record_delete,
    service_record_restore,
    service_record_return,
    service_record_submit,
    service_record_update,
    service_records_approve,
)
from core.digits import format_number, parse_row_number
from core.pagination import BoundedPaginator, ForgivingPaginationMixin

PAGE_SIZE = 25
PICKED_MAX = 500  # households ticked in the list, sent to the record form at once
PK_MAX = 2**31  # a row number past this is no household's (and would overflow the column)


class RecordObjectMixin(StaffAccessMixin):
    """The record named in the URL, from the user's scope: out of scope is 404 before 403."""

    def records(self):
        return ServiceRecord.objects.visible_to(self.request.user)

    def get_record_queryset(self):
        return self.records().alive().with_related()

    def load(self, **kwargs):
        self.object = get_object_or_404(self.get_record_queryset(), pk=kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object


class PagedListMixin(ForgivingPaginationMixin):
    """25 a page; a page number past the end (an old link) shows the last page, not a 404; the
    first 10,000 rows only, whatever the list's length (core.pagination.BoundedPaginator)."""

    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator


class RecordListView(PagedListMixin, StaffAccessMixin, ListView):
    template_name = "agencies/panel/record_list.html"
    context_object_name = "records"

    def get_queryset(self):
        self.filter_form = RecordFilterForm(self.request.GET or None, user=self.request.user)
        records = ServiceRecord.objects.visible_to(self.request.user)
        return self.filter_form.apply(records.alive().with_related())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        if self.scope.can_approve:
            context["awaiting"] = self.object_list.filter(status=RecordStatus.SUBMITTED).count()
        return context


class DeletedRecordListView(PagedListMixin, StaffAccessMixin, ListView):
    template_name = "agencies/panel/deleted_list.html"
    context_object_name = "records"

    def get_queryset(self):
        records = ServiceRecord.objects.visible_to(self.request.user)
        return records.deleted().with_related().order_by("-deleted_at", "-id")


class RecordDetailView(RecordObjectMixin, DetailView):
    template_name = "agencies/panel/record_detail.html"
    context_object_name = "record"

    def get_record_queryset(self):
        # Deleted records stay readable, so a coordinator can see what they would restore.
        return self.records().with_related()

    shows_households = True

    def get_context_data(self, **kwargs):
        record = self.object
        if self.shows_households:
            kwargs |= self.households_context(record)
        return super().get_context_data(
            can_edit=not record.is_deleted and self.scope.may_edit(record),
            can_review=not record.is_deleted and self.scope.may_approve(record),
            return_form=kwargs.pop("return_form", None) or ReturnForm(),
            **kwargs,
        )

    def households_context(self, record) -> dict:
        """The households the record lists, and which of them this reader may open."""
        listed = record_households(record)
        if not listed:
            return {}
        readable = Household.objects.visible_to(self.request.user).filter(
            pk__in=[household.pk for household in listed]
        )
        return {
            "listed_households": listed,
            "listed_members": sum(household.members for household in listed),
            "readable_households": set(readable.values_list("pk", flat=True)),
        }


class RecordHistoryView(RecordDetailView):
    template_name = "agencies/panel/record_history.html"
    shows_households = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=history_entries(self.object), **kwargs)


class RecordFormMixin:
    template_name = "agencies/panel/record_form.html"
    form_class = ServiceRecordForm

    # The national IDs typed into the form stay out of error reports.
    @method_decorator(sensitive_post_parameters("household_ids"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "households": self.initial_households(),
        }

    def initial_households(self) -> list:
        return []

    def households_of(self, form):
        """The households the form lists, looked up (and logged) by national ID in the record's
        neighbourhood; None with the form's error when a line finds none."""
        pairs = form.cleaned_data.get("household_ids") or []
        found, missing = households_for_record(
            national_ids=pairs, record=form.instance, user=self.request.user
        )
        if missing:
            lines = "، ".join(format_number(line) for line in missing)
            form.add_error("household_ids", f"سطر {lines}: {NOT_FOUND}")
            return None
        return list(dict.fromkeys([*found, *form.kept_households]))

    def form_invalid(self, form):
        messages.error(self.request, "خدمت ذخیره نشد؛ خطاهای فرم را درست کنید.")
        return super().form_invalid(form)

    def refused(self, form, error: ValidationError):
        """Show a refusal from the service on the form, field by field where it can.

        A parallel-work warning is not a mistake: the form comes back with the other agencies'
        records and a field for the reason, and nothing is saved until it is given.
        """
        if isinstance(error, ParallelWork):
            return self.warned(form, error)
        if isinstance(error, SameAidTwice):
            return self.warned_repeat(form, error)
        if isinstance(error, DuplicateRecord):
            form.add_error(None, error)
            messages.error(self.request, "خدمت ذخیره نشد؛ همین خدمت پیش‌تر ثبت شده است.")
            return self.render_to_response(
                self.get_context_data(form=form, duplicate_of=error.existing)
            )
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return self.form_invalid(form)

    def warned(self, form, warning: ParallelWork):
        form.add_error("parallel_reason", warning.error_dict["parallel_reason"])
        # The page opens on the reason, next to the buttons, even on a phone.
        form.fields["parallel_reason"].widget.attrs["autofocus"] = True
        messages.warning(
            self.request,
            "خدمت هنوز ذخیره نشده است: دستگاه دیگری در همین محله همین خدمت را ثبت کرده است.",
        )
        context = self.get_context_data(
            form=form, parallel=warning.matches, parallel_rules=warning.rules
        )
        return self.render_to_response(context)

    def warned_repeat(self, form, warning: SameAidTwice):
        form.add_error("repeat_reason", warning.error_dict["repeat_reason"])
        form.fields["repeat_reason"].widget.attrs["autofocus"] = True
        messages.warning(
            self.request,
            "خدمت هنوز ذخیره نشده است: خانواری از فهرست همین کمک را از دستگاه دیگری گرفته است.",
        )
        context = self.get_context_data(
            form=form, repeats=warning.matches, repeat_rules=warning.rules
        )
        return self.render_to_response(context)


class RecordCreateView(RecordFormMixin, StaffAccessMixin, FormView):
    needs = "write"

    def initial_households(self) -> list:
        """Households ticked in the household list (``?households=3&households=8`` or
        ``?households=3,8``: row numbers, never national IDs); only those the user may open."""
        numbers = (
            parse_row_number(part)
            for value in self.request.GET.getlist("households")
            for part in value.split(",")
        )
        picked = [number for number in numbers if number is not None and number < PK_MAX]
        picked = picked[:PICKED_MAX]
        if not picked:
            return []
        return list(Household.objects.visible_to(self.request.user).filter(pk__in=picked))

    def form_valid(self, form):
        # "Submit and add another" submits too: a clerk entering a batch sends each one.
        submit = "submit" in self.request.POST or "save_and_add" in self.request.POST
        households = self.households_of(form)
        if households is None:
            return self.form_invalid(form)
        try:
            record = service_record_create(
                record=form.instance, user=self.request.user, submit=submit, households=households
            )
        except ValidationError as error:
            return self.refused(form, error)
        if submit:
            messages.success(self.request, "خدمت ثبت و برای تأیید فرستاده شد.")
        else:
            messages.success(self.request, "خدمت به‌صورت پیش‌نویس ذخیره شد؛ هنوز ارسال نشده است.")
        if "save_and_add" in self.request.POST:
            return HttpResponseRedirect(reverse("agencies_panel:create"))
        return HttpResponseRedirect(reverse("agencies_panel:detail", args=[record.pk]))


class RecordUpdateView(RecordFormMixin, RecordObjectMixin, FormView):
    needs = "write"

    def load(self, **kwargs):
        super().load(**kwargs)
        _require_editable(self.scope, self.object)

    def get_form_kwargs(self):
        # A copy, because a ModelForm writes what was typed onto its instance while validating
        # and the page heading should go on describing the record as it is stored.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.object, **kwargs)

    def initial_households(self) -> list:
        return record_households(self.object)

    def form_valid(self, form):
        version = form.cleaned_data.get("version") or 0
        households = self.households_of(form)
        if households is None:
            return self.form_invalid(form)
        try:
            record = service_record_update(
                record=form.instance,
                user=self.request.user,
                version=version,
                submit="submit" in self.request.POST,
                households=households,
            )
        except ValidationError as error:
            return self.refused(form, error)
        except EditConflict as conflict:
            return self.conflicted(form, conflict)
        messages.success(self.request, "تغییرها ذخیره شد.")
        return HttpResponseRedirect(reverse("agencies_panel:detail", args=[record.pk]))

    def conflicted(self, form, conflict: EditConflict):
        """Refuse the save, say what changed meanwhile, and offer the form again as typed.

        The form now carries the current version, so saving it again is a deliberate choice
        made after reading the message, not a silent overwrite.
        """
        messages.error(self.request, conflict_message(conflict))
        if conflict.current.is_deleted:
            return HttpResponseRedirect(reverse("agencies_panel:detail", args=[self.object.pk]))
        data = self.request.POST.copy()
        data["version"] = str(conflict.current.version)
        form = self.get_form_class()(
            data=data,
            instance=conflict.current,
            user=self.request.user,
            households=self.initial_households(),
        )
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))


class RecordDeleteView(RecordObjectMixin, DetailView):
    template_name = "agencies/panel/record_confirm_delete.html"
    context_object_name = "record"
    needs = "write"

    def load(self, **kwargs):
        super().load(**kwargs)
        _require_editable(self.scope, self.object)

    def post(self, request, *args, **kwargs):
        service_record_delete(record=self.object, user=request.user)
        messages.success(request, "خدمت حذف شد. هماهنگ‌کنندهٔ استانی می‌تواند آن را بازگرداند.")
        return HttpResponseRedirect(reverse("agencies_panel:list"))


class RecordRestoreView(RecordObjectMixin, View):
    http_method_names = ["post"]
    needs = "restore"

    def get_record_queryset(self):
        return self.records().deleted()

    def post(self, request, *args, **kwargs):
        service_record_restore(record=self.object, user=request.user)
        messages.success(request, "خدمت بازگردانده شد.")
        return HttpResponseRedirect(reverse("agencies_panel:detail", args=[self.object.pk]))


# --- Approval ---------------------------------------------------------------------------------


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="چه چیزی باید اصلاح شود؟",
        max_length=RETURN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="کارشناس این متن را کنار خدمت می‌بیند.",
        error_messages={"required": "بنویسید چه چیزی باید اصلاح شود."},
    )


class RecordSubmitView(RecordObjectMixin, View):
    """A draft or returned record sent for approval."""

    http_method_names = ["post"]
    needs = "write"

    def post(self, request, *args, **kwargs):
        _require_editable(self.scope, self.object)
        record = service_record_submit(record=self.object, user=request.user)
        if record.status == RecordStatus.SUBMITTED:
            messages.success(request, "خدمت برای تأیید فرستاده شد.")
        return HttpResponseRedirect(reverse("agencies_panel:detail", args=[record.pk]))


class RecordApproveView(StaffAccessMixin, View):
    """Approve the ticked records of the list, or every submitted record its filters show.

    The list's query string comes along, so "all" means exactly the filtered list the person
    was looking at, and they are sent back to it.
    """

    http_method_names = ["post"]
    needs = "approve"

    def post(self, request, *args, **kwargs):
        filter_form = RecordFilterForm(request.GET or None, user=request.user)
        records = filter_form.apply(ServiceRecord.objects.visible_to(request.user).alive())
        if request.POST.get("all_filtered") != "1":
            ids = map(parse_row_number, request.POST.getlist("records"))
            records = records.filter(pk__in=[pk for pk in ids if pk is not None])
        approved = service_records_approve(records=records, user=request.user)
        if approved:
            messages.success(request, f"{format_number(approved)} خدمت تأیید شد.")
        else:
            messages.warning(request, "خدمتِ ارسال‌شده‌ای برای تأیید انتخاب نشده بود.")
        back = parse_row_number(request.POST.get("next", ""))
        if back is not None:
            return HttpResponseRedirect(reverse("agencies_panel:detail", args=[back]))
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("agencies_panel:list") + (f"?{query}" if query else ""))


class RecordReturnView(RecordDetailView):
    """Return a submitted or approved record to its clerk, with the reason they will read."""

    http_method_names = ["post"]
    needs = "approve"

    def get_record_queryset(self):
        return self.records().alive().with_related()

    def post(self, request, *args, **kwargs):
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                service_record_return(
                    record=self.object, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "خدمت برای اصلاح به کارشناس برگردانده شد.")
                return HttpResponseRedirect(reverse("agencies_panel:detail", args=[self.object.pk]))
        messages.error(request, "خدمت برگردانده نشد؛ دلیل را بنویسید.")
        context = self.get_context_data(return_form=form)
        return self.render_to_response(context, status=400)


def _require_editable(scope, record) -> None:
    """An approved record is locked for clerks: the page says why instead of offering a form."""
    if not scope.may_edit(record):
        raise PermissionDenied(
            "این خدمت تأیید شده و قفل است؛ برای اصلاح، از مسئول استانی دستگاه بخواهید آن را "
            "برای اصلاح برگرداند."
        )
