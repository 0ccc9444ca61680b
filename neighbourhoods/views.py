"""Public pages of the neighbourhoods app: the list by city (a neighbourhood's own page, which
shows every app's work there, is portal's)."""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from neighbourhoods.forms import NeighbourhoodSearchForm
from neighbourhoods.models import City, Neighbourhood


class NeighbourhoodListView(ListView):
    """Neighbourhoods grouped by city, optionally narrowed by a search."""

    template_name = "neighbourhoods/index.html"
    context_object_name = "neighbourhoods"
    # The whole country has 2,020 neighbourhoods; a page never holds more than this many.
    paginate_by = 300
    city = None

    def get_queryset(self):
        self.form = NeighbourhoodSearchForm(self.request.GET or None)
        neighbourhoods = Neighbourhood.objects.with_place().order_by(
            "city__name", "city_id", "name"
        )
        if self.city is not None:
            neighbourhoods = neighbourhoods.filter(city=self.city)
        if self.form.is_valid():
            neighbourhoods = neighbourhoods.search(self.form.cleaned_data["q"])
        return neighbourhoods

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = context["object_list"]
        context.update(
            form=self.form,
            query=self.form.cleaned_data.get("q", "") if self.form.is_valid() else "",
            city=self.city,
            shows_demo=any(n.is_demo for n in shown),
            city_count=self.object_list.order_by().values("city_id").distinct().count(),
        )
        return context


class CityNeighbourhoodsView(NeighbourhoodListView):
    """The same list for one city."""

    def get_queryset(self):
        self.city = get_object_or_404(
            City.objects.select_related("county__province"), slug=self.kwargs["slug"]
        )
        return super().get_queryset()
