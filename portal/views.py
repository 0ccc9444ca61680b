"""Site-wide pages: home, staff panel home, health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from portal import program


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = program.headline_figures()
        return context


class PanelHomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/panel_home.html"


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
