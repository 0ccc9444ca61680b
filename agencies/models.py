"""The program's work: agencies, their houses, service domains and types, service records,
and the staff membership that decides what each person may see and change."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agencies.access import AGENCY_ROLES, ScopePaths, StaffRole, scope_for
from agencies.choices import RecordStatus
from core.crypto import identity_hash, seal, unseal
from core.digits import to_persian_digits
from core.jalali import jalali_year_month
from core.national_id import masked, normalise_national_id
from neighbourhoods.models import City, Neighbourhood


class Agency(models.Model):
    slug = models.SlugField("شناسه", max_length=30, unique=True)
    name = models.CharField("نام دستگاه", max_length=150, unique=True)
    short_name = models.CharField("نام کوتاه", max_length=60)
    house_name = models.CharField("نام خانه", max_length=60, unique=True)
    colour = models.CharField(
        "رنگ",
        max_length=7,
        default="#0f5c4d",
        help_text="رنگ دستگاه در نمودارها، مانند ‎#1f5fa8",
    )
    description = models.TextField("معرفی کوتاه", blank=True)
    order = models.PositiveSmallIntegerField("ترتیب", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "دستگاه اجرایی"
        verbose_name_plural = "دستگاه‌های اجرایی"

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("agencies:detail", kwargs={"slug": self.slug})


class HouseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_for(user).filter(self)

    def active(self):
        return self.filter(is_active=True)

    def with_place(self):
        return self.select_related("agency", "neighbourhood__city")


class House(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="houses", verbose_name="دستگاه"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="houses", verbose_name="محله"
    )
    address = models.CharField("نشانی", max_length=300, blank=True)
    phone = models.CharField("تلفن", max_length=30, blank=True)
    manager_name = models.CharField("مسئول خانه", max_length=100, blank=True)
    opened_on = models.DateField("تاریخ گشایش", null=True, blank=True)
    is_active = models.BooleanField("فعال", default=True)
    history = HistoricalRecords()

    objects = HouseQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(agency="agency_id", city="neighbourhood__city_id")

    class Meta:
        ordering = ["neighbourhood__city__name", "neighbourhood__name", "agency__order"]
        verbose_name = "خانه"
        verbose_name_plural = "خانه‌ها"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "neighbourhood"], name="house_one_per_agency_and_neighbourhood"
            ),
        ]

    def __str__(self):
        return (
            f"{self.agency.house_name} {self.neighbourhood.name} ({self.neighbourhood.city.name})"
        )


class ServiceDomain(models.Model):
    slug = models.SlugField("شناسه", max_length=30, unique=True)
    name = models.CharField("نام حوزه", max_length=60, unique=True)
    order = models.PositiveSmallIntegerField("ترتیب", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "حوزهٔ خدمت"
        verbose_name_plural = "حوزه‌های خدمت"

    def __str__(self):
        return self.name


class ServiceType(models.Model):
    domain = models.ForeignKey(
        ServiceDomain,
        on_delete=models.PROTECT,
        related_name="service_types",
        verbose_name="حوزه",
    )
    slug = models.SlugField("شناسه", max_length=60, unique=True)
    name = models.CharField("نوع خدمت", max_length=120)
    is_active = models.BooleanField("فعال", default=True)

    class Meta:
        ordering = ["domain__order", "name"]
        verbose_name = "نوع خدمت"
        verbose_name_plural = "انواع خدمت"
        constraints = [
            models.UniqueConstraint(fields=["domain", "name"], name="service_type_unique_name"),
        ]

    def __str__(self):
        return self.name


class ServiceRecordQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def public(self):
        """What public pages, feeds and the home page count: approved and not deleted."""
        return self.filter(deleted_at__isnull=True, status=RecordStatus.APPROVED)

    def awaiting_approval(self):
        return self.filter(deleted_at__isnull=True, status=RecordStatus.SUBMITTED)

    def visible_to(self, user):
        """Records this user may see; every staff view starts here."""
        return scope_for(user).filter(self)

    def with_related(self):
        return self.select_related(
            "house__agency", "house__neighbourhood__city", "service_type__domain", "created_by"
        )

    def in_neighbourhoods_of(self, user):
        """The records of every agency in the neighbourhoods this user works in: where their
        agency keeps a house in their cities (a clerk), or every neighbourhood (province-wide
        roles). What "what others did here" reads; never for editing."""
        return scope_for(user).neighbourhood_activity(self)

    def parallel_to(self, record, rules):
        """The other agencies' live records of the same aid in the same neighbourhood within
        *rules*' window of *record* (an instance with house, type and date; saved or not)."""
        first, last = rules.window(record.delivered_on)
        found = (
            self.alive()
            .filter(
                rules.parallel_types(record.service_type),
                house__neighbourhood_id=record.house.neighbourhood_id,
                delivered_on__range=(first, last),
            )
            .exclude(house__agency_id=record.house.agency_id)
        )
        if record.pk is not None:
            found = found.exclude(pk=record.pk)
        return found

    def same_as(self, record):
        """Live records of the same house, type, date and counts as *record* (not itself)."""
        found = self.alive().filter(
            house_id=record.house_id,
            service_type_id=record.service_type_id,
            delivered_on=record.delivered_on,
            **{name: getattr(record, name) for name in RECORD_COUNT_FIELDS},
        )
        if record.pk is not None:
            found = found.exclude(pk=record.pk)
        return found

    def totals_by(self, *fields):
        """Totals grouped by the given fields, e.g. `totals_by("service_type__domain")`."""
        return (
            self.values(*fields)
            .annotate(
                records=models.Count("id"),
                beneficiaries=Sum("beneficiaries"),
                households=Sum("households"),
                cost=Sum("cost_rials"),
            )
            .order_by(*fields)
        )


# The numbers a service record counts, in the order forms show them; none may be negative.
RECORD_COUNT_FIELDS = (
    "beneficiaries",
    "male",
    "female",
    "children",
    "adults",
    "elderly",
    "households",
    "disabled",
    "cost_rials",
)


def non_negative(*fields):
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0}),
            name=f"service_record_{field}_non_negative",
            violation_error_message="مقدارها نمی‌توانند منفی باشند.",
        )
        for field in fields
    ]


class ServiceRecord(models.Model):
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, related_name="service_records", verbose_name="خانه"
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name="نوع خدمت",
    )
    delivered_on = models.DateField("تاریخ ارائه")
    jalali_year = models.PositiveSmallIntegerField("سال (شمسی)", editable=False, db_index=True)
    jalali_month = models.PositiveSmallIntegerField("ماه (شمسی)", editable=False)

    beneficiaries = models.IntegerField("تعداد ذی‌نفعان")
    male = models.IntegerField("مرد", default=0)
    female = models.IntegerField("زن", default=0)
    children = models.IntegerField("کودک (زیر ۱۸ سال)", default=0)
    adults = models.IntegerField("بزرگسال (۱۸ تا ۵۹ سال)", default=0)
    elderly = models.IntegerField("سالمند (۶۰ سال و بیشتر)", default=0)
    households = models.IntegerField("خانوارهای بهره‌مند", default=0)
    disabled = models.IntegerField("توان‌خواهان بهره‌مند", default=0)
    cost_rials = models.BigIntegerField("هزینه (ریال)", default=0)
    notes = models.TextField("توضیحات", blank=True)
    # Why the clerk saved it although another agency had recorded the same aid in the same
    # neighbourhood shortly before or after (the parallel-work warning); blank when no warning.
    parallel_reason = models.CharField("دلیل با وجود کار موازی", max_length=300, blank=True)
    # The row's own id in the spreadsheet it was imported from, so a second import of the same
    # file creates nothing new; blank for records entered in the panel.
    external_ref = models.CharField("شناسهٔ ردیف در فایل", max_length=100, blank=True)
    # Why the clerk linked a household that another agency gave the same aid shortly before or
    # after (the same-aid-twice warning); blank when no warning.
    repeat_reason = models.CharField("دلیل خدمت دوباره به خانوار", max_length=300, blank=True)

    status = models.CharField(
        "وضعیت", max_length=12, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    return_reason = models.TextField(
        "دلیل برگشت", blank=True, help_text="آنچه کارشناس باید اصلاح کند."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="بررسی‌کننده",
    )
    reviewed_at = models.DateTimeField("زمان بررسی", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ثبت‌کننده",
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین ویرایش", auto_now=True)
    # Bumped on every save; a form carries the version it was opened with, and a save
    # against an older version is refused instead of overwriting someone else's edit.
    version = models.PositiveIntegerField("نسخه", default=1)
    deleted_at = models.DateTimeField("زمان حذف", null=True, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["jalali_year", "jalali_month"])

    objects = ServiceRecordQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(
        agency="house__agency_id",
        city="house__neighbourhood__city_id",
        neighbourhood="house__neighbourhood",
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = "خدمت ثبت‌شده"
        verbose_name_plural = "خدمات ثبت‌شده"
        indexes = [
            models.Index(fields=["jalali_year", "jalali_month"], name="record_jalali_month_idx"),
            models.Index(fields=["house", "delivered_on"], name="record_house_date_idx"),
            models.Index(fields=["service_type", "delivered_on"], name="record_type_date_idx"),
            models.Index(fields=["status", "house"], name="record_status_house_idx"),
            # The records lists' order over live rows (a million of them nationally): the first
            # page and every page's ids come from this index alone, without a sort.
            models.Index(
                fields=["-delivered_on", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="record_live_recent_idx",
            ),
            # A clerk's own latest records on the panel home.
            models.Index(
                fields=["created_by", "-delivered_on", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="record_live_author_idx",
            ),
        ]
        constraints = [
            *non_negative(*RECORD_COUNT_FIELDS),
            models.CheckConstraint(
                condition=Q(households__lte=F("beneficiaries")),
                name="service_record_households_within_beneficiaries",
                violation_error_message="تعداد خانوارها نمی‌تواند از تعداد ذی‌نفعان بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=Q(disabled__lte=F("beneficiaries")),
                name="service_record_disabled_within_beneficiaries",
                violation_error_message="تعداد توان‌خواهان نمی‌تواند از تعداد ذی‌نفعان بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=Q(beneficiaries=F("male") + F("female")),
                name="service_record_sexes_add_up",
                violation_error_message="جمع مردان و زنان باید با تعداد ذی‌نفعان برابر باشد.",
            ),
            models.CheckConstraint(
                condition=Q(beneficiaries=F("children") + F("adults") + F("elderly")),
                name="service_record_age_groups_add_up",
                violation_error_message=(
                    "جمع کودکان، بزرگسالان و سالمندان باید با تعداد ذی‌نفعان برابر باشد."
                ),
            ),
            models.CheckConstraint(
                condition=Q(jalali_month__gte=1, jalali_month__lte=12),
                name="service_record_jalali_month_range",
            ),
            models.UniqueConstraint(
                fields=["house", "external_ref"],
                condition=~Q(external_ref=""),
                name="service_record_one_external_ref_per_house",
            ),
        ]

    def __str__(self):
        return f"{self.service_type} — {self.house}"

    def save(self, *args, **kwargs):
        # The Jalali year and month are a copy of delivered_on kept for grouping in SQL.
        self.jalali_year, self.jalali_month = jalali_year_month(self.delivered_on)
        super().save(*args, **kwargs)

    @property
    def agency(self):
        return self.house.agency

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        """Whether public pages count this record (approved and not deleted)."""
        return self.status == RecordStatus.APPROVED and self.deleted_at is None


class CoordinationRules(models.Model):
    """The province's rules for parallel work and gaps; one row, kept by coordinators.

    Read by the record services (the warning at entry) and by the coordination report, so the
    two always agree on what counts as the same aid in the same place.
    """

    window_days = models.PositiveSmallIntegerField(
        "بازهٔ کار موازی (روز)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="دو خدمت با فاصلهٔ این تعداد روز یا کمتر، هم‌زمان شمرده می‌شوند.",
    )
    same_domain = models.BooleanField(
        "نوع دیگری از همان حوزه هم موازی است",
        default=False,
        help_text="اگر روشن باشد، دو خدمت از یک حوزه با نوع متفاوت هم کار موازی شمرده می‌شوند.",
    )
    silent_lead_months = models.PositiveSmallIntegerField(
        "بی‌کاری دستگاه مسئول (ماه)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="دستگاه مسئولی که در این چند ماه در آن حوزه خدمتی ثبت نکرده، خلأ شمرده می‌شود.",
    )
    household_window_days = models.PositiveSmallIntegerField(
        "بازهٔ خدمت دوباره به خانوار (روز)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="خانواری که در این تعداد روز از دستگاه دیگری همان کمک را گرفته، هشدار می‌گیرد.",
    )
    household_same_domain = models.BooleanField(
        "برای خانوار، نوع دیگری از همان حوزه هم همان کمک است",
        default=False,
        help_text="اگر روشن باشد، خدمت دیگری از همان حوزه به همان خانوار هم هشدار می‌گیرد.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "قاعدهٔ هماهنگی"
        verbose_name_plural = "قاعده‌های هماهنگی"

    def __str__(self):
        return "قاعده‌های هماهنگی استان"

    @classmethod
    def current(cls) -> "CoordinationRules":
        """The province's rules (the defaults until a coordinator changes them)."""
        rules = cls.objects.order_by("pk").first()
        return rules if rules is not None else cls()

    def parallel_types(self, service_type) -> Q:
        """Which records are the same aid as one of *service_type*: the type itself, or any
        type of its domain when ``same_domain`` is on. A filter on ServiceRecord."""
        if self.same_domain:
            return Q(service_type__domain_id=service_type.domain_id)
        return Q(service_type_id=service_type.pk)

    def window(self, day):
        """The first and last day whose records are parallel to one delivered on *day*."""
        span = dt.timedelta(days=self.window_days)
        return day - span, day + span

    def household_types(self, service_type) -> Q:
        """Which records give a household the same aid as one of *service_type*."""
        if self.household_same_domain:
            return Q(service_type__domain_id=service_type.domain_id)
        return Q(service_type_id=service_type.pk)

    def household_window(self, day):
        """The first and last day a household's other aid counts as the same aid again."""
        span = dt.timedelta(days=self.household_window_days)
        return day - span, day + span


class StaffMembership(models.Model):
    """Who a staff user works for; only agencies/access.py reads it (with is_superuser)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name="کاربر",
    )
    role = models.CharField("نقش", max_length=20, choices=StaffRole.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="دستگاه",
    )
    cities = models.ManyToManyField(
        City,
        blank=True,
        related_name="+",
        verbose_name="شهرها",
        help_text="اگر خالی بماند، همهٔ شهرهای استان در دسترس است.",
    )
    must_change_password = models.BooleanField(
        "باید گذرواژه را عوض کند",
        default=False,
        help_text="پس از گذرواژهٔ موقت: تا عوض نشود، هیچ صفحهٔ دیگری از پنل باز نمی‌شود.",
    )
    history = HistoricalRecords(m2m_fields=[cities])

    class Meta:
        verbose_name = "عضویت کارکنان"
        verbose_name_plural = "عضویت‌های کارکنان"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=AGENCY_ROLES) | Q(agency__isnull=False),
                name="membership_agency_staff_has_agency",
                violation_error_message="کارشناس و مسئول دستگاه باید به یک دستگاه وابسته باشند.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


# --- Households -------------------------------------------------------------------------------
# The registry of households served, kept private by construction: a national ID is stored only
# as a keyed hash (to match) and a sealed copy (to read), names only sealed (core/crypto.py);
# no list, URL, log or public page carries either. See docs/privacy.md.


class ConsentScope(models.TextChoices):
    """What the household agreed to when it was registered."""

    PROGRAM = "program", "ثبت در طرح و خدمت همهٔ دستگاه‌های طرح (دستگاه دیگر با کد ملی می‌یابد)"
    AGENCY = "agency", "فقط ثبت و خدمت همین دستگاه (دستگاه دیگر آن را نمی‌یابد)"


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The households this user may open: see ``Scope.households``."""
        return scope_for(user).households(self)

    def with_national_id(self, national_id: str):
        """The households whose head or a member has *national_id* (in any digits, as typed):
        the one way to find a household by its ID, an exact match on the keyed hash."""
        digest = identity_hash(normalise_national_id(national_id))
        return self.filter(Q(head_id_hash=digest) | Q(member_ids__id_hash=digest)).distinct()

    def identified(self):
        """Households that still carry a name and national ID (consent in force)."""
        return self.exclude(head_id_hash="")

    def consent_ended(self, day):
        """Identified households whose consent ran out before *day*."""
        return self.identified().filter(consent_until__lt=day)


class Household(models.Model):
    """A household served by the program, in one neighbourhood.

    The identity (the head's national ID and name, members' IDs) is kept only while consent is
    in force; without it the row keeps only what is counted (members and the program's flags),
    so the figures stay when the identity goes.
    """

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="registered_households",
        verbose_name="محله",
    )
    registered_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="households", verbose_name="دستگاه ثبت‌کننده"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ثبت‌کننده",
    )
    registered_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    # The identity: never in clear. Blank once consent has ended or when none was given.
    head_id_hash = models.CharField(
        "چکیدهٔ کلیددار کد ملی", max_length=64, blank=True, editable=False
    )
    head_id_sealed = models.TextField("کد ملی رمزشده", blank=True, editable=False)
    head_name_sealed = models.TextField("نام رمزشده", blank=True, editable=False)

    members = models.PositiveSmallIntegerField(
        "شمار اعضا", validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    female_headed = models.BooleanField("زن سرپرست", default=False)
    has_disabled_member = models.BooleanField("عضو توان‌خواه دارد", default=False)
    has_elderly_member = models.BooleanField("عضو سالمند دارد", default=False)

    consent_given_on = models.DateField("تاریخ رضایت", null=True, blank=True)
    consent_scope = models.CharField(
        "گسترهٔ رضایت", max_length=10, choices=ConsentScope.choices, blank=True
    )
    consent_until = models.DateField("رضایت تا", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="رضایت را ثبت کرد",
    )
    identity_removed_at = models.DateTimeField("زمان پاک شدن هویت", null=True, blank=True)
    # Why: the identity must leave the database with the consent, so the history keeps only
    # what is counted, never the hash or the sealed copies.
    history = HistoricalRecords(
        excluded_fields=["head_id_hash", "head_id_sealed", "head_name_sealed"]
    )

    objects = HouseholdQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(
        agency="registered_by_agency_id",
        city="neighbourhood__city_id",
        neighbourhood="neighbourhood",
    )
    # The path from a household to the agency of a live record that served it.
    SERVED_BY_PATH = "links__record__house__agency_id"

    class Meta:
        ordering = ["neighbourhood__name", "-registered_at", "-pk"]
        verbose_name = "خانوار"
        verbose_name_plural = "خانوارها"
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "head_id_hash"],
                condition=~Q(head_id_hash=""),
                name="household_one_head_per_neighbourhood",
                violation_error_message="خانواری با همین کد ملی سرپرست در این محله ثبت شده است.",
            ),
            models.CheckConstraint(
                condition=Q(head_id_hash="") | Q(consent_given_on__isnull=False),
                name="household_identity_needs_consent",
                violation_error_message="بدون رضایت خانوار، نام و کد ملی ثبت نمی‌شود.",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """How pages name a household to those who may not read its identity."""
        return f"خانوار شمارهٔ {to_persian_digits(self.pk)}" if self.pk else "خانوار تازه"

    @property
    def is_identified(self) -> bool:
        return bool(self.head_id_hash)

    @property
    def national_id(self) -> str:
        return unseal(self.head_id_sealed)

    @property
    def head_name(self) -> str:
        return unseal(self.head_name_sealed)

    @property
    def masked_national_id(self) -> str:
        """The last three digits of the head's ID, for telling households apart on a page."""
        return masked(self.national_id)

    def set_identity(self, *, national_id: str, name: str) -> None:
        """Keep the head's *national_id* (ten Latin digits) and *name*, hashed and sealed."""
        self.head_id_hash = identity_hash(national_id)
        self.head_id_sealed = seal(national_id)
        self.head_name_sealed = seal(name)

    def consent_in_force(self, day) -> bool:
        return (
            self.consent_given_on is not None
            and self.consent_given_on <= day
            and (self.consent_until is None or day <= self.consent_until)
        )


class HouseholdMember(models.Model):
    """A member recorded with their own national ID, so a look-up by it finds the household."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="member_ids", verbose_name="خانوار"
    )
    id_hash = models.CharField("چکیدهٔ کلیددار کد ملی", max_length=64, editable=False)
    id_sealed = models.TextField("کد ملی رمزشده", editable=False)

    class Meta:
        verbose_name = "عضو خانوار"
        verbose_name_plural = "اعضای خانوار"
        constraints = [
            models.UniqueConstraint(
                fields=["household", "id_hash"], name="member_once_per_household"
            ),
        ]

    def __str__(self):
        return f"عضو {self.household}"

    @property
    def national_id(self) -> str:
        return unseal(self.id_sealed)


class RecordHousehold(models.Model):
    """One household a service record served."""

    record = models.ForeignKey(
        ServiceRecord,
        on_delete=models.CASCADE,
        related_name="household_links",
        verbose_name="خدمت",
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="links", verbose_name="خانوار"
    )

    class Meta:
        verbose_name = "خانوار خدمت"
        verbose_name_plural = "خانوارهای خدمت"
        constraints = [
            models.UniqueConstraint(fields=["record", "household"], name="record_household_once"),
        ]

    def __str__(self):
        return f"{self.household} — خدمت {to_persian_digits(self.record_id)}"


class HouseholdAccess(models.Model):
    """One reading of a household's identity: who, when, which household, why. Coordinators
    read the log; nobody edits it."""

    class Action(models.TextChoices):
        LOOKUP = "lookup", "جست‌وجو با کد ملی"
        LOOKUP_MISSED = "lookup_missed", "جست‌وجوی بی‌نتیجه با کد ملی"
        VIEW = "view", "باز کردن صفحهٔ خانوار"
        LINK = "link", "پیوند به خدمت"
        REGISTER = "register", "ثبت خانوار"
        ERASE = "erase", "پاک کردن هویت"

    at = models.DateTimeField("زمان", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="کاربر",
    )
    username = models.CharField("نام کاربری", max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="دستگاه کاربر",
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name="خانوار",
    )
    action = models.CharField("کار", max_length=20, choices=Action.choices)
    reason = models.CharField("دلیل", max_length=300, blank=True)
    record = models.ForeignKey(
        ServiceRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="خدمت",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "دسترسی به خانوار"
        verbose_name_plural = "دفتر دسترسی به خانوارها"

    def __str__(self):
        return f"{self.get_action_display()} — {self.username}"
