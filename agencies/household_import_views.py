"""Staff pages for importing households from a spreadsheet (writers of the program only:
read-only roles never see households).

One page, /panel/households/import/: a file posted to it is checked (a dry run that writes
nothing) and, if every row is good, waits in the session (core/uploads.py) until the apply form
posted to the same page registers it, all rows or none. The bad rows of a file are kept the
same way, so the page can offer the full list of reasons for download (``?errors=<fingerprint>``)
while it shows the first of them. The template is an XLSX with the neighbourhoods where the
user may register households.

A households file holds national IDs and names, so it is sealed (``core.crypto.seal``) the
moment it is read and waits in the session only sealed; :meth:`HouseholdImportView.run` opens
it for the service. Nothing the pages show, flash or download repeats an ID or a name.
"""

import base64
import zlib

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from agencies.access import StaffAccessMixin
from agencies.household_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SHOWN_ERRORS,
    HouseholdImportReport,
    error_sheet,
    households_import,
)
from agencies.household_import_template import household_import_template
from core.crypto import UnreadableSeal, seal, unseal
from core.digits import format_number, to_persian_digits
from core.exports import XLSX_CONTENT_TYPE
from core.uploads import (
    UPLOAD_GONE,
    SpreadsheetFileForm,
    SpreadsheetImportView,
)

SESSION_KEY = "household_import"
ERRORS_KEY = "household_import_errors"
TEMPLATE_NAME = "agencies/panel/households/import.html"


def seal_file(data: bytes) -> bytes:
    """*data* compressed and sealed: what the session keeps of a households file."""
    return seal(base64.b64encode(zlib.compress(data)).decode("ascii")).encode("ascii")


def open_file(sealed: bytes) -> bytes:
    """The file :func:`seal_file` sealed; ``UnreadableSeal`` if no configured key opens it."""
    try:
        return zlib.decompress(base64.b64decode(unseal(sealed.decode("ascii"))))
    except (UnicodeDecodeError, ValueError, zlib.error):
        raise UnreadableSeal("not a sealed households file") from None


class _SealedUpload:
    """The uploaded file as the import view reads it: its name, and its bytes sealed."""

    def __init__(self, upload):
        self.name = upload.name
        self._sealed = seal_file(upload.read())

    def read(self) -> bytes:
        return self._sealed


class HouseholdFileForm(SpreadsheetFileForm):
    label = "فایل خانوارها"
    max_bytes = MAX_FILE_BYTES
    help_text = (
        f"CSV با نویسه‌گذاری UTF-8 یا Windows-1256، یا XLSX؛ حداکثر {format_number(MAX_ROWS)} "
        f"ردیف و {to_persian_digits(MAX_FILE_BYTES // (1024 * 1024))} مگابایت."
    )

    def clean_file(self):
        return _SealedUpload(super().clean_file())


@method_decorator(sensitive_post_parameters(), name="dispatch")
class HouseholdImportView(StaffAccessMixin, SpreadsheetImportView):
    """Upload a file of households and see what saving it would do; then register them, all
    rows or none."""

    needs = "write"
    file_form_class = HouseholdFileForm
    session_key = SESSION_KEY
    template_name = TEMPLATE_NAME
    page_context = {"columns": COLUMNS, "max_rows": MAX_ROWS, "shown_errors": SHOWN_ERRORS}
    errors_key = ERRORS_KEY
    errors_filename = "household-import-errors"
    restart_url = "households_panel:import"
    not_saved_message = "فایل ذخیره نشد؛ هیچ خانواری ثبت نشد. دلیل را در گزارش ببینید."

    def run(self, *, data, filename, apply):
        """*data* is the sealed file (see :class:`HouseholdFileForm`)."""
        try:
            plain = open_file(data)
        except UnreadableSeal:
            return HouseholdImportReport(filename=filename, file_error=UPLOAD_GONE)
        return households_import(data=plain, filename=filename, apply=apply, user=self.request.user)

    def saved(self, report):
        references = report.references
        named = ""
        if references:
            named = (
                f" از {references[0]} تا {references[-1]}"
                if len(references) > 1
                else f": {references[0]}"
            )
        messages.success(self.request, f"فایل ذخیره شد: {report.summary()}{named}.")
        return redirect("households_panel:list")

    def error_sheet(self, report):
        return error_sheet(report)


class HouseholdImportTemplateView(StaffAccessMixin, View):
    """The XLSX to fill in, with its instructions and the neighbourhood codes it may use."""

    needs = "write"

    def get(self, request):
        response = HttpResponse(
            household_import_template(request.user), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, "households-template.xlsx"
        )
        add_never_cache_headers(response)
        return response
