"""Django admin for the exhibition, in Persian, with photo previews.

Saves and deletes go through exhibition/services.py so uploads are cleaned the same way as in
the staff panel (metadata stripped, renditions made) and files of deleted photos are removed.
Django's model permissions decide who gets here; the services then hold the signed-in person to
their scope, as in the panel, and each admin lists only what that scope holds.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html

from agencies.access import ScopedAdminMixin
from core.admin import PersianAdminMixin, PersianModelAdmin, yes_no_icon
from core.images import ImageUploadField, MultipleImageUploadField
from exhibition import services
from exhibition.forms import PEOPLE_CHOICES, ExhibitForm, ExhibitionForm, people_flags
from exhibition.models import Booth, Exhibit, Exhibition, Photo


def preview(obj, width: int = 120):
    """A small thumbnail; sized by attributes and a class, since the CSP forbids style="".

    Read through the staff view (core/media.py), since the admin shows photos visitors may not
    see, whose files are not at their public address.
    """
    if not obj or not obj.has_image:
        return "—"
    item = obj.rendition(320, "jpeg")
    if item is None:
        return "—"
    height = round(item["h"] * width / item["w"])
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="exhibition-admin-preview"'
        ' loading="lazy">',
        obj.fallback_url(320, staff=True),
        width,
        height,
    )


class AdminMedia:
    css = {"all": ["css/exhibition_admin.css"]}


class ServiceDeleteMixin:
    """Deletes through the services, one object at a time, so files go with the rows."""

    delete_service = None

    def delete_model(self, request, obj):
        delete = type(self).delete_service
        try:
            delete(**{self.model._meta.model_name: obj}, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            # Protected rows are already refused by the admin's confirmation page; this is
            # for a rule the services add, shown as a message rather than a server error.
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Exhibition)
class ExhibitionAdmin(ServiceDeleteMixin, PersianModelAdmin):
    form = ExhibitionForm
    delete_service = services.exhibition_delete
    list_display = ["title", "starts_on_jalali", "venue", "is_published", "cover_preview"]
    list_filter = ["is_published"]
    search_fields = ["title", "venue", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["cover_preview", "created_at", "updated_at"]
    Media = AdminMedia

    def get_fields(self, request, obj=None):
        # The form offers "remove the cover" only when there is one.
        fields = super().get_fields(request, obj)
        return fields if obj and obj.has_image else [f for f in fields if f != "remove_cover"]

    @admin.display(description="آغاز", ordering="starts_on")
    def starts_on_jalali(self, obj):
        from core.jalali import format_date

        return format_date(obj.starts_on, "long")

    @admin.display(description="جلد")
    def cover_preview(self, obj):
        return preview(obj)

    def save_model(self, request, obj, form, change):
        services.exhibition_save(
            exhibition=obj,
            user=request.user,
            cover=form.cleaned_data.get("cover"),
            remove_cover=form.cleaned_data.get("remove_cover", False),
        )


@admin.register(Booth)
class BoothAdmin(ScopedAdminMixin, ServiceDeleteMixin, PersianModelAdmin):
    delete_service = services.booth_delete
    list_display = ["title", "exhibition", "agency", "neighbourhood", "order", "exhibit_count"]
    list_filter = ["exhibition", "agency", "neighbourhood__city"]
    search_fields = ["title", "description", "neighbourhood__name"]
    list_select_related = ["exhibition", "agency", "neighbourhood__city"]
    autocomplete_fields = ["neighbourhood"]

    @admin.display(description="شمار آثار")
    def exhibit_count(self, obj):
        from core.digits import to_persian_digits

        return to_persian_digits(obj.exhibits.count())

    def save_model(self, request, obj, form, change):
        services.booth_save(booth=obj, user=request.user)


class PhotoInline(PersianAdminMixin, admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["thumb", "alt_text", "caption", "shows_people", "consent_recorded", "order"]
    readonly_fields = ["thumb"]
    show_change_link = True
    can_delete = False  # deleting goes through the photo's own page, which removes its files

    def has_add_permission(self, request, obj=None):
        return False  # new photos come with their files, through «افزودن عکس» above

    @admin.display(description="پیش‌نمایش")
    def thumb(self, obj):
        return preview(obj, width=96)


class ExhibitAdminForm(forms.ModelForm):
    new_photos = MultipleImageUploadField(label="افزودن عکس", required=False)
    new_photos_alt = forms.CharField(label="متن جایگزین عکس‌های تازه", required=False)
    new_photos_people = forms.ChoiceField(
        label="افراد در عکس‌های تازه", choices=PEOPLE_CHOICES, required=False
    )

    class Meta:
        model = Exhibit
        fields = ExhibitForm.Meta.fields

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_photos"):
            if not cleaned.get("new_photos_alt", "").strip():
                self.add_error("new_photos_alt", "برای عکس‌های تازه متن جایگزین بنویسید.")
            if not cleaned.get("new_photos_people"):
                self.add_error("new_photos_people", "بگویید آیا کسی در عکس‌ها شناخته می‌شود.")
        return cleaned


@admin.register(Exhibit)
class ExhibitAdmin(ScopedAdminMixin, ServiceDeleteMixin, PersianModelAdmin):
    form = ExhibitAdminForm
    delete_service = services.exhibit_delete
    inlines = [PhotoInline]
    list_display = ["title", "kind", "booth", "neighbourhood", "is_published", "cover_preview"]
    list_filter = ["kind", "is_published", "booth__exhibition", "booth__agency"]
    search_fields = ["title", "description", "made_by"]
    list_select_related = ["booth", "neighbourhood__city"]
    autocomplete_fields = ["neighbourhood"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    Media = AdminMedia

    @admin.display(description="عکس نخست")
    def cover_preview(self, obj):
        return preview(obj.cover_photo, width=80)

    def get_queryset(self, request):
        return super().get_queryset(request).for_cards()

    def save_formset(self, request, form, formset, change):
        """The photo rows edited inline (consent, order, texts) are saved by the service, so
        a photo whose consent is withdrawn here leaves the public media tree too."""
        if formset.model is not Photo:
            super().save_formset(request, form, formset, change)
            return
        for photo in formset.save(commit=False):
            services.photo_update(photo=photo, user=request.user)
        formset.save_m2m()

    def save_model(self, request, obj, form, change):
        services.exhibit_save(exhibit=obj, user=request.user)
        images = form.cleaned_data.get("new_photos")
        if images:
            shows_people, consent = people_flags(form.cleaned_data["new_photos_people"])
            services.photos_add(
                exhibit=obj,
                images=images,
                alt_text=form.cleaned_data["new_photos_alt"],
                shows_people=shows_people,
                consent_recorded=consent,
                user=request.user,
            )


class PhotoAdminForm(forms.ModelForm):
    replacement = ImageUploadField(label="پروندهٔ عکس", required=False)

    class Meta:
        model = Photo
        fields = ["exhibit", "alt_text", "caption", "shows_people", "consent_recorded", "order"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("replacement"):
            self.add_error("replacement", "یک تصویر انتخاب کنید.")
        return cleaned


@admin.register(Photo)
class PhotoAdmin(ScopedAdminMixin, ServiceDeleteMixin, PersianModelAdmin):
    form = PhotoAdminForm
    delete_service = services.photo_delete
    list_display = ["thumb", "alt_text", "exhibit", "shows_people", "consent_recorded", "is_public"]
    list_display_links = ["thumb", "alt_text"]
    list_filter = ["shows_people", "consent_recorded", "exhibit__booth__exhibition"]
    search_fields = ["alt_text", "caption", "exhibit__title"]
    list_select_related = ["exhibit"]
    readonly_fields = ["large_preview", "width", "height", "uploaded_by", "created_at"]
    autocomplete_fields = ["exhibit"]
    Media = AdminMedia

    @admin.display(description="پیش‌نمایش")
    def thumb(self, obj):
        return preview(obj, width=96)

    @admin.display(description="پیش‌نمایش")
    def large_preview(self, obj):
        return preview(obj, width=320)

    @admin.display(description="نمایش عمومی")
    def is_public(self, obj):
        return yes_no_icon(obj.is_public_safe)

    def save_model(self, request, obj, form, change):
        image = form.cleaned_data.get("replacement")
        if change:
            services.photo_update(photo=obj, user=request.user, image=image)
            return
        shows_people, consent = obj.shows_people, obj.consent_recorded
        [created] = services.photos_add(
            exhibit=obj.exhibit,
            images=[image],
            alt_text=obj.alt_text,
            caption=obj.caption,
            shows_people=shows_people,
            consent_recorded=consent,
            user=request.user,
        )
        obj.pk = created.pk  # the admin's "saved" message and redirect need the new row
