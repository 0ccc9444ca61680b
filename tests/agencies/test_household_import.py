"""The import of households: a dry run that writes nothing, an apply that registers every row
(through the registry's service, so the access log has each) or none; per row the check digit,
a head twice in the file or already registered in the neighbourhood, consent for any identity,
and the importer's registration scope; and nowhere — report, page, download, message, session —
a national ID or a name."""

import base64
import datetime
import io
import zlib

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.household_import import COLUMNS, households_import
from agencies.household_import_views import SESSION_KEY, open_file
from agencies.models import ConsentScope, Household, HouseholdAccess, HouseholdMember
from core.digits import to_persian_digits
from core.jalali import format_date
from core.national_id import ALL_SAME, NOT_DIGITS, WRONG_CHECK_DIGIT, WRONG_LENGTH
from tests.factories import make_house, make_household, make_neighbourhood, valid_national_id
from tests.samples import csv_bytes, xlsx_bytes

URL = reverse("households_panel:import")
TEMPLATE_URL = reverse("households_panel:import_template")
HEADER = [column.aliases[0] for column in COLUMNS]
TODAY = timezone.localdate()
GIVEN = format_date(TODAY - datetime.timedelta(days=10))  # Persian digits, as typed
UNTIL = format_date(TODAY + datetime.timedelta(days=365))
HEAD_1, HEAD_2, HEAD_3 = (valid_national_id(7_100_000 + n) for n in range(3))
MEMBER = valid_national_id(7_200_000)
NAME_1, NAME_2 = "فاطمه کاظمی", "حسین نوروزی"
PERSIAN_TO_ARABIC = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
CONSENT_MISSING = (
    "کد ملی یا نام بدون رضایت کامل و معتبر خانوار ثبت نمی‌شود (یا آن‌ها را پاک کنید تا "
    "خانوار بی‌نام ثبت شود):"
)


def row(
    code,
    *,
    agency="",
    members=4,
    female="بله",
    disabled="خیر",
    elderly="0",
    national_id="",
    name="",
    member_ids="",
    given=None,
    scope="همهٔ دستگاه‌ها",
    until=None,
):
    """A row in the template's order. With a national ID or a name, consent is filled unless
    the caller blanks it; without either, the row is anonymous and its consent cells blank."""
    identified = bool(national_id or name)
    given = (GIVEN if identified else "") if given is None else given
    until = (UNTIL if identified else "") if until is None else until
    scope = scope if identified else ""
    return [
        code,
        agency,
        members,
        female,
        disabled,
        elderly,
        national_id,
        name,
        member_ids,
        given,
        scope,
        until,
    ]


def households_csv(*rows, header=HEADER, encoding="utf-8") -> bytes:
    cells = [[str(cell) for cell in r] for r in rows]
    return csv_bytes(cells, header=header, encoding=encoding)


def check(user, data, name="households.csv", apply=False):
    return households_import(data=data, filename=name, user=user, apply=apply)


def upload(client, data, name="households.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def apply(client, response):
    return client.post(URL, {"digest": response.context["apply_form"].initial["digest"]})


def registered(national_id):
    return Household.objects.with_national_id(national_id)


@pytest.fixture
def staff_client(client, people):
    client.force_login(people.staff)
    return client


def test_the_dry_run_writes_nothing_and_the_apply_registers_every_row(
    staff_client, program, people
):
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1, member_ids=MEMBER),
        row(program.kowsar.code, members=3, female="", disabled="بله", elderly="1"),
    )
    checked = upload(staff_client, data)
    assert checked.context["report"].summary() == "۲ خانوار تازه (۱ با نام و کد ملی، ۱ بی‌نام)"
    assert not Household.objects.exists()
    assert not HouseholdAccess.objects.exists()

    saved = apply(staff_client, checked)
    assert saved.status_code == 302
    named = registered(HEAD_1).get()
    assert registered(MEMBER).get() == named
    assert (named.head_name, named.neighbourhood, named.members) == (NAME_1, program.zarrin, 4)
    assert (named.female_headed, named.has_disabled_member, named.has_elderly_member) == (
        True,
        False,
        False,
    )
    assert named.consent_given_on == TODAY - datetime.timedelta(days=10)
    assert named.consent_scope == ConsentScope.PROGRAM
    assert named.consent_until == TODAY + datetime.timedelta(days=365)
    assert (named.registered_by_agency, named.registered_by) == (program.emdad, people.staff)
    assert named.consent_recorded_by == people.staff
    anonymous = Household.objects.get(neighbourhood=program.kowsar)
    assert not anonymous.is_identified
    assert (anonymous.has_disabled_member, anonymous.has_elderly_member) == (True, True)
    assert anonymous.consent_given_on is None
    log = HouseholdAccess.objects.filter(action=HouseholdAccess.Action.REGISTER, user=people.staff)
    assert set(log.values_list("household", flat=True)) == {named.pk, anonymous.pk}


def test_one_bad_row_saves_nothing_and_its_reasons_are_given_by_row(program, people):
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1),
        row(program.zarrin.code, members=0, female="شاید"),
        row(program.kowsar.code),
    )
    report = check(people.staff, data)
    assert [r.action for r in report.rows] == ["create", "error", "create"]
    assert report.rows[1].message == (
        "ردیف ۳: «تعداد اعضا» باید عدد صحیحی از ۱ تا ۳۰ باشد. «سرپرست زن» باید «بله» یا "
        "«خیر» (یا ۱ و ۰) باشد."
    )
    assert check(people.staff, data, apply=True).applied is False
    assert not Household.objects.exists()
    assert not HouseholdAccess.objects.exists()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (HEAD_1[:9] + str((int(HEAD_1[9]) + 1) % 10), WRONG_CHECK_DIGIT),
        ("1111111111", ALL_SAME),
        ("0000000000", ALL_SAME),
        (HEAD_1[:9], WRONG_LENGTH),
        (HEAD_1[:5] + "ab" + HEAD_1[7:], NOT_DIGITS),
    ],
)
def test_a_head_id_that_is_not_a_national_id_is_refused(program, people, typed, reason):
    data = households_csv(row(program.zarrin.code, national_id=typed, name=NAME_1))
    assert check(people.staff, data).rows[0].errors == [f"«کد ملی سرپرست»: {reason}"]


def test_a_bad_member_id_is_named_by_its_place_in_the_cell(program, people):
    member_ids = f"{MEMBER}، 1234567890"
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1, member_ids=member_ids)
    )
    assert check(people.staff, data).rows[0].errors == [
        f"«کدهای ملی اعضا»، کد شمارهٔ ۲: {WRONG_CHECK_DIGIT}"
    ]


def test_persian_and_arabic_indic_digits_and_every_separator_are_read(program, people):
    others = [valid_national_id(7_300_000 + n) for n in range(3)]
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    data = households_csv(
        row(
            program.zarrin.code,
            members="٦",
            national_id=to_persian_digits(HEAD_1),
            name=NAME_1,
            member_ids=f"{others[0]} {to_persian_digits(others[1])}؛{others[2].translate(arabic)}",
            given=format_date(TODAY).translate(PERSIAN_TO_ARABIC),
        )
    )
    report = check(people.staff, data, apply=True)
    assert report.applied, [r.errors for r in report.rows]
    household = registered(HEAD_1).get()
    assert household.members == 6
    assert household.consent_given_on == TODAY
    assert {registered(value).get() for value in others} == {household}
    assert HouseholdMember.objects.filter(household=household).count() == 3


def test_an_id_a_spreadsheet_took_for_a_number_gets_its_leading_zeros_back(program, people):
    national_id = valid_national_id(1_234)  # 000001234 and its check digit
    assert national_id.startswith("00000")
    data = xlsx_bytes(
        [row(program.zarrin.code, members=2.0, national_id=int(national_id), name=NAME_1)],
        header=HEADER,
    )
    assert check(people.staff, data, name="households.xlsx", apply=True).applied
    assert registered(national_id).exists()


def test_a_head_twice_for_one_neighbourhood_in_the_file_is_refused(program, people):
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1),
        row(program.kowsar.code, national_id=HEAD_1, name=NAME_1),  # another neighbourhood
        row(program.zarrin.code, national_id=to_persian_digits(HEAD_1), name=NAME_2),
    )
    report = check(people.staff, data)
    assert [r.action for r in report.rows] == ["error", "create", "error"]
    assert report.rows[0].errors == [
        "همین «کد ملی سرپرست» برای همین محله در ردیف ۴ هم آمده است؛ هر سرپرست در هر محله یک "
        "خانوار است."
    ]
    assert report.rows[2].errors[0].startswith("همین «کد ملی سرپرست» برای همین محله در ردیف ۲")


def test_a_head_already_registered_in_the_neighbourhood_is_refused(program, people):
    own = make_household(neighbourhood=program.zarrin, agency=program.emdad, national_id=HEAD_1)
    make_household(neighbourhood=program.zarrin, agency=program.helal, national_id=HEAD_2)
    make_household(neighbourhood=program.kowsar, agency=program.helal, national_id=HEAD_3)
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1),
        row(program.zarrin.code, national_id=HEAD_2, name=NAME_2),
        row(program.zarrin.code, national_id=HEAD_3, name=NAME_2),  # elsewhere: a new household
    )
    report = check(people.staff, data)
    assert report.rows[0].errors == [
        f"خانواری با همین «کد ملی سرپرست» در این محله پیش‌تر ثبت شده است ({own.reference})؛ آن "
        "را دوباره ثبت نکنید."
    ]
    # Helal's household is not Emdad's to open: it is not named.
    assert report.rows[1].errors == [
        "خانواری با همین «کد ملی سرپرست» در این محله پیش‌تر ثبت شده است؛ آن را دوباره ثبت نکنید."
    ]
    assert report.rows[2].action == "create"


def test_a_head_registered_between_the_dry_run_and_the_apply_stops_the_whole_file(
    staff_client, program
):
    data = households_csv(
        row(program.kowsar.code), row(program.zarrin.code, national_id=HEAD_1, name=NAME_1)
    )
    checked = upload(staff_client, data)
    make_household(neighbourhood=program.zarrin, agency=program.helal, national_id=HEAD_1)
    response = apply(staff_client, checked)
    assert response.status_code == 200
    assert response.context["report"].rows[1].errors == [
        "خانواری با همین «کد ملی سرپرست» در این محله پیش‌تر ثبت شده است؛ آن را دوباره ثبت نکنید."
    ]
    assert "فایل ذخیره نشد؛ هیچ خانواری ثبت نشد." in response.content.decode()
    assert Household.objects.count() == 1  # only the one registered in between
    assert not HouseholdAccess.objects.exists()


def test_a_file_without_the_consent_columns_is_refused_whole(program, people):
    header = [h for h in HEADER if h not in ("دامنهٔ رضایت", "پایان رضایت")]
    data = households_csv([program.zarrin.code, "", 3, "", "", "", "", "", "", ""], header=header)
    report = check(people.staff, data)
    assert report.file_error == (
        "ستون‌های رضایت در سطر عنوان نیست: «دامنهٔ رضایت»، «پایان رضایت». فایل خانوارها باید هر "
        "سه ستون «تاریخ رضایت»، «دامنهٔ رضایت» و «پایان رضایت» را داشته باشد، حتی اگر همهٔ "
        "خانوارها بی‌نام باشند: بدون رضایت خانوار، نام و کد ملی ثبت نمی‌شود. نمونهٔ فایل را "
        "ببینید."
    )
    assert report.rows == []


def test_an_identity_without_complete_consent_in_force_is_refused(program, people):
    past = format_date(TODAY - datetime.timedelta(days=1))
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1, given="", scope="", until=""),
        row(program.zarrin.code, national_id=HEAD_2, name=NAME_2, until=past),
        row(program.zarrin.code, name=NAME_2, given="", scope="", until=""),
        row(program.kowsar.code, members=2, given=GIVEN, until=UNTIL),
    )
    first, expired, name_only, consent_only = check(people.staff, data).rows
    assert first.errors == [
        CONSENT_MISSING,
        "«تاریخ رضایت» خالی است.",
        "«دامنهٔ رضایت» خالی است؛ بگویید رضایت چه را در بر می‌گیرد.",
        "«پایان رضایت» خالی است؛ رضایت تا کی معتبر است؟",
    ]
    assert expired.errors == [
        CONSENT_MISSING,
        "این رضایت به پایان رسیده است؛ بدون رضایت معتبر، نام و کد ملی ثبت نمی‌شود.",
    ]
    assert name_only.errors[-1] == ("«کد ملی سرپرست» خالی است؛ با نام، کد ملی سرپرست هم لازم است.")
    assert consent_only.errors == [
        "رضایت بدون کد ملی و نام سرپرست معنایی ندارد: یا کد ملی و نام سرپرست را هم بنویسید یا "
        "ستون‌های رضایت این ردیف را خالی بگذارید (خانوار بی‌نام)."
    ]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"name": "ن" * 121}, "«نام سرپرست» حداکثر ۱۲۰ نویسه است."),
        ({"name": "\u202b \u202c"}, "«نام سرپرست» جز فاصله و نشانهٔ جهت چیزی ندارد."),
        (
            {"scope": "همسایه‌ها"},
            "«دامنهٔ رضایت» شناخته نشد؛ «همهٔ دستگاه‌ها» یا «همین دستگاه» بنویسید.",
        ),
        (
            {"given": format_date(TODAY + datetime.timedelta(days=1))},
            "تاریخ رضایت نمی‌تواند در آینده باشد.",
        ),
        ({"given": "1405/13/01"}, "«تاریخ رضایت»: ماه باید عددی بین ۱ تا ۱۲ باشد."),
        (
            {"until": format_date(TODAY), "given": format_date(TODAY + datetime.timedelta(days=2))},
            "پایان رضایت نمی‌تواند پیش از تاریخ رضایت باشد.",
        ),
        (
            {"members": 1, "member_ids": MEMBER},
            "شمار کدهای ملی (با سرپرست، ۲) از «تعداد اعضا» (۱) بیشتر است.",
        ),
    ],
)
def test_each_other_reason_of_an_identified_row(program, people, cells, reason):
    values = {"national_id": HEAD_1, "name": NAME_1, **cells}
    data = households_csv(row(program.zarrin.code, **values))
    assert reason in check(people.staff, data).rows[0].errors


def test_the_consent_scope_is_read_from_its_short_words_or_its_label(program, people):
    data = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1, scope="همین دستگاه"),
        row(program.zarrin.code, national_id=HEAD_2, name=NAME_2, scope=ConsentScope.PROGRAM.label),
    )
    assert check(people.staff, data, apply=True).applied
    assert registered(HEAD_1).get().consent_scope == ConsentScope.AGENCY
    assert registered(HEAD_2).get().consent_scope == ConsentScope.PROGRAM


def test_anonymous_rows_are_households_without_identity(program, people):
    data = households_csv(row(program.zarrin.code, members=5), row(program.zarrin.code, members=2))
    report = check(people.staff, data, apply=True)
    assert report.summary() == "۲ خانوار تازه (۰ با نام و کد ملی، ۲ بی‌نام)"
    assert Household.objects.filter(head_id_hash="", head_name_sealed="").count() == 2
    assert not HouseholdMember.objects.exists()


def test_a_clerk_registers_only_where_her_agency_keeps_an_open_house(program, people):
    helal_only = make_neighbourhood(city=program.semnan, name="کوی بهار", code="SMN-077")
    make_house(agency=program.helal, neighbourhood=helal_only)
    program.emdad_shahrud.is_active = False
    program.emdad_shahrud.save()
    data = households_csv(
        row(helal_only.code),
        row(program.kowsar.code),
        row(program.zarrin.code, agency="هلال"),
        row("XYZ-999"),
    )
    rows = check(people.staff, data).rows
    assert rows[0].errors == [
        "محلهٔ «کوی بهار» (سمنان): دستگاه شما در این محله خانهٔ فعالی ندارد؛ خانوار را در "
        "محله‌ای ثبت کنید که در آن کار می‌کنید."
    ]
    assert rows[1].errors == [
        "خانه امداد در محلهٔ «کوثر» (شاهرود) دیگر فعال نیست؛ خانوار ثبت نمی‌شود."
    ]
    assert rows[2].errors == [
        "شما فقط خانوارهای امداد را ثبت می‌کنید؛ ستون «دستگاه» را خالی بگذارید."
    ]
    assert rows[3].errors == [
        "محله‌ای با کد یا نام «XYZ-999» در سامانه نیست؛ کد محله را از برگهٔ «محله‌ها»ی نمونهٔ "
        "فایل بردارید."
    ]
    city_rows = check(people.city_staff, households_csv(row(program.kowsar.code))).rows
    assert city_rows[0].errors == [
        "شهر «شاهرود» در محدودهٔ دسترسی شما نیست؛ فقط خانوارهای شهرهای خودتان را ثبت کنید."
    ]


def test_a_coordinator_names_the_registering_agency_of_each_row(program, people):
    without_column = households_csv(
        row(program.zarrin.code)[:1] + row(program.zarrin.code)[2:],
        header=[h for h in HEADER if h != "دستگاه"],
    )
    assert check(people.coordinator, without_column).file_error.startswith(
        "ستون «دستگاه» در سطر عنوان نیست"
    )
    data = households_csv(row(program.zarrin.code, agency="helal", national_id=HEAD_1, name=NAME_1))
    assert check(people.coordinator, data, apply=True).applied
    household = registered(HEAD_1).get()
    assert (household.registered_by_agency, household.registered_by) == (
        program.helal,
        people.coordinator,
    )


def test_no_national_id_or_name_reaches_the_report_the_page_the_download_or_the_session(
    staff_client, program, people
):
    secrets = (HEAD_1, HEAD_2, MEMBER, NAME_1, NAME_2, to_persian_digits(HEAD_1))
    make_household(neighbourhood=program.zarrin, agency=program.emdad, national_id=HEAD_2)
    bad = households_csv(
        row(program.zarrin.code, national_id=HEAD_1, name=NAME_1, member_ids=MEMBER, until=""),
        row(program.zarrin.code, national_id=HEAD_2, name=NAME_2),
        row(program.zarrin.code, national_id=HEAD_1 + "9", name=NAME_1),
    )
    checked = upload(staff_client, bad)
    report = checked.context["report"]
    assert report.bad == 3
    errors = staff_client.get(URL, {"errors": checked.context["errors_digest"]})
    download = b"".join(errors.streaming_content).decode("utf-8-sig")
    kept = staff_client.session["household_import_errors"]["data"]
    kept = zlib.decompress(base64.b64decode(kept)).decode("ascii")
    good = households_csv(row(program.zarrin.code, national_id=HEAD_1, name=NAME_1))
    ready = upload(staff_client, good)
    waiting = zlib.decompress(base64.b64decode(staff_client.session[SESSION_KEY]["data"]))
    assert open_file(waiting) == good  # kept sealed, opened only for the apply
    saved = apply(staff_client, ready)
    assert saved.url == reverse("households_panel:list")
    flashed = [str(message) for message in get_messages(saved.wsgi_request)]
    seen = "\n".join(
        [
            repr(report),
            checked.content.decode(),
            download,
            kept,
            waiting.decode("ascii"),
            ready.content.decode(),
            *flashed,
        ]
    )
    assert "پیش‌تر ثبت شده است" in seen and "ردیف ۴" in seen
    assert "فایل ذخیره شد: ۱ خانوار تازه (۱ با نام و کد ملی، ۰ بی‌نام): خانوار شمارهٔ" in seen
    for secret in secrets:
        assert secret not in seen
    assert registered(HEAD_1).exists()


def test_a_windows_1256_csv_is_read(program, people):
    # Windows-1256 has the Arabic yeh, not the Persian one, and no Persian digits.
    arabic_yeh = str.maketrans(
        {"ی": "ي", "ٔ": None, **dict(zip("۰۱۲۳۴۵۶۷۸۹", "0123456789", strict=True))}
    )
    header = [h.translate(arabic_yeh) for h in HEADER]
    cells = row(program.zarrin.code, national_id=HEAD_1, name="علی رضايي", scope="همين دستگاه")
    data = households_csv(
        [str(c).translate(arabic_yeh) for c in cells], header=header, encoding="cp1256"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert check(people.staff, data, apply=True).applied
    household = registered(HEAD_1).get()
    assert household.head_name == "علی رضایی"  # the Arabic yeh stored as the Persian one
    assert household.consent_scope == ConsentScope.AGENCY


def test_the_template_downloads_with_the_headers_and_imports_once_filled(
    staff_client, program, people
):
    response = staff_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert HEADER[:3] == ["محله", "دستگاه", "تعداد اعضا"]
    places = [tuple(r) for r in workbook["محله‌ها"].iter_rows(min_row=2, values_only=True)]
    assert (program.zarrin.code, "کوی زرین", "سمنان", "امداد", "خانه امداد") in places
    assert not any(place[3] == "هلال" for place in places)
    sheet.append(row(places[0][0], national_id=HEAD_1, name=NAME_1))
    filled = io.BytesIO()
    workbook.save(filled)
    checked = upload(staff_client, filled.getvalue(), name="filled.xlsx")
    assert checked.context["report"].summary() == "۱ خانوار تازه (۱ با نام و کد ملی، ۰ بی‌نام)"
    apply(staff_client, checked)
    assert registered(HEAD_1).get().registered_by == people.staff


def test_a_viewer_may_not_import_nor_download_the_template(client, program, people):
    client.force_login(people.viewer)
    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    data = households_csv(row(program.zarrin.code))
    assert client.post(URL, {"file": SimpleUploadedFile("h.csv", data)}).status_code == 403
    with pytest.raises(PermissionDenied):
        check(people.viewer, data)
    assert not Household.objects.exists()


def test_a_nul_byte_or_a_control_character_is_answered_in_persian_not_with_a_500(
    staff_client, program
):
    nul = upload(
        staff_client, households_csv(row(program.zarrin.code, national_id=HEAD_1, name="ع\x00لی"))
    )
    assert nul.status_code == 200
    assert nul.context["report"].file_error == "این فایل CSV یا XLSX معتبر نیست."
    control = households_csv(
        row("\x1f".join(program.zarrin.code), members="۳\x01"),
        row(program.zarrin.code, national_id=HEAD_1, name="علی\x7f"),
    )
    response = upload(staff_client, control)
    assert response.status_code == 200
    first, second = response.context["report"].rows
    assert first.errors == [
        "«محله» نویسهٔ نامعتبر (نویسهٔ کنترلی مانند NUL) دارد؛ آن را دوباره تایپ کنید.",
        "«تعداد اعضا» نویسهٔ نامعتبر (نویسهٔ کنترلی مانند NUL) دارد؛ آن را دوباره تایپ کنید.",
    ]
    assert second.errors == [
        "«نام سرپرست» نویسهٔ نامعتبر (نویسهٔ کنترلی مانند NUL) دارد؛ آن را دوباره تایپ کنید."
    ]
    assert not Household.objects.exists()


def test_the_dry_run_queries_do_not_grow_with_the_rows(
    program, people, django_assert_max_num_queries
):
    few = households_csv(
        *(
            row(program.zarrin.code, national_id=valid_national_id(7_400_000 + n), name=NAME_1)
            for n in range(5)
        )
    )
    many = households_csv(
        *(
            row(program.kowsar.code, national_id=valid_national_id(7_500_000 + n), name=NAME_1)
            for n in range(600)
        )
    )
    for data in (few, many):
        with django_assert_max_num_queries(8):
            assert check(people.staff, data).is_valid
