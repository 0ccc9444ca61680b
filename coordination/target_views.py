"""Staff pages of the yearly targets: the list with its progress bars and a neighbourhood's
targets, read by every program role within their cities; creating, editing, deleting and
importing targets, for coordinators only.

Progress is what counts officially (coordination/targets.py): approved records, not deleted.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from agencies.access import StaffAccessMixin, scope_for
from coordination.target_forms import (
    TargetFileForm,
    TargetFilterForm,
    TargetForm,
)
from coordination.target_import import COLUMNS, target_import, target_import_template
from coordination.targets import (
    expected_share,
    percent_text,
    progress,
    target_delete,
    target_save,
    visible_targets,
)
from core.digits import parse_row_number, to_persian_digits
from core.exports import XLSX, export_response
from core.jalali import days_in_month
from core.periods import Period
from core.spreadsheets import MAX_ROWS
from core.uploads import SpreadsheetImportView
from neighbourhoods.models import Neighbourhood

PAGE_SIZE = 50
SESSION_KEY = "target_import"


def _list_url(year=None) -> str:
    url = reverse("coordination_panel:targets")
    return f"{url}?year={year}" if year else url


def _year_context(year: int, today) -> dict:
    """How far the chosen year has gone, for the sentence above the bars."""
    expected = expected_share(year, today)
    return {
        "year": year,
        "year_label": Period.of_year(year).label,
        "year_expected": expected,
        "year_expected_label": percent_text(expected),
    }


class TargetListView(StaffAccessMixin, TemplateView):
    template_name = "coordination/panel/target_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = TargetFilterForm(self.request.GET or None, user=self.request.user, today=today)
        targets = form.apply(form.targets).with_related()
        items = progress(targets=targets, today=today)
        behind = sum(1 for item in items if item.behind)
        shown = [item for item in items if item.behind] if form.values.get("behind") else items
        page = Paginator(shown, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            tab="targets",
            filter_form=form,
            page_obj=page,
            items=page.object_list,
            count=len(items),
            behind_count=behind,
            **_year_context(form.chosen_year, today),
            **kwargs,
        )


class TargetNeighbourhoodView(StaffAccessMixin, TemplateView):
    """One neighbourhood's targets for a year, domain by domain."""

    template_name = "coordination/panel/target_neighbourhood.html"

    def load(self, **kwargs):
        neighbourhoods = scope_for(self.request.user).neighbourhoods(
            Neighbourhood.objects.select_related("city")
        )
        self.neighbourhood = get_object_or_404(neighbourhoods, pk=kwargs["neighbourhood_id"])

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = TargetFilterForm(self.request.GET or None, user=self.request.user, today=today)
        targets = visible_targets(self.request.user).filter(
            neighbourhood=self.neighbourhood, year=form.chosen_year
        )
        items = progress(targets=targets.with_related(), today=today)
        domains = {}
        for item in items:
            domains.setdefault(item.target.domain, []).append(item)
        year = form.chosen_year
        last_day = days_in_month(year, 12)
        return super().get_context_data(
            tab="targets",
            neighbourhood=self.neighbourhood,
            filter_form=form,
            domains=list(domains.items()),
            count=len(items),
            behind_count=sum(1 for item in items if item.behind),
            # The records list filter for the same year, approved only: what counts.
            records_query=(
                f"neighbourhood={self.neighbourhood.pk}&status=approved"
                f"&date_from={year}/01/01&date_to={year}/12/{last_day}"
            ),
            **_year_context(year, today),
            **kwargs,
        )


class TargetAccessMixin(StaffAccessMixin):
    needs = "manage_province"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab="targets", **kwargs)


class TargetFormMixin(TargetAccessMixin):
    template_name = "coordination/panel/target_form.html"
    form_class = TargetForm

    def form_valid(self, form):
        try:
            target = target_save(target=form.instance, user=self.request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"هدف «{to_persian_digits(target)}» ذخیره شد.")
        return HttpResponseRedirect(_list_url(target.year))


class TargetCreateView(TargetFormMixin, FormView):
    def get_initial(self):
        initial = {"year": Period.current_year(timezone.localdate()).year}
        neighbourhood = parse_row_number(self.request.GET.get("neighbourhood", ""))
        if neighbourhood is not None:
            initial["neighbourhood"] = neighbourhood
        return initial


class TargetObjectMixin(TargetAccessMixin):
    """The target named in the URL, through the user's cities (404 outside them)."""

    def load(self, **kwargs):
        targets = visible_targets(self.request.user).with_related()
        self.object = get_object_or_404(targets, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.object, **kwargs)


class TargetEditView(TargetObjectMixin, TargetFormMixin, FormView):
    def get_form_kwargs(self):
        # A copy: the form writes what was typed onto its instance, and the page goes on
        # naming the target as it is stored.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.object)}


class TargetDeleteView(TargetObjectMixin, TemplateView):
    template_name = "coordination/panel/target_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        year, name = self.object.year, to_persian_digits(self.object)
        target_delete(target=self.object, user=request.user)
        messages.success(request, f"هدف «{name}» حذف شد.")
        return HttpResponseRedirect(_list_url(year))


# --- Import -------------------------------------------------------------------------------------


def _import_page(request, *, form=None, report=None, apply_form=None):
    context = {
        "tab": "targets",
        "form": form or TargetFileForm(),
        "report": report,
        "apply_form": apply_form,
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "coordination/panel/target_import.html", context)


class TargetImportView(TargetAccessMixin, SpreadsheetImportView):
    """Upload a file of targets and see, row by row, what saving it would do; the apply form
    (the checked file's fingerprint) comes back here to save it, all rows or none."""

    file_form_class = TargetFileForm
    session_key = SESSION_KEY
    restart_url = "coordination_panel:target_import"

    def run(self, *, data, filename, apply):
        return target_import(data=data, filename=filename, apply=apply, user=self.request.user)

    def page(self, **context):
        return _import_page(self.request, **context)

    def saved(self, report):
        messages.success(self.request, f"هدف‌ها ذخیره شد: {report.summary()}.")
        return redirect("coordination_panel:targets")


class TargetTemplateView(TargetAccessMixin, View):
    """An XLSX with the Persian headers and two sample rows, to fill in."""

    def get(self, request):
        sheet = target_import_template(today=timezone.localdate())
        return export_response(sheet, fmt=XLSX, filename="targets-template")
