"""The records list as XLSX or CSV: /panel/records/export.xlsx and export.csv.

The export takes the list's own filters from the same query string (``RecordFilterForm``), so
the file holds exactly the records the list shows, in its order, and only those of the user's
scope: an agency clerk's file has only their agency's records whatever the URL asks for. Rows
come from the database as plain tuples, 2,000 at a time, and go straight into the file.
"""

import datetime as dt

from django.http import Http404
from django.views.generic import View

from agencies.access import StaffAccessMixin
from agencies.choices import RecordStatus
from agencies.filters import RecordFilterForm
from agencies.models import RECORD_COUNT_FIELDS, ServiceRecord
from core.exports import FORMATS, Sheet, export_response, jalali_text

CHUNK_SIZE = 2000

# (field read from the database, its column's Persian heading)
COLUMNS = (
    ("id", "شناسه"),
    ("delivered_on", "تاریخ"),
    ("house__neighbourhood__city__name", "شهر"),
    ("house__neighbourhood__name", "محله"),
    ("house__agency__short_name", "دستگاه"),
    ("service_type__domain__name", "حوزه"),
    ("service_type__name", "نوع خدمت"),
    *(
        (name, ServiceRecord._meta.get_field(name).verbose_name)
        for name in RECORD_COUNT_FIELDS
        if name != "cost_rials"
    ),
    ("cost_rials", "هزینه (ریال)"),
    ("status", "وضعیت"),
    ("notes", "توضیحات"),
)
FIELDS = tuple(field for field, _label in COLUMNS)
HEADER = tuple(str(label) for _field, label in COLUMNS)
_STATUS = FIELDS.index("status")
_STATUS_LABELS = dict(RecordStatus.choices)


class RecordExportView(StaffAccessMixin, View):
    needs = "see"
    http_method_names = ["get"]

    def load(self, *, fmt):
        if fmt not in FORMATS:
            raise Http404("no such export format")

    def get(self, request, *, fmt):
        form = RecordFilterForm(request.GET or None, user=request.user)
        records = form.apply(ServiceRecord.objects.visible_to(request.user).alive())
        sheet = Sheet(title="خدمات ثبت‌شده", header=HEADER, rows=record_rows(records))
        filename = "records-" + jalali_text(dt.date.today()).replace("/", "-")
        return export_response(sheet, fmt=fmt, filename=filename)


def record_rows(records):
    """One list of cells per record of *records*, read as tuples in chunks."""
    for values in records.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE):
        row = list(values)
        row[_STATUS] = _STATUS_LABELS.get(row[_STATUS], row[_STATUS])
        yield row
