"""Staff pages for the houses (coordinators only): the list, a house's edit page, its history.

Houses are created by loading the neighbourhood list; here a coordinator keeps their details
and closes or reopens them. Every page needs ``manage_province``; a house is looked up through
the user's scope first, so a clerk of another agency is told it does not exist (404) and a clerk
of its own agency that the page is not theirs (403).
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView

from agencies.access import StaffAccessMixin
from agencies.house_forms import HouseFilterForm, HouseForm
from agencies.house_history import house_history_entries
from agencies.house_services import house_update
from agencies.models import House
from core.pagination import ForgivingPaginationMixin

PAGE_SIZE = 25


def with_record_counts(houses):
    """*houses* with their place, and how many live service records each holds."""
    alive = Q(service_records__deleted_at__isnull=True)
    return houses.with_place().annotate(record_count=Count("service_records", filter=alive))


class HouseAccessMixin(StaffAccessMixin):
    needs = "manage_province"


class HouseObjectMixin(HouseAccessMixin):
    """The house named in the URL, from the user's scope: out of scope is 404 before 403."""

    def load(self, **kwargs):
        houses = with_record_counts(House.objects.visible_to(self.request.user))
        self.object = get_object_or_404(houses, pk=kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object


class HouseListView(ForgivingPaginationMixin, HouseAccessMixin, ListView):
    template_name = "agencies/panel/house_list.html"
    context_object_name = "houses"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        houses = House.objects.visible_to(self.request.user)
        self.filter_form = HouseFilterForm(self.request.GET or None, houses=houses)
        ordering = ("neighbourhood__city__name", "neighbourhood__name", "agency__order", "pk")
        return with_record_counts(self.filter_form.apply(houses)).order_by(*ordering)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class HouseUpdateView(HouseObjectMixin, FormView):
    template_name = "agencies/panel/house_form.html"
    form_class = HouseForm

    def get_form_kwargs(self):
        # A copy: the form writes what was typed onto its instance, and the page goes on
        # describing the house as it is stored.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(house=self.object, **kwargs)

    def form_valid(self, form):
        try:
            house = house_update(house=form.instance, user=self.request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"جزئیات {house} ذخیره شد.")
        return HttpResponseRedirect(reverse("houses_panel:list"))

    def form_invalid(self, form):
        messages.error(self.request, "خانه ذخیره نشد؛ خطاهای فرم را درست کنید.")
        return super().form_invalid(form)


class HouseHistoryView(HouseObjectMixin, DetailView):
    template_name = "agencies/panel/house_history.html"
    context_object_name = "house"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=house_history_entries(self.object), **kwargs)
