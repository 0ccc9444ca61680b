"""Staff pages for loading the real neighbourhood list (coordinators only).

The reading and checking of the file is the neighbourhoods app's (``neighbourhoods.importer``);
the pages live here, above it, because only the program layer knows who may use them, and the
houses each neighbourhood gets are the program's (``agencies/neighbourhood_import.py``).

The upload is checked first (a dry run that writes nothing) and applied only by a second,
explicit request; between the two the file waits in the session (core/uploads.py).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from agencies.access import StaffAccessMixin
from agencies.models import Agency
from agencies.neighbourhood_import import (
    house_columns,
    neighbourhood_list_import,
    neighbourhood_list_template,
)
from core.uploads import SpreadsheetImportView
from neighbourhoods.forms import NeighbourhoodFileForm
from neighbourhoods.import_table import COLUMNS, MAX_ROWS

SESSION_KEY = "neighbourhood_import"
TEMPLATE_NAME = "agencies/panel/neighbourhood_import.html"


class ImportPermissionMixin(StaffAccessMixin):
    """Only whoever keeps the whole province's data (coordinators, superusers) may import."""

    needs = "manage_province"


def _page(request, *, form=None, report=None, apply_form=None, status=200):
    context = {
        "form": form or NeighbourhoodFileForm(),
        "report": report,
        "apply_form": apply_form,
        "columns": COLUMNS,
        "house_columns": house_columns(Agency.objects.all()),
        "max_rows": MAX_ROWS,
    }
    return render(request, TEMPLATE_NAME, context, status=status)


class ImportView(ImportPermissionMixin, SpreadsheetImportView):
    """Upload a file and see, row by row, what saving it would do."""

    file_form_class = NeighbourhoodFileForm
    session_key = SESSION_KEY
    restart_url = "neighbourhoods_panel:import"

    def run(self, *, data, filename, apply):
        return neighbourhood_list_import(
            data=data, filename=filename, apply=apply, user=self.request.user
        )

    def page(self, **context):
        return _page(self.request, **context)

    def saved(self, report):
        messages.success(self.request, f"فهرست محله‌ها ذخیره شد: {report.summary()}.")
        return redirect("neighbourhoods_panel:import")


class ImportApplyView(ImportView):
    """Save the file checked a moment ago, all rows or none."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return self.apply()


class ImportTemplateView(ImportPermissionMixin, View):
    """A CSV with the expected headers (the houses' too) and two sample rows, to fill in."""

    def get(self, request):
        response = HttpResponse(
            neighbourhood_list_template(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="neighbourhoods-template.csv"'
        return response
