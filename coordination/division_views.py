"""Staff pages of the division of labour: the matrix (every program role reads it, in their
cities), a neighbourhood's history, and for coordinators the edit form and the copying of one
neighbourhood's division to the rest of its city."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from agencies.access import StaffAccessMixin
from coordination.division import (
    division_apply_pattern,
    division_history,
    division_matrix,
    division_pattern_changes,
    division_save,
    neighbourhood_rows,
)
from coordination.division_forms import DivisionFilterForm, DivisionForm, division_neighbourhoods
from coordination.gaps import find_gaps
from core.digits import to_persian_digits
from neighbourhoods.models import Neighbourhood

PAGE_SIZE = 40


def matrix_url(neighbourhood: Neighbourhood) -> str:
    """The matrix filtered to *neighbourhood*'s city, where a coordinator returns after a change."""
    return f"{reverse('coordination_panel:division')}?city={neighbourhood.city_id}"


class DivisionMatrixView(StaffAccessMixin, TemplateView):
    template_name = "coordination/panel/division.html"

    def get_context_data(self, **kwargs):
        form = DivisionFilterForm(self.request.GET or None, user=self.request.user)
        places = form.neighbourhoods()
        today = timezone.localdate()
        if form.values.get("gaps"):
            # One more pass over the same neighbourhoods, to keep only those with a gap.
            with_gaps = {
                gap.neighbourhood.pk for gap in find_gaps(neighbourhoods=places, as_of=today)
            }
            places = places.filter(pk__in=with_gaps)
        ordered = places.order_by("city__name", "name", "pk").values_list("pk", flat=True)
        page = Paginator(ordered, PAGE_SIZE).get_page(self.request.GET.get("page"))
        matrix = division_matrix(
            neighbourhoods=Neighbourhood.objects.filter(pk__in=list(page.object_list)), as_of=today
        )
        return super().get_context_data(
            tab="division",
            filter_form=form,
            page_obj=page,
            matrix=matrix,
            **kwargs,
        )


class NeighbourhoodMixin:
    """Loads the neighbourhood the URL names, within the reader's cities (404 outside)."""

    def load(self, **kwargs):
        places = division_neighbourhoods(self.request.user).select_related("city")
        self.neighbourhood = get_object_or_404(places, pk=kwargs["neighbourhood_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab="division", neighbourhood=self.neighbourhood, **kwargs)


class DivisionEditView(NeighbourhoodMixin, StaffAccessMixin, FormView):
    needs = "manage_province"
    template_name = "coordination/panel/division_form.html"

    def get_form(self, form_class=None):
        return DivisionForm(self.request.POST or None, rows=neighbourhood_rows(self.neighbourhood))

    def get_context_data(self, **kwargs):
        others = self.neighbourhood.city.neighbourhoods.exclude(pk=self.neighbourhood.pk).count()
        return super().get_context_data(city_others=others, **kwargs)

    def form_valid(self, form):
        try:
            changed = division_save(
                neighbourhood=self.neighbourhood,
                assignments=form.assignments(),
                user=self.request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        if changed:
            messages.success(
                self.request,
                f"تقسیم کار محلهٔ {self.neighbourhood.name} در {to_persian_digits(changed)} "
                "حوزه ذخیره شد.",
            )
        else:
            messages.info(self.request, "چیزی تغییر نکرده بود.")
        return HttpResponseRedirect(matrix_url(self.neighbourhood))


class DivisionHistoryView(NeighbourhoodMixin, StaffAccessMixin, TemplateView):
    template_name = "coordination/panel/division_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(changes=division_history(self.neighbourhood), **kwargs)


class DivisionApplyView(NeighbourhoodMixin, StaffAccessMixin, View):
    """Copy a neighbourhood's division to the rest of its city: a first POST shows what would
    change and asks to confirm; a POST with ``confirm`` does it."""

    needs = "manage_province"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "1":
            changes = division_pattern_changes(self.neighbourhood)
            return render(
                request,
                "coordination/panel/division_apply.html",
                {"tab": "division", "neighbourhood": self.neighbourhood, "changes": changes},
            )
        changed = division_apply_pattern(source=self.neighbourhood, user=request.user)
        city = self.neighbourhood.city.name
        if changed:
            messages.success(
                request,
                f"تقسیم کار محلهٔ {self.neighbourhood.name} به {to_persian_digits(changed)} "
                f"محلهٔ دیگر شهر {city} داده شد.",
            )
        else:
            messages.info(request, f"محله‌های دیگر شهر {city} همین تقسیم کار را داشتند.")
        return HttpResponseRedirect(matrix_url(self.neighbourhood))
