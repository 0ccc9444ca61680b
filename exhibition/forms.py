"""Forms of the exhibition: the public booth filter and the staff panel's forms."""

from django import forms
from django.db.models import Q

from agencies.models import Agency
from core.forms import JalaliDateField, PersianIntegerField
from core.images import ImageUploadField, MultipleImageUploadField
from exhibition.models import Booth, Exhibit, Exhibition, ExhibitKind, Photo
from neighbourhoods.models import City, Neighbourhood


class BoothFilterForm(forms.Form):
    """The exhibition page's filter: agency, city and kind, kept in the URL (GET)."""

    agency = forms.ModelChoiceField(
        label="دستگاه",
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="همهٔ دستگاه‌ها",
    )
    city = forms.ModelChoiceField(
        label="شهر",
        queryset=City.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="همهٔ شهرها",
    )
    kind = forms.ChoiceField(
        label="گونهٔ اثر",
        choices=[("", "همهٔ گونه‌ها"), *ExhibitKind.choices],
        required=False,
    )

    def __init__(self, *args, exhibition: Exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        # Only choices that lead somewhere: agencies and cities present in this exhibition.
        self.fields["agency"].queryset = Agency.objects.filter(
            booths__exhibition=exhibition
        ).distinct()
        self.fields["city"].queryset = City.objects.filter(
            Q(neighbourhoods__booths__exhibition=exhibition)
            | Q(neighbourhoods__exhibits__booth__exhibition=exhibition)
        ).distinct()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid choices only: a stale or mistyped value is ignored, never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "agency": data.get("agency"),
            "city": data.get("city"),
            "kind": data.get("kind", ""),
        }


PEOPLE_CHOICES = [
    ("none", "هیچ فرد قابل شناسایی‌ای در عکس نیست"),
    ("consented", "افراد قابل شناسایی هستند و رضایتشان ثبت شده است"),
    ("no_consent", "افراد قابل شناسایی هستند و رضایتی ثبت نشده است (عکس نمایش داده نمی‌شود)"),
]


def people_flags(choice: str) -> tuple[bool, bool]:
    """Map the people question to ``(shows_people, consent_recorded)``."""
    return {"none": (False, False), "consented": (True, True)}.get(choice, (True, False))


def people_choice(photo: Photo) -> str:
    if not photo.shows_people:
        return "none"
    return "consented" if photo.consent_recorded else "no_consent"


def people_field() -> forms.ChoiceField:
    # No default on purpose: whoever uploads must answer the question about people.
    return forms.ChoiceField(
        label="افراد در عکس",
        choices=PEOPLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "بگویید آیا کسی در عکس‌ها شناخته می‌شود."},
    )


class ExhibitionForm(forms.ModelForm):
    starts_on = JalaliDateField(label="تاریخ آغاز")
    ends_on = JalaliDateField(label="تاریخ پایان")
    cover = ImageUploadField(
        label="تصویر جلد",
        required=False,
        help_text="قالب JPEG یا PNG یا WebP. اطلاعات مکان و دوربین از پرونده پاک می‌شود.",
    )
    cover_cleared = forms.BooleanField(
        label="در تصویر جلد کسی شناخته نمی‌شود یا رضایت افراد ثبت شده است.",
        required=False,
    )
    remove_cover = forms.BooleanField(label="حذف تصویر جلد کنونی", required=False)

    class Meta:
        model = Exhibition
        fields = [
            "title",
            "slug",
            "starts_on",
            "ends_on",
            "venue",
            "description",
            "cover",
            "cover_alt",
            "cover_cleared",
            "remove_cover",
            "is_published",
        ]
        widgets = {"slug": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.has_image:
            del self.fields["remove_cover"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover") and not cleaned.get("cover_cleared"):
            self.add_error("cover_cleared", "پیش از بارگذاری جلد، این مورد را تأیید کنید.")
        has_cover = cleaned.get("cover") or (
            self.instance.has_image and not cleaned.get("remove_cover")
        )
        if has_cover and not cleaned.get("cover_alt", "").strip():
            self.add_error("cover_alt", "برای تصویر جلد، متن جایگزین بنویسید.")
        return cleaned


class BoothForm(forms.ModelForm):
    order = PersianIntegerField(label="ترتیب", min_value=0, max_value=32767, initial=0)

    class Meta:
        model = Booth
        fields = ["title", "agency", "neighbourhood", "description", "order"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        neighbourhood = self.fields["neighbourhood"]
        agency.queryset = scope.agencies(Agency.objects.all())
        neighbourhood.queryset = scope.neighbourhoods(Neighbourhood.objects.select_related("city"))
        if scope.is_one_agency:
            agency.required = True
            agency.empty_label = None
        if scope.is_some_cities:
            neighbourhood.required = True
        neighbourhood.help_text = "برای غرفهٔ یک محله؛ غرفهٔ استانی یک دستگاه محله ندارد."


class ExhibitForm(forms.ModelForm):
    order = PersianIntegerField(label="ترتیب", min_value=0, max_value=32767, initial=0)

    class Meta:
        model = Exhibit
        fields = [
            "booth",
            "title",
            "kind",
            "description",
            "made_by",
            "neighbourhood",
            "order",
            "is_published",
        ]

    def __init__(self, *args, booths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booth"].queryset = booths
        self.fields["booth"].empty_label = None
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.select_related("city")


class PhotoUploadForm(forms.Form):
    images = MultipleImageUploadField(
        label="عکس‌ها",
        help_text=(
            "چند عکس را با هم انتخاب کنید؛ قالب JPEG یا PNG یا WebP. اطلاعات مکان و دوربین از "
            "پرونده‌ها پاک می‌شود."
        ),
    )
    alt_text = forms.CharField(
        label="متن جایگزین",
        max_length=220,
        help_text="آنچه در عکس‌ها دیده می‌شود، برای کسانی که عکس را نمی‌بینند.",
    )
    caption = forms.CharField(label="زیرنویس", max_length=300, required=False)
    people = people_field()


class PhotoForm(forms.ModelForm):
    people = people_field()
    order = PersianIntegerField(label="ترتیب", min_value=0, max_value=32767)
    replacement = ImageUploadField(label="جایگزینی پرونده", required=False)

    class Meta:
        model = Photo
        fields = ["alt_text", "caption", "people", "order", "replacement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].initial = people_choice(self.instance)

    def clean(self):
        cleaned = super().clean()
        if "people" in cleaned:
            self.instance.shows_people, self.instance.consent_recorded = people_flags(
                cleaned["people"]
            )
        return cleaned
