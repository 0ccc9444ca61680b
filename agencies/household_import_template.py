"""The XLSX a clerk fills in to import households (agencies/household_import.py reads it back):
the header on the first sheet, with lists for the yes/no and consent columns, then the
instructions and the neighbourhoods where the user may register households."""

import io

from agencies.access import scope_for
from agencies.household_import import (
    COLUMNS,
    FLAG_FIELDS,
    LABELS,
    MAX_ROWS,
    MEMBERS_MAX,
    MEMBERS_MIN,
    NO,
    SCOPE_WORDS,
    YES,
)
from agencies.household_services import NAME_MAX
from agencies.models import ConsentScope, House
from core.digits import format_number
from core.jalali import FORMAT_HINT

# Text cells, so «0012345678», «SMN-001» and «1404/08/12» stay as typed.
_TEXT_FIELDS = ("neighbourhood", "national_id", "member_ids", "consent_given_on", "consent_until")
_WIDE_FIELDS = ("head_name", "member_ids", "consent_scope")


def household_import_template(user) -> bytes:
    """The XLSX to fill in: the header on the first sheet, then the instructions and the
    neighbourhoods (with their codes) where the user's agency keeps an open house."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    scope = scope_for(user)
    workbook = Workbook()
    households = workbook.active
    households.title = "خانوارها"
    households.append([column.aliases[0] for column in COLUMNS])
    letters = {}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        letters[column.field] = letter
        households.column_dimensions[letter].width = 30 if column.field in _WIDE_FIELDS else 14
        if column.field in _TEXT_FIELDS:
            households.column_dimensions[letter].number_format = "@"
    last = MAX_ROWS + 1
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    scopes = ",".join(SCOPE_WORDS[value][0] for value in ConsentScope)
    consent = DataValidation(type="list", formula1=f'"{scopes}"', allow_blank=True)
    for validation in (yes_no, consent):
        # A list is an offer: a value typed another way is still read (and checked) on import.
        validation.showErrorMessage = False
        households.add_data_validation(validation)
    for name in FLAG_FIELDS:
        yes_no.add(f"{letters[name]}2:{letters[name]}{last}")
    consent.add(f"{letters['consent_scope']}2:{letters['consent_scope']}{last}")
    households.freeze_panes = "A2"

    guide = workbook.create_sheet("راهنما")
    for line in _guide_lines(scope):
        guide.append(line)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 100

    places = workbook.create_sheet("محله‌ها")
    places.append(["کد محله", "محله", "شهر", "دستگاه", "خانه"])
    for house in House.objects.visible_to(user).active().with_place():
        neighbourhood = house.neighbourhood
        places.append(
            [
                neighbourhood.code,
                neighbourhood.name,
                neighbourhood.city.name,
                house.agency.short_name,
                house.agency.house_name,
            ]
        )
    for letter in "ABCDE":
        places.column_dimensions[letter].width = 22
    for sheet in workbook.worksheets:
        sheet.sheet_view.rightToLeft = True
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide_lines(scope) -> list[list[str]]:
    agency_rule = (
        "خالی بگذارید: خانوارها برای دستگاه خودتان ثبت می‌شوند."
        if scope.is_one_agency
        else "لازم: نام کوتاه (مانند «امداد») یا شناسهٔ لاتین دستگاهی (مانند emdad) که خانوار را "
        "ثبت می‌کند و در آن محله خانهٔ فعال دارد."
    )
    program, agency = (SCOPE_WORDS[value][0] for value in ConsentScope)
    return [
        ["ستون", "چه بنویسید"],
        [
            LABELS["neighbourhood"],
            "لازم: کد محله از برگهٔ «محله‌ها» (مانند SMN-001)؛ نام محله هم پذیرفته است، اگر فقط "
            "یک محله به آن نام باشد. فقط محله‌هایی که دستگاه در آن خانهٔ فعال دارد.",
        ],
        [LABELS["agency"], agency_rule],
        [
            LABELS["members"],
            f"لازم: شمار اعضای خانوار، از {format_number(MEMBERS_MIN)} تا "
            f"{format_number(MEMBERS_MAX)}.",
        ],
        [
            "سرپرست زن، عضو دارای معلولیت، عضو سالمند",
            f"«{YES}» یا «{NO}» (یا ۱ و ۰)؛ خانهٔ خالی یعنی «{NO}».",
        ],
        [
            LABELS["national_id"],
            "ده رقم، با رقم فارسی یا لاتین؛ صفرهای آغاز را هم بنویسید. رقم کنترل بررسی می‌شود. "
            "هر سرپرست در هر محله یک بار ثبت می‌شود.",
        ],
        [
            LABELS["head_name"],
            f"نام و نام خانوادگی سرپرست، حداکثر {format_number(NAME_MAX)} نویسه؛ با کد ملی "
            "سرپرست می‌آید.",
        ],
        [
            LABELS["member_ids"],
            "اختیاری: کد ملی اعضای دیگر، جداشده با فاصله، ویرگول یا «؛»، تا با کد ملی هر عضو هم "
            "خانوار پیدا شود.",
        ],
        [
            "رضایت",
            "نام و کد ملی فقط با رضایت خانوار ثبت می‌شوند. اگر کد ملی یا نام می‌نویسید، هر سه "
            f"ستون رضایت لازم است: «{LABELS['consent_given_on']}» (شمسی مانند {FORMAT_HINT}، نه در "
            f"آینده)، «{LABELS['consent_scope']}» و «{LABELS['consent_until']}» (امروز یا بعد). "
            "اگر رضایت نیست، کد ملی، نام و رضایت را خالی بگذارید تا خانوار بی‌نام ثبت شود (فقط "
            "شمار اعضا و ویژگی‌ها). این سه ستون باید در سطر عنوان باشند، حتی اگر همه بی‌نام‌اند.",
        ],
        [
            LABELS["consent_scope"],
            f"«{program}»: {ConsentScope.PROGRAM.label}. «{agency}»: {ConsentScope.AGENCY.label}.",
        ],
        [],
        [
            "قاعده",
            "خانوارها در برگهٔ نخست («خانوارها») نوشته می‌شوند، از سطر دوم. حداکثر "
            f"{format_number(MAX_ROWS)} ردیف در هر فایل. اگر یک ردیف نادرست باشد هیچ خانواری ثبت "
            "نمی‌شود؛ گزارش بررسی، شمارهٔ ردیف و دلیل را می‌گوید، بی‌آنکه کد ملی یا نامی را "
            "تکرار کند. این فایل نام و کد ملی دارد: پس از بارگذاری، آن را پاک کنید یا در جای "
            "امنی نگه دارید.",
        ],
        [
            "نمونه",
            f"SMN-001 | {'' if scope.is_one_agency else 'emdad'} | ۴ | بله | خیر | خیر | "
            f"(کد ملی) | (نام سرپرست) | | ۱۴۰۵/۰۱/۱۵ | {program} | ۱۴۰۶/۰۱/۱۵",
        ],
        [
            "نمونهٔ بی‌نام",
            f"SMN-001 | {'' if scope.is_one_agency else 'emdad'} | ۳ | خیر | بله | خیر | | | | | |",
        ],
    ]
