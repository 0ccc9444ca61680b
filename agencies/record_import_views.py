"""Staff pages for importing service records from a spreadsheet (writers of the program).

One page, /panel/records/import/: a file posted to it is checked (a dry run that writes
nothing) and, if every row is good, waits in the session (core/uploads.py) until the apply form
posted to the same page saves it, all rows or none. The bad rows of a file are kept the same
way, so the page can offer the full list of reasons for download (``?errors=<fingerprint>``)
while it shows the first of them. The template is an XLSX with the houses and service types the
user may name.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
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
from core.exports import XLSX_CONTENT_TYPE, csv_response
from core.uploads import (
    UPLOAD_GONE,
    forget_upload,
    keep_upload,
    kept_upload,
    offer_apply,
    upload_to_apply,
)
from neighbourhoods.forms import ALLOWED_EXTENSIONS, ApplyImportForm

SESSION_KEY = "record_import"
ERRORS_KEY = "record_import_errors"
TEMPLATE_NAME = "agencies/panel/record_import.html"


class RecordFileForm(forms.Form):
    file = forms.FileField(
        label="فایل خدمت‌ها",
        help_text=(
            f"CSV با نویسه‌گذاری UTF-8 یا XLSX، حداکثر {format_number(MAX_ROWS)} ردیف و "
            f"{to_persian_digits(MAX_FILE_BYTES // (1024 * 1024))} مگابایت."
        ),
        error_messages={
            "required": "فایل را انتخاب کنید.",
            "empty": "فایل خالی است.",
            "invalid": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
            "missing": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("فقط فایل CSV یا XLSX پذیرفته می‌شود.")
        if upload.size > MAX_FILE_BYTES:
            megabytes = to_persian_digits(MAX_FILE_BYTES // (1024 * 1024))
            raise forms.ValidationError(f"حجم فایل بیش از {megabytes} مگابایت است.")
        return upload


def _page(request, *, form=None, report=None, apply_form=None, errors_digest=None):
    context = {
        "form": form or RecordFileForm(),
        "report": report,
        "apply_form": apply_form,
        "errors_digest": errors_digest,
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
        "shown_errors": SHOWN_ERRORS,
    }
    return render(request, TEMPLATE_NAME, context)


class RecordImportView(StaffAccessMixin, View):
    """Upload a file and see what saving it would do; then save it, all rows or none."""

    needs = "write"

    def get(self, request):
        if "errors" in request.GET:
            return self._error_list(request, request.GET["errors"])
        return _page(request)

    def post(self, request):
        if "digest" in request.POST:
            return self._apply(request)
        form = RecordFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = service_records_import(data=data, filename=upload.name, user=request.user)
        apply_form = offer_apply(
            request.session,
            SESSION_KEY,
            report=report,
            filename=upload.name,
            data=data,
            form_class=ApplyImportForm,
        )
        forget_upload(request.session, ERRORS_KEY)
        errors_digest = None
        if report.bad:
            errors_digest = keep_upload(
                request.session, ERRORS_KEY, filename=upload.name, data=data
            )
        return _page(request, report=report, apply_form=apply_form, errors_digest=errors_digest)

    def _apply(self, request):
        kept = upload_to_apply(request, SESSION_KEY, ApplyImportForm)
        if kept is None:
            return redirect("agencies_panel:import")
        filename, data = kept
        report = service_records_import(data=data, filename=filename, apply=True, user=request.user)
        if not report.applied:
            # The database changed since the dry run (a house closed, a twin import): say why.
            messages.error(request, "فایل ذخیره نشد؛ هیچ خدمتی ثبت نشد. دلیل را در گزارش ببینید.")
            return _page(request, report=report)
        forget_upload(request.session, SESSION_KEY)
        messages.success(
            request, f"فایل ذخیره شد: {report.summary()}. خدمت‌های تازه برای تأیید فرستاده شدند."
        )
        return redirect(reverse("agencies_panel:list") + "?status=submitted")

    def _error_list(self, request, digest: str):
        kept = kept_upload(request.session, ERRORS_KEY, digest)
        if kept is None:
            messages.error(request, UPLOAD_GONE)
            return redirect("agencies_panel:import")
        filename, data = kept
        report = service_records_import(data=data, filename=filename, user=request.user)
        return csv_response(error_sheet(report), filename="record-import-errors")


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
