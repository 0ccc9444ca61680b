"""Public pages of the neighbourhoods app: the list by city (a neighbourhood's own page, which
shows every app's work there, is portal's)."""

from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.views.generic import ListView

from core.text import mark_search_matches, search_words
from neighbourhoods.forms import NeighbourhoodSearchForm
from neighbourhoods.models import MAX_QUERY_WORDS, City, Neighbourhood, code_key


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
        shown = list(context["object_list"])
        query = self.form.cleaned_data.get("q", "") if self.form.is_valid() else ""
        if query:
            mark_results(shown, query)
        context.update(
            object_list=shown,
            neighbourhoods=shown,
            form=self.form,
            query=query,
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


def mark_results(neighbourhoods, query: str) -> None:
    """Give each neighbourhood found by *query* ``marked_name`` and its city ``marked_name``
    (safe HTML, the found words in ``<mark>``), and ``marked_code`` when the code matched."""
    words = search_words(query, limit=MAX_QUERY_WORDS)
    code = code_key(query)
    for neighbourhood in neighbourhoods:
        # Names are matched with their spaces dropped (compact_key), so marks may span them.
        neighbourhood.marked_name = mark_search_matches(
            neighbourhood.name, words, across_words=True
        )
        neighbourhood.city.marked_name = mark_search_matches(
            neighbourhood.city.name, words, across_words=True
        )
        found_by_code = code and code in neighbourhood.code.lower().replace("-", "")
        neighbourhood.marked_code = (
            format_html("<mark>{}</mark>", neighbourhood.code) if found_by_code else ""
        )
