"""Coordination of the four agencies: who leads each domain in each neighbourhood, the yearly
targets, and the coordinators' verdicts on what the parallel-work report finds.

The rules that decide what counts as parallel work live with the records they judge
(``agencies.models.CoordinationRules``), because the record services apply them at entry.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency, ServiceDomain
from neighbourhoods.models import Neighbourhood


class ResponsibilityQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("neighbourhood__city", "domain", "lead").prefetch_related(
            "supporters"
        )


class Responsibility(models.Model):
    """The division of labour in one neighbourhood for one domain: a lead agency and the
    agencies that support it. No row, or a row without a lead, is a gap."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name="محله",
    )
    domain = models.ForeignKey(
        ServiceDomain, on_delete=models.PROTECT, related_name="+", verbose_name="حوزه"
    )
    lead = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="دستگاه مسئول",
    )
    supporters = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="دستگاه‌های همکار"
    )
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)
    history = HistoricalRecords(m2m_fields=[supporters])

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        ordering = ["neighbourhood__city__name", "neighbourhood__name", "domain__order"]
        verbose_name = "تقسیم کار"
        verbose_name_plural = "تقسیم کار محله‌ها"
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "domain"], name="responsibility_one_per_domain"
            ),
        ]

    def __str__(self):
        return f"{self.domain} — {self.neighbourhood}"


class TargetMeasure(models.TextChoices):
    BENEFICIARIES = "beneficiaries", "ذی‌نفعان"
    HOUSEHOLDS = "households", "خانوارهای بهره‌مند"
    RECORDS = "records", "تعداد خدمت"


class TargetQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("neighbourhood__city", "domain", "agency")


class Target(models.Model):
    """A yearly target for one neighbourhood and domain (for all agencies together, or for
    one agency), in one measure, for one Jalali year."""

    year = models.PositiveSmallIntegerField(
        "سال (شمسی)", validators=[MinValueValidator(1390), MaxValueValidator(1500)]
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="targets", verbose_name="محله"
    )
    domain = models.ForeignKey(
        ServiceDomain, on_delete=models.PROTECT, related_name="+", verbose_name="حوزه"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="دستگاه",
        help_text="خالی: هدف همهٔ دستگاه‌ها با هم.",
    )
    measure = models.CharField(
        "سنجه", max_length=16, choices=TargetMeasure.choices, default=TargetMeasure.BENEFICIARIES
    )
    value = models.PositiveIntegerField(
        "هدف سالانه", validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "neighbourhood__city__name", "neighbourhood__name", "domain__order"]
        verbose_name = "هدف سالانه"
        verbose_name_plural = "هدف‌های سالانه"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "neighbourhood", "domain", "measure", "agency"],
                name="target_one_per_agency",
            ),
            models.UniqueConstraint(
                fields=["year", "neighbourhood", "domain", "measure"],
                condition=Q(agency__isnull=True),
                name="target_one_for_all_agencies",
            ),
        ]

    def __str__(self):
        return f"{self.domain} — {self.neighbourhood} ({self.year})"


class FindingKind(models.TextChoices):
    OVERLAP = "overlap", "کار موازی"
    OUTSIDE_ROLE = "outside_role", "کار بیرون از تقسیم کار"
    NO_LEAD = "no_lead", "حوزهٔ بی‌مسئول"
    SILENT_LEAD = "silent_lead", "مسئول بی‌کار"
    HOUSEHOLD_REPEAT = "household_repeat", "یک خانوار، چند دستگاه"


class Verdict(models.TextChoices):
    JUSTIFIED = "justified", "بررسی شد، موجه است"
    TO_RESOLVE = "to_resolve", "باید رفع شود"


class FindingReview(models.Model):
    """A coordinator's verdict on one finding of the coordination report, found again by its
    key (made from what the finding is about, e.g. the two records of an overlap). A finding
    marked justified stops counting; one marked to be resolved keeps counting, with its note."""

    key = models.CharField("شناسهٔ یافته", max_length=200, unique=True)
    kind = models.CharField("نوع یافته", max_length=16, choices=FindingKind.choices)
    verdict = models.CharField("نتیجهٔ بررسی", max_length=12, choices=Verdict.choices)
    note = models.TextField("یادداشت", max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="بررسی‌کننده",
    )
    reviewed_at = models.DateTimeField("زمان بررسی", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = "بررسی یافتهٔ هماهنگی"
        verbose_name_plural = "بررسی یافته‌های هماهنگی"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_verdict_display()}"
