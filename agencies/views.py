"""Public pages of the agencies app: the four agencies and a page per agency."""

from django.views.generic import DetailView, TemplateView

from agencies import selectors
from agencies.models import Agency
from exhibition.models import Exhibit
from news.models import Article


class IndexView(TemplateView):
    """The agencies with their number of houses and what each delivered in all."""

    template_name = "agencies/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = selectors.agencies_overview()
        context.update(
            overview=overview,
            total=selectors.Totals.add(summary.totals for summary in overview),
        )
        return context


class AgencyDetailView(DetailView):
    """One agency: its houses by city, and its totals by domain and by city."""

    template_name = "agencies/detail.html"
    context_object_name = "agency"
    model = Agency

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_domain = selectors.agency_totals_by_domain(self.object)
        context.update(
            houses=selectors.agency_houses(self.object),
            by_domain=by_domain,
            by_city=selectors.agency_totals_by_city(self.object),
            total=selectors.Totals.add(by_domain),
            exhibits=Exhibit.objects.public().for_agency(self.object)[:8],
            news=Article.objects.published().about_agency(self.object).for_cards()[:5],
        )
        return context
