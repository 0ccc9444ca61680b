"""The pages that combine apps: home, staff panel home, a neighbourhood's and an agency's page,
and the health check. They sit above every app, so they may read all of them."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from agencies import selectors
from agencies.access import StaffAccessMixin
from agencies.choices import RecordStatus
from agencies.models import Agency, ServiceDomain, ServiceRecord
from coordination.division import neighbourhood_division
from core.jalali import jalali_year_month
from exhibition.models import Exhibit
from neighbourhoods.models import Neighbourhood
from news.models import Article
from portal import program
from reports.aggregates import headline
from reports.suppression import protect_neighbourhood_tables, protect_totals_tables


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facts = program.program_facts()
        context.update(
            facts=facts,
            figures=program.headline_figures(facts),
            agencies=Agency.objects.order_by("order", "name"),
            domains=ServiceDomain.objects.order_by("order", "name"),
            latest_news=Article.objects.published().for_cards()[:4],
        )
        return context


class PanelHomeView(StaffAccessMixin, TemplateView):
    """The staff landing page: this Jalali year's figures within the user's scope.

    Open to every signed-in person; one without any role is told whom to ask.
    """

    template_name = "portal/panel_home.html"
    needs = "signed_in"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.scope.sees_program:
            return context
        user = self.request.user
        year, _month = jalali_year_month(timezone.localdate())
        records = ServiceRecord.objects.visible_to(user).alive()
        context.update(
            jalali_year=year,
            year_totals=headline(records.filter(jalali_year=year)),
            my_recent=records.filter(created_by=user).with_related()[:5],
            awaiting=records.awaiting_approval().count() if self.scope.can_approve else 0,
            returned=records.filter(status=RecordStatus.RETURNED, created_by=user).count(),
        )
        return context


class NeighbourhoodPageView(DetailView):
    """A neighbourhood's profile, its houses and what was delivered there, in totals only,
    with its news and its exhibits."""

    template_name = "neighbourhoods/detail.html"
    context_object_name = "neighbourhood"
    queryset = Neighbourhood.objects.with_place()
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        neighbourhood = self.object
        # Counts of people below five, and what the totals would give away, are protected.
        shown = protect_neighbourhood_tables(
            selectors.neighbourhood_totals_by_domain(neighbourhood),
            selectors.neighbourhood_totals_by_agency(neighbourhood),
            selectors.neighbourhood_domain_agency_table(neighbourhood),
        )
        context.update(
            houses=selectors.neighbourhood_houses(neighbourhood),
            division=neighbourhood_division(neighbourhood),
            by_domain=shown.by_domain,
            by_agency=shown.by_agency,
            table=shown.table,
            total=shown.total,
            exhibits=Exhibit.objects.public().for_neighbourhood(neighbourhood)[:8],
            news=Article.objects.published().about_neighbourhood(neighbourhood).for_cards()[:5],
        )
        return context


class AgenciesIndexView(TemplateView):
    """The agencies with their number of houses and what each delivered in all; counts of
    people below five (and what the province total would give away) are protected."""

    template_name = "agencies/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = selectors.agencies_overview()
        tables, total = protect_totals_tables(
            {"agency": [summary.totals for summary in overview]},
            total=selectors.Totals.add(summary.totals for summary in overview),
        )
        context.update(
            overview=[
                (summary, shown) for summary, shown in zip(overview, tables["agency"], strict=True)
            ],
            total=total,
        )
        return context


class AgencyPageView(DetailView):
    """One agency: its houses by city, its totals by domain and by city, its news and exhibits."""

    template_name = "agencies/detail.html"
    context_object_name = "agency"
    model = Agency

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_domain = selectors.agency_totals_by_domain(self.object)
        # Counts of people below five, and what the totals would give away, are protected.
        tables, total = protect_totals_tables(
            {"domain": by_domain, "city": selectors.agency_totals_by_city(self.object)},
            selectors.Totals.add(by_domain),
        )
        context.update(
            houses=selectors.agency_houses(self.object),
            by_domain=tables["domain"],
            by_city=tables["city"],
            total=total,
            exhibits=Exhibit.objects.public().for_agency(self.object)[:8],
            news=Article.objects.published().about_agency(self.object).for_cards()[:5],
        )
        return context


@never_cache
def healthz(request):
    """Answer whether the database responds; load balancers poll this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (DatabaseError, InterfaceError) as error:  # a closed connection is the latter
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})


def server_error(request):
    """Django's handler of an uncaught error (``handler500``). A database that does not answer
    (restarting, failing over) is a 503 with ``Retry-After``, which load balancers and browsers
    read as "try again soon" (bench/resilience.py measures how soon); anything else is our 500
    page. Like Django's own handler, neither page reads the database or the request."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return defaults.server_error(request)
