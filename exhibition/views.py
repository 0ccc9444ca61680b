"""Public exhibition pages: exhibitions, an exhibition's booths, a booth, an exhibit's gallery.

Photos only ever come from ``Photo.objects.public()`` (directly or through the selectors), so a
photo of people without recorded consent never reaches a visitor.
"""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from exhibition.forms import BoothFilterForm
from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind, Photo
from exhibition.selectors import attach_covers, booths_for_exhibition


class IndexView(ListView):
    template_name = "exhibition/index.html"
    context_object_name = "exhibitions"
    paginate_by = 12

    def get_queryset(self):
        return Exhibition.objects.published()


class ExhibitionDetailView(ListView):
    """An exhibition and its booths, filtered by agency, city and kind of exhibit."""

    template_name = "exhibition/detail.html"
    context_object_name = "booths"
    paginate_by = 24

    def get_queryset(self):
        self.exhibition = get_object_or_404(
            Exhibition.objects.published(), slug=self.kwargs["slug"]
        )
        self.filter_form = BoothFilterForm(self.request.GET, exhibition=self.exhibition)
        self.filters = self.filter_form.filters()
        return booths_for_exhibition(self.exhibition, **self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booths"] = attach_covers(context["booths"])
        context.update(
            exhibition=self.exhibition,
            filter_form=self.filter_form,
            filters=self.filters,
            is_filtered=any(self.filters.values()),
        )
        return context


class BoothDetailView(ListView):
    """A booth and its exhibits, optionally of one kind."""

    template_name = "exhibition/booth.html"
    context_object_name = "exhibits"
    paginate_by = 24

    def get_queryset(self):
        self.booth = get_object_or_404(
            Booth.objects.public().with_place(),
            pk=self.kwargs["pk"],
            exhibition__slug=self.kwargs["slug"],
        )
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in ExhibitKind.values else ""
        return (
            Exhibit.objects.public().filter(booth=self.booth).matching(kind=self.kind).for_cards()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kinds = (
            Exhibit.objects.public()
            .filter(booth=self.booth)
            .order_by()
            .values_list("kind", flat=True)
            .distinct()
        )
        present = set(kinds)
        context.update(
            booth=self.booth,
            exhibition=self.booth.exhibition,
            kind=self.kind,
            kinds=[(value, label) for value, label in ExhibitKind.choices if value in present],
        )
        return context


class ExhibitDetailView(DetailView):
    """One exhibit with its photo gallery and the other exhibits of its booth."""

    template_name = "exhibition/exhibit.html"
    context_object_name = "exhibit"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Exhibit.objects.public().select_related(
                "booth__exhibition",
                "booth__agency",
                "booth__neighbourhood__city",
                "neighbourhood__city",
            ),
            pk=self.kwargs["pk"],
            booth__exhibition__slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exhibit = self.object
        context.update(
            booth=exhibit.booth,
            exhibition=exhibit.booth.exhibition,
            photos=list(Photo.objects.public().filter(exhibit=exhibit).order_by("order", "id")),
            neighbours=Exhibit.objects.public()
            .filter(booth=exhibit.booth)
            .exclude(pk=exhibit.pk)
            .for_cards()[:4],
        )
        return context
