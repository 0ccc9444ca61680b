"""The exhibition of the program: exhibitions, their booths, the exhibits shown, and photos.

A booth belongs to an agency and/or a neighbourhood; staff scoping follows the booth's agency
and city, like the program data.  Photos showing identifiable people are public only when the
people's consent has been recorded: every public page takes photos from ``Photo.objects.public()``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from agencies.access import ScopePaths, scope_for
from agencies.models import Agency
from core.images import ImageWithRenditions
from neighbourhoods.models import Neighbourhood


class ExhibitKind(models.TextChoices):
    PRODUCT = "product", "محصول"
    HANDICRAFT = "handicraft", "صنایع دستی"
    PROJECT = "project", "پروژه"
    ACHIEVEMENT = "achievement", "دستاورد"
    BEFORE_AFTER = "before_after", "پیش و پس از اجرا"
    ARTWORK = "artwork", "اثر هنری"
    OTHER = "other", "سایر"


class ExhibitionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Exhibition(ImageWithRenditions):
    """One exhibition of the program; its cover is the inherited ``image``."""

    IMAGE_FOLDER = "exhibition/covers"

    title = models.CharField("عنوان", max_length=200)
    slug = models.SlugField(
        "نشانی",
        max_length=80,
        unique=True,
        help_text="بخش پایانی نشانی صفحه، با حروف لاتین و خط تیره؛ مانند harekat-1404",
    )
    starts_on = models.DateField("تاریخ آغاز")
    ends_on = models.DateField("تاریخ پایان")
    venue = models.CharField("محل برگزاری", max_length=200)
    description = models.TextField("معرفی", blank=True)
    cover_alt = models.CharField(
        "متن جایگزین تصویر جلد",
        max_length=250,
        blank=True,
        help_text="آنچه در تصویر دیده می‌شود، برای کسانی که تصویر را نمی‌بینند.",
    )
    is_published = models.BooleanField(
        "منتشر شده", default=False, help_text="تا منتشر نشود، در درگاه عمومی دیده نمی‌شود."
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین ویرایش", auto_now=True)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "نمایشگاه"
        verbose_name_plural = "نمایشگاه‌ها"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="exhibition_ends_after_start",
                violation_error_message="تاریخ پایان نمی‌تواند پیش از تاریخ آغاز باشد.",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(cover_alt=""),
                name="exhibition_cover_has_alt",
                violation_error_message="برای تصویر جلد، متن جایگزین بنویسید.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exhibition:detail", kwargs={"slug": self.slug})

    def files_public(self) -> bool:
        """The cover lies in the public media tree only while the exhibition is published."""
        return self.is_published

    @property
    def status_label(self) -> str:
        """«در حال برگزاری», «به‌زودی» or «برگزار شده», by today's date in Tehran."""
        today = timezone.localdate()
        if today < self.starts_on:
            return "به‌زودی"
        if today > self.ends_on:
            return "برگزار شده"
        return "در حال برگزاری"


class BoothQuerySet(models.QuerySet):
    def public(self):
        return self.filter(exhibition__is_published=True)

    def visible_to(self, user):
        """Booths this staff user may see: their agency's (and cities'), or all for coordinators."""
        return scope_for(user).filter(self)

    def with_place(self):
        return self.select_related("exhibition", "agency", "neighbourhood__city")


class Booth(models.Model):
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.PROTECT, related_name="booths", verbose_name="نمایشگاه"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name="دستگاه",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name="محله",
    )
    title = models.CharField("عنوان غرفه", max_length=200)
    description = models.TextField("معرفی", blank=True)
    order = models.PositiveSmallIntegerField("ترتیب", default=0)

    objects = BoothQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(agency="agency_id", city="neighbourhood__city_id")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "غرفه"
        verbose_name_plural = "غرفه‌ها"
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(neighbourhood__isnull=False),
                name="booth_has_agency_or_neighbourhood",
                violation_error_message=(
                    "غرفه باید به یک دستگاه یا یک محله (یا هر دو) تعلق داشته باشد."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exhibition:booth", kwargs={"slug": self.exhibition.slug, "pk": self.pk})


class PhotoQuerySet(models.QuerySet):
    def public(self):
        """Photos a visitor may see: no identifiable people, or their consent recorded.

        Also only photos of published exhibits in published exhibitions.  Every public page,
        card and feed takes photos from here.
        """
        return self.filter(
            Q(shows_people=False) | Q(consent_recorded=True),
            exhibit__is_published=True,
            exhibit__booth__exhibition__is_published=True,
        )

    def visible_to(self, user):
        """Photos in booths this staff user may see."""
        return scope_for(user).filter(self)

    def hidden_for_consent(self):
        """Photos of people without recorded consent: kept for staff, never shown publicly."""
        return self.filter(shows_people=True, consent_recorded=False)


class ExhibitQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True, booth__exhibition__is_published=True)

    def visible_to(self, user):
        """Exhibits in booths this staff user may see (the booth decides, not the exhibit)."""
        return scope_for(user).filter(self)

    def for_cards(self):
        """Everything an exhibit card shows, in three queries however many cards there are."""
        return self.select_related(
            "booth__exhibition", "booth__agency", "neighbourhood__city"
        ).prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.public().order_by("order", "id"),
                to_attr="public_photos",
            )
        )

    def for_neighbourhood(self, neighbourhood):
        """Exhibits that come from this neighbourhood, ready for exhibit_cards.html."""
        return self.filter(neighbourhood=neighbourhood).for_cards()

    def for_agency(self, agency):
        """Exhibits shown in this agency's booths, ready for exhibit_cards.html."""
        return self.filter(booth__agency=agency).for_cards()

    def matching(self, *, agency=None, city=None, kind=""):
        """Filter by the booth's agency, the city (of the exhibit or of its booth) and kind."""
        queryset = self
        if agency is not None:
            queryset = queryset.filter(booth__agency=agency)
        if city is not None:
            queryset = queryset.filter(
                Q(neighbourhood__city=city)
                | Q(neighbourhood__isnull=True, booth__neighbourhood__city=city)
            )
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset


class Exhibit(models.Model):
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="exhibits", verbose_name="غرفه"
    )
    title = models.CharField("عنوان", max_length=200)
    description = models.TextField("شرح", blank=True)
    kind = models.CharField("گونه", max_length=20, choices=ExhibitKind.choices)
    made_by = models.CharField(
        "پدیدآورندگان",
        max_length=200,
        blank=True,
        help_text=(
            "گروه، کارگاه یا تعاونی‌ای که آن را ساخته است. نام مددجویان را فقط با رضایتشان بنویسید."
        ),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name="محلهٔ خاستگاه",
    )
    order = models.PositiveSmallIntegerField("ترتیب", default=0)
    is_published = models.BooleanField("نمایش در درگاه", default=True)
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

    objects = ExhibitQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(agency="booth__agency_id", city="booth__neighbourhood__city_id")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "اثر"
        verbose_name_plural = "آثار"
        indexes = [models.Index(fields=["booth", "order"], name="exhibit_booth_order_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "exhibition:exhibit", kwargs={"slug": self.booth.exhibition.slug, "pk": self.pk}
        )

    @property
    def cover_photo(self):
        """The first public photo; uses the ``for_cards()`` prefetch when it was made."""
        photos = getattr(self, "public_photos", None)
        if photos is None:
            photos = list(Photo.objects.public().filter(exhibit=self).order_by("order", "id")[:1])
        return photos[0] if photos else None


class Photo(ImageWithRenditions):
    IMAGE_FOLDER = "exhibition/photos"

    exhibit = models.ForeignKey(
        Exhibit, on_delete=models.CASCADE, related_name="photos", verbose_name="اثر"
    )
    caption = models.CharField("زیرنویس", max_length=300, blank=True)
    alt_text = models.CharField(
        "متن جایگزین",
        max_length=250,
        help_text="آنچه در عکس دیده می‌شود، برای کسانی که عکس را نمی‌بینند.",
    )
    # Dignity first: a new photo counts as showing people without consent, hence hidden, until
    # the person uploading it says otherwise.
    shows_people = models.BooleanField("افراد قابل شناسایی در عکس هستند", default=True)
    consent_recorded = models.BooleanField("رضایت این افراد ثبت شده است", default=False)
    order = models.PositiveSmallIntegerField("ترتیب", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="بارگذاری‌کننده",
    )
    created_at = models.DateTimeField("زمان بارگذاری", auto_now_add=True)

    objects = PhotoQuerySet.as_manager()
    SCOPE_PATHS = ScopePaths(
        agency="exhibit__booth__agency_id", city="exhibit__booth__neighbourhood__city_id"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "عکس"
        verbose_name_plural = "عکس‌ها"
        constraints = [
            models.CheckConstraint(
                condition=~Q(image=""),
                name="photo_has_image",
                violation_error_message="عکس بدون پرونده ذخیره نمی‌شود.",
            ),
            models.CheckConstraint(
                condition=~Q(alt_text=""),
                name="photo_has_alt_text",
                violation_error_message="متن جایگزین عکس لازم است.",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    @property
    def is_public_safe(self) -> bool:
        """Whether the consent rule lets this photo be shown (publication aside)."""
        return not self.shows_people or self.consent_recorded

    def files_public(self) -> bool:
        """Whether the files lie in the public media tree: by the rule of ``public()``.

        A photo not attached to an exhibit cannot be saved (the services attach it before
        storing its files); unattached, as in tests of the image pipeline, it keeps the default.
        """
        if self.exhibit_id is None:
            return super().files_public()
        exhibit = self.exhibit
        return (
            self.is_public_safe and exhibit.is_published and exhibit.booth.exhibition.is_published
        )
