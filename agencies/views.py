"""Public pages of the agencies app: the four agencies (an agency's own page, which also shows
its news and exhibits, is portal's)."""

from django.views.generic import TemplateView

from agencies import selectors


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
