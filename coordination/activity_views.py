"""The page of what every agency did in a person's neighbourhoods: read only, for every
program role (coordination/activity.py decides what it may show)."""

from django.views.generic import ListView

from agencies.access import StaffAccessMixin
from coordination.activity import ActivityFilterForm, status_label
from core.pagination import ForgivingPaginationMixin


class ActivityView(ForgivingPaginationMixin, StaffAccessMixin, ListView):
    template_name = "coordination/panel/activity.html"
    context_object_name = "rows"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = ActivityFilterForm(self.request.GET or None, user=self.request.user)
        return self.filter_form.activity()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context["rows"]:
            row["status_label"] = status_label(row["status"])
        return context | dict(
            filter_form=self.filter_form,
            tab="activity",
            own_agency_id=self.scope.agency_id,
            # Province-wide roles open any record; agency staff only their agency's.
            opens_all=self.scope.is_whole_province,
        )
