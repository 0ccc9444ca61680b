"""Keeping an uploaded file between an import's dry run and its apply.

The dry run shows what the file would do; the apply must save exactly that file. The file
waits in the user's session on the server, compressed, under its SHA-256 fingerprint; the
apply form carries nothing but the fingerprint, so the browser never sends back data we would
have to trust, and an apply from an older tab cannot save a different file from the one whose
report the person read. Sessions live in the database or Redis, which every node shares,
unlike a temporary file on one disk.
"""

import base64
import hashlib
import hmac
import zlib

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from core.digits import to_persian_digits
from core.exports import csv_response
from core.spreadsheets import MAX_FILE_BYTES


def keep_upload(session, key: str, *, filename: str, data: bytes) -> str:
    """Keep *data* in the session under *key*; return the fingerprint the apply form carries."""
    digest = hashlib.sha256(data).hexdigest()
    session[key] = {
        "filename": filename,
        "digest": digest,
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
    }
    return digest


def kept_upload(session, key: str, digest: str) -> tuple[str, bytes] | None:
    """The ``(filename, data)`` kept under *key* if its fingerprint is *digest*, else None."""
    stored = session.get(key)
    if not stored or not digest or not hmac.compare_digest(stored["digest"], digest):
        return None
    return stored["filename"], zlib.decompress(base64.b64decode(stored["data"]))


def forget_upload(session, key: str) -> None:
    session.pop(key, None)


UPLOAD_GONE = (
    "فایل بررسی‌شده دیگر در دسترس نیست؛ آن را دوباره بارگذاری و بررسی کنید. چیزی ذخیره نشد."
)


def offer_apply(session, key: str, *, report, filename: str, data: bytes, form_class):
    """After a dry run: keep the file for its apply when there is something to save, and
    return the apply form carrying its fingerprint (``None``: nothing to apply)."""
    forget_upload(session, key)
    if not (report.is_valid and report.has_changes):
        return None
    digest = keep_upload(session, key, filename=filename, data=data)
    return form_class(initial={"digest": digest})


def upload_to_apply(request, key: str, form_class) -> tuple[str, bytes] | None:
    """The ``(filename, data)`` the apply form names; ``None``, with the Persian message
    flashed, when it is no longer kept (another tab, an expired session, a forged form)."""
    form = form_class(request.POST)
    kept = kept_upload(request.session, key, form.data.get("digest", ""))
    if not form.is_valid() or kept is None:
        messages.error(request, UPLOAD_GONE)
        return None
    return kept


# --- The upload form and the import page every spreadsheet import shares --------------------

ALLOWED_EXTENSIONS = (".csv", ".xlsx")


class SpreadsheetFileForm(forms.Form):
    """The file of an import: CSV or XLSX of at most ``max_bytes``. A subclass names the file
    (``label``) and may say more under it (``help_text``; by default the formats and size)."""

    label = "فایل"
    help_text = ""
    max_bytes = MAX_FILE_BYTES

    file = forms.FileField(
        error_messages={
            "required": "فایل را انتخاب کنید.",
            "empty": "فایل خالی است.",
            "invalid": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
            "missing": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = self.label
        field.help_text = self.help_text or (
            f"CSV با نویسه‌گذاری UTF-8 یا XLSX، حداکثر {self._megabytes()} مگابایت."
        )

    def _megabytes(self) -> str:
        return to_persian_digits(self.max_bytes // (1024 * 1024))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("فقط فایل CSV یا XLSX پذیرفته می‌شود.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"حجم فایل بیش از {self._megabytes()} مگابایت است.")
        return upload


class ApplyImportForm(forms.Form):
    """Carries only the fingerprint of the file the user saw checked; the file is in the session."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class SpreadsheetImportView(View):
    """The page of an import: a file posted here is checked (a dry run that writes nothing) and
    kept for its apply; the apply form (the file's fingerprint) saves it, all rows or none.

    A subclass says what to run and show: ``run(data=, filename=, apply=)`` (the app's import
    service, returning a ``FileReport``), ``template_name`` and ``page_context`` (or a
    ``page(**context)`` of its own), ``saved(report)`` (the answer once saved); and
    ``session_key``, ``restart_url`` (where to start again when the kept file is gone) and
    ``not_saved_message``. ``checked()`` may add to the page after a dry run.
    An import whose apply has a URL of its own makes a subclass whose ``post`` is ``apply``.

    A file with bad rows is kept too when the subclass names ``errors_key``, so the page can
    offer every row's reasons for download (``?errors=<fingerprint>`` on the same page, as
    ``errors_filename``.csv, the table ``error_sheet(report)`` makes) while it shows the first.
    """

    file_form_class = SpreadsheetFileForm
    session_key = ""
    restart_url = ""
    not_saved_message = "فایل ذخیره نشد؛ چیزی تغییر نکرد. دلیل را در گزارش ببینید."
    errors_key = ""
    errors_filename = "import-errors"

    def run(self, *, data: bytes, filename: str, apply: bool):
        raise NotImplementedError

    template_name = ""
    page_context: dict = {}  # what the page shows besides the form and the report

    def page(self, **context):
        """The page (``template_name``) with the file form, the report and ``page_context``."""
        context.setdefault("form", self.file_form_class())
        shown = {"report": None, "apply_form": None, "errors_digest": None, **self.page_context}
        return render(self.request, self.template_name, {**shown, **context})

    def saved(self, report):
        raise NotImplementedError

    def checked(self, report, *, filename: str, data: bytes) -> dict:
        """More for the page after a dry run (nothing by default)."""
        return {}

    def error_sheet(self, report):
        """The bad rows of *report* as a ``core.exports.Sheet`` (with ``errors_key``)."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if self.errors_key and "errors" in request.GET:
            return self.error_list(request.GET["errors"])
        return self.page()

    def error_list(self, digest: str):
        kept = kept_upload(self.request.session, self.errors_key, digest)
        if kept is None:
            messages.error(self.request, UPLOAD_GONE)
            return redirect(self.restart_url)
        filename, data = kept
        report = self.run(data=data, filename=filename, apply=False)
        return csv_response(self.error_sheet(report), filename=self.errors_filename)

    def _keep_bad_rows(self, report, *, filename: str, data: bytes) -> dict:
        if not self.errors_key:
            return {}
        forget_upload(self.request.session, self.errors_key)
        if not report.bad:
            return {}
        digest = keep_upload(self.request.session, self.errors_key, filename=filename, data=data)
        return {"errors_digest": digest}

    def post(self, request, *args, **kwargs):
        if "digest" in request.POST:
            return self.apply()
        form = self.file_form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = self.run(data=data, filename=upload.name, apply=False)
        apply_form = offer_apply(
            request.session,
            self.session_key,
            report=report,
            filename=upload.name,
            data=data,
            form_class=ApplyImportForm,
        )
        extra = self._keep_bad_rows(report, filename=upload.name, data=data)
        extra |= self.checked(report, filename=upload.name, data=data)
        return self.page(report=report, apply_form=apply_form, **extra)

    def apply(self):
        request = self.request
        kept = upload_to_apply(request, self.session_key, ApplyImportForm)
        if kept is None:
            return redirect(self.restart_url)
        filename, data = kept
        report = self.run(data=data, filename=filename, apply=True)
        if not report.applied:
            # The database changed since the dry run (a house closed, a twin import): say why.
            messages.error(request, self.not_saved_message)
            return self.page(report=report)
        forget_upload(request.session, self.session_key)
        return self.saved(report)
