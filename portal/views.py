"""Site-wide pages: home, staff panel home, health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.jalali import jalali_year_month
from news.models import Article
from portal import program


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = program.headline_figures()
        context["latest_news"] = Article.objects.published().for_cards()[:4]
        return context


class PanelHomeView(LoginRequiredMixin, TemplateView):
    """The staff landing page: this Jalali year's figures within the user's scope."""

    template_name = "portal/panel_home.html"

    def get_context_data(self, **kwargs):
        from agencies.models import ServiceRecord
        from agencies.scoping import scope_for

        context = super().get_context_data(**kwargs)
        user = self.request.user
        year, _month = jalali_year_month(timezone.localdate())
        records = ServiceRecord.objects.visible_to(user).alive()
        context.update(
            scope=scope_for(user),
            jalali_year=year,
            year_totals=records.filter(jalali_year=year).totals(),
            my_recent=records.filter(created_by=user).with_related()[:5],
        )
        return context


@never_cache
def healthz(request):
    """Answer whether the database responds; load balancers poll this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})
