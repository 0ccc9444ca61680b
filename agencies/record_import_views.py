"""Staff pages for importing service records from a spreadsheet (writers of the program).

One page, /panel/records/import/: a file posted to it is checked (a dry run that writes
nothing) and, if every row is good, waits in the session (core/uploads.py) until the apply form
posted to the same page saves it, all rows or none. The bad rows of a file are kept the same
way, so the page can offer the full list of reasons for download (``?errors=<fingerprint>``)
while it shows the first of them. The template is an XLSX with the houses and service types the
user may name.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views import View

from agencies.access import StaffAccessMixin
from agencies.record_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SHOWN_ERRORS,
    error_sheet,
    service_records_import,
)
from agencies.record_import_template import record_import_template
from core.digits import format_number, to_persian_digits
from core.exports import XLSX_CONTENT_TYPE
from core.uploads import (
    SpreadsheetFileForm,
    SpreadsheetImportView,
)

SESSION_KEY = "record_import"
ERRORS_KEY = "record_import_errors"
TEMPLATE_NAME = "agencies/panel/record_import.html"


class RecordFileForm(SpreadsheetFileForm):
    label = "فایل خدمت‌ها"
    max_bytes = MAX_FILE_BYTES
    help_text = (
        f"CSV با نویسه‌گذاری UTF-8 یا XLSX، حداکثر {format_number(MAX_ROWS)} ردیف و "
        f"{to_persian_digits(MAX_FILE_BYTES // (1024 * 1024))} مگابایت."
    )


class RecordImportView(StaffAccessMixin, SpreadsheetImportView):
    """Upload a file and see what saving it would do; then save it, all rows or none."""

    needs = "write"
    file_form_class = RecordFileForm
    session_key = SESSION_KEY
    template_name = TEMPLATE_NAME
    page_context = {"columns": COLUMNS, "max_rows": MAX_ROWS, "shown_errors": SHOWN_ERRORS}
    errors_key = ERRORS_KEY
    errors_filename = "record-import-errors"
    restart_url = "agencies_panel:import"
    not_saved_message = "فایل ذخیره نشد؛ هیچ خدمتی ثبت نشد. دلیل را در گزارش ببینید."

    def run(self, *, data, filename, apply):
        return service_records_import(
            data=data, filename=filename, apply=apply, user=self.request.user
        )

    def saved(self, report):
        messages.success(
            self.request,
            f"فایل ذخیره شد: {report.summary()}. خدمت‌های تازه برای تأیید فرستاده شدند.",
        )
        return redirect(reverse("agencies_panel:list") + "?status=submitted")

    def error_sheet(self, report):
        return error_sheet(report)


class RecordImportTemplateView(StaffAccessMixin, View):
    """The XLSX to fill in, with its instructions and the names and codes it may use."""

    needs = "write"

    def get(self, request):
        response = HttpResponse(
            record_import_template(request.user), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, "service-records-template.xlsx"
        )
        add_never_cache_headers(response)
        return response
