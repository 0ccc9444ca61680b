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
from core.uploads import forget_upload, offer_apply, upload_to_apply
from neighbourhoods.forms import ApplyImportForm, NeighbourhoodFileForm
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


class ImportView(ImportPermissionMixin, View):
    """Upload a file and see, row by row, what saving it would do."""

    def get(self, request):
        return _page(request)

    def post(self, request):
        form = NeighbourhoodFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = neighbourhood_list_import(data=data, filename=upload.name, user=request.user)
        apply_form = offer_apply(
            request.session,
            SESSION_KEY,
            report=report,
            filename=upload.name,
            data=data,
            form_class=ApplyImportForm,
        )
        return _page(request, form=NeighbourhoodFileForm(), report=report, apply_form=apply_form)


class ImportApplyView(ImportPermissionMixin, View):
    """Save the file checked a moment ago, all rows or none."""

    http_method_names = ["post"]

    def post(self, request):
        kept = upload_to_apply(request, SESSION_KEY, ApplyImportForm)
        if kept is None:
            return redirect("neighbourhoods_panel:import")
        filename, data = kept
        report = neighbourhood_list_import(
            data=data, filename=filename, apply=True, user=request.user
        )
        if not report.applied:
            # The database changed since the dry run (say, a city was renamed): show why.
            messages.error(request, "فایل ذخیره نشد؛ چیزی تغییر نکرد. دلیل را در گزارش ببینید.")
            return _page(request, report=report)
        forget_upload(request.session, SESSION_KEY)
        messages.success(request, f"فهرست محله‌ها ذخیره شد: {report.summary()}.")
        return redirect("neighbourhoods_panel:import")


class ImportTemplateView(ImportPermissionMixin, View):
    """A CSV with the expected headers (the houses' too) and two sample rows, to fill in."""

    def get(self, request):
        response = HttpResponse(
            neighbourhood_list_template(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="neighbourhoods-template.csv"'
        return response
