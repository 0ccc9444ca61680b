"""The XLSX a clerk fills in to import service records (agencies/record_import.py reads it
back): the header on the first sheet, then the instructions, the houses the user may import
for with their neighbourhood codes, and the active service types."""

import io

from agencies.access import scope_for
from agencies.models import House, ServiceType
from agencies.record_import import COLUMNS, LABELS, MAX_ROWS, NOTES_MAX
from core.digits import format_number
from core.jalali import FORMAT_HINT


def record_import_template(user) -> bytes:
    """The XLSX to fill in: the header on the first sheet, then the instructions, the houses
    the user may import for (with their neighbourhood codes) and the active service types."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    scope = scope_for(user)
    workbook = Workbook()
    records = workbook.active
    records.title = "خدمات"
    records.append([column.aliases[0] for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        records.column_dimensions[letter].width = 28 if column.field == "notes" else 14
        records.cell(row=1, column=index).font = Font(bold=True)
        if column.field in ("external_ref", "neighbourhood", "delivered_on"):
            # Text, so «1404/08/12» and a code such as «012» stay as typed.
            records.column_dimensions[letter].number_format = "@"
    records.freeze_panes = "A2"

    guide = workbook.create_sheet("راهنما")
    for line in _guide_lines(scope):
        guide.append(line)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90

    houses = workbook.create_sheet("خانه‌ها")
    houses.append(["کد محله", "محله", "شهر", "دستگاه", "خانه"])
    for house in House.objects.visible_to(user).active().with_place():
        neighbourhood = house.neighbourhood
        houses.append(
            [
                neighbourhood.code,
                neighbourhood.name,
                neighbourhood.city.name,
                house.agency.short_name,
                house.agency.house_name,
            ]
        )
    types = workbook.create_sheet("انواع خدمت")
    types.append(["نوع خدمت", "حوزه", "شناسهٔ لاتین"])
    for service_type in ServiceType.objects.filter(is_active=True).select_related("domain"):
        types.append([service_type.name, service_type.domain.name, service_type.slug])
    for sheet in workbook.worksheets:
        sheet.sheet_view.rightToLeft = True
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for sheet in (houses, types):
        for letter in "ABCDE":
            sheet.column_dimensions[letter].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide_lines(scope) -> list[list[str]]:
    agency_rule = (
        "خالی بگذارید (خدمت‌های دستگاه خودتان)؛ یا نام کوتاه یا شناسهٔ لاتین دستگاه."
        if scope.is_one_agency
        else "لازم: نام کوتاه (مانند «امداد») یا شناسهٔ لاتین دستگاه (مانند emdad)."
    )
    return [
        ["ستون", "چه بنویسید"],
        [
            LABELS["external_ref"],
            "لازم: شناسهٔ یکتای ردیف در دفتر شما (مانند شمارهٔ ردیف یا «۱۴۰۵-۰۰۱۲»). با آن، "
            "بارگذاری دوبارهٔ همان فایل خدمت تکراری نمی‌سازد: ردیفی که پیش‌تر وارد شده، کنار "
            "گذاشته می‌شود.",
        ],
        [
            LABELS["neighbourhood"],
            "لازم: کد محله از برگهٔ «خانه‌ها» (مانند SMN-001)؛ نام محله هم پذیرفته است، اگر "
            "فقط یک محله به آن نام باشد.",
        ],
        [LABELS["agency"], agency_rule],
        [
            LABELS["service_type"],
            "لازم: نام نوع خدمت از برگهٔ «انواع خدمت»؛ نیم‌فاصله، فاصله و «ي/ك» عربی مهم نیست.",
        ],
        [
            LABELS["delivered_on"],
            f"لازم: تاریخ شمسی مانند {FORMAT_HINT} (رقم فارسی یا لاتین)؛ نه در آینده و نه پیش "
            "از آغاز طرح. خانهٔ تاریخ اکسل هم پذیرفته است.",
        ],
        [LABELS["beneficiaries"], "لازم: تعداد کل ذی‌نفعان."],
        ["مرد، زن", "جمع این دو باید با ذی‌نفعان برابر باشد."],
        ["کودک، بزرگسال، سالمند", "جمع این سه باید با ذی‌نفعان برابر باشد."],
        ["خانوار، توان‌خواه", "هیچ‌کدام بیشتر از ذی‌نفعان نیست. خانهٔ خالی یعنی صفر."],
        [LABELS["cost_rials"], "به ریال، بی‌ممیز یا با جداکنندهٔ هزارگان."],
        [
            LABELS["notes"],
            f"اختیاری، حداکثر {format_number(NOTES_MAX)} نویسه؛ نام مددجویان را ننویسید.",
        ],
        [],
        [
            "قاعده",
            "خدمت‌ها در برگهٔ نخست («خدمات») نوشته می‌شوند، از سطر دوم. حداکثر "
            f"{format_number(MAX_ROWS)} ردیف در هر فایل. اگر یک ردیف نادرست باشد هیچ خدمتی ذخیره "
            "نمی‌شود؛ گزارش بررسی، شمارهٔ ردیف و دلیل را می‌گوید. خدمت‌های واردشده «ارسال‌شده» "
            "هستند و پس از تأیید در آمار عمومی می‌آیند.",
        ],
        [
            "نمونه",
            f"R-1 | SMN-001 | {'' if scope.is_one_agency else 'emdad'} | ویزیت رایگان پزشک | "
            "۱۴۰۵/۰۸/۱۲ | ۲۰ | ۸ | ۱۲ | ۵ | ۱۰ | ۵ | ۶ | ۲ | ۱۲۰۰۰۰۰۰ |",
        ],
    ]
