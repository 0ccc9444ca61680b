"""Forms of the news app: the reader's comment form and the editor's article form."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.digits import to_latin_digits, to_persian_digits
from core.forms import REQUIRED_MESSAGE, JalaliDateField
from core.images import CleanedImage, ImageUploadField
from core.jalali import format_date
from core.text import strip_direction_controls
from neighbourhoods.models import Neighbourhood
from news.captcha import PersianCaptchaField
from news.models import Article, ArticleStatus, Comment

NAME_MIN, NAME_MAX = 2, 60
TEXT_MIN, TEXT_MAX = 3, 1500


def _length_messages(field_label: str, low: int, high: int) -> dict:
    return {
        "required": REQUIRED_MESSAGE,
        "min_length": f"{field_label} باید دست‌کم {to_persian_digits(low)} نویسه باشد.",
        "max_length": f"{field_label} نباید بیش از {to_persian_digits(high)} نویسه باشد.",
    }


class CommentForm(forms.Form):
    """A reader's comment: name, optional email, text, the comment answered and a captcha.

    ``website`` is a honeypot: hidden from people (CSS and ``aria-hidden``), filled by bots that
    fill every box.  The view treats a filled honeypot as spam and stores nothing.
    """

    name = forms.CharField(
        label="نام",
        min_length=NAME_MIN,
        max_length=NAME_MAX,
        error_messages=_length_messages("نام", NAME_MIN, NAME_MAX),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="ایمیل (اختیاری)",
        required=False,
        help_text="نمایش داده نمی‌شود.",
        error_messages={"invalid": "نشانی ایمیل درست نیست."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    text = forms.CharField(
        label="متن نظر",
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        error_messages=_length_messages("متن نظر", TEXT_MIN, TEXT_MAX),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label="این خانه را خالی بگذارید",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    captcha = PersianCaptchaField(label="پرسش امنیتی: حاصل عبارت تصویر چند است؟")

    def __init__(self, *args, parent_choices=None, shared=False, **kwargs):
        """*shared*: the form of a page every visitor gets from the cache, with no captcha of
        its own yet (news.views.ArticleDetailView)."""
        super().__init__(*args, **kwargs)
        self.parent_choices = parent_choices or {}
        self.fields["captcha"].widget.shared = shared
        for name in ("name", "email", "text"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["website"].widget.attrs["class"] = "form-control"

    @property
    def is_spam(self) -> bool:
        """Whether the hidden honeypot box was filled in."""
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    def clean_name(self):
        # A U+202E in a name would show it (and the reply banner after it) backwards.
        name = strip_direction_controls(self.cleaned_data["name"]).strip()
        if len(name) < NAME_MIN:
            raise forms.ValidationError(self.fields["name"].error_messages["min_length"])
        return name

    def clean_text(self):
        text = strip_direction_controls(self.cleaned_data["text"]).strip()
        if len(text) < TEXT_MIN:
            raise forms.ValidationError(self.fields["text"].error_messages["min_length"])
        return text

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = self.parent_choices.get(parent_id)
        if parent is None:
            raise ValidationError("نظری که به آن پاسخ می‌دهید پیدا نشد.")
        return parent


class JalaliDateTimeWidget(forms.MultiWidget):
    """A Jalali date box and an ``HH:MM`` time box side by side."""

    template_name = "news/widgets/jalali_datetime.html"

    def __init__(self, attrs=None):
        date_widget = JalaliDateField.widget()
        time_widget = forms.TextInput(
            attrs={"placeholder": "۱۴:۳۰", "inputmode": "numeric", "dir": "ltr"}
        )
        super().__init__([date_widget, time_widget], attrs)

    def decompress(self, value):
        if not value:
            return [None, None]
        local = timezone.localtime(value)
        return [format_date(local, "short"), to_persian_digits(local.strftime("%H:%M"))]


_TIME = re.compile(r"(?P<hour>[0-9]{1,2})\s*[:٫.]\s*(?P<minute>[0-9]{2})")


class JalaliDateTimeField(forms.MultiValueField):
    """A moment typed as a Jalali date and a local time, cleaned to an aware ``datetime``."""

    widget = JalaliDateTimeWidget
    default_error_messages = {
        "invalid_time": "ساعت را به شکل ۱۴:۳۰ وارد کنید.",
        "incomplete": "تاریخ و ساعت را هر دو وارد کنید.",
    }

    def __init__(self, **kwargs):
        fields = (JalaliDateField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or data_list[0] is None:
            return None
        date_value = data_list[0]
        typed_time = to_latin_digits(data_list[1] or "").strip()
        if not typed_time:
            hour, minute = 0, 0
        else:
            match = _TIME.fullmatch(typed_time)
            if not match or int(match["hour"]) > 23 or int(match["minute"]) > 59:
                raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
            hour, minute = int(match["hour"]), int(match["minute"])
        naive = dt.datetime.combine(date_value, dt.time(hour, minute))
        return timezone.make_aware(naive)


class NeighbourhoodChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.city.name})"


class ArticleFormRules(forms.ModelForm):
    """What the panel's and the admin's article forms share: the publish time, the main image.

    Publishing with an empty time means "now" (the model insists a published article has one).
    A new image is verified and stripped of metadata by ``core.images``; whoever uploads it
    confirms that nobody in it can be recognised or that those who can have agreed.
    """

    publish_at = JalaliDateTimeField(
        label="زمان انتشار",
        required=False,
        help_text="تاریخ و ساعتی در آینده یعنی انتشار زمان‌بندی‌شده؛ خالی یعنی همین حالا.",
    )
    image_upload = ImageUploadField(
        label="تصویر اصلی",
        required=False,
        help_text="JPEG، PNG یا WebP. اطلاعات مکان و دوربین از پرونده پاک می‌شود.",
    )
    image_consent = forms.BooleanField(
        label="در این تصویر کسی شناخته نمی‌شود، یا رضایت کسانی که شناخته می‌شوند گرفته شده است.",
        required=False,
    )
    remove_image = forms.BooleanField(label="حذف تصویر کنونی", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ArticleStatus.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        if cleaned.get("image_upload") and not cleaned.get("image_consent"):
            self.add_error(
                "image_consent",
                "پیش از بارگذاری تصویر، رضایت افراد یا شناخته‌نشدن آن‌ها را تأیید کنید.",
            )
        return cleaned

    @property
    def image_changes(self) -> dict:
        """Keyword arguments for ``services.article_save``: the new image or its removal."""
        upload = self.cleaned_data.get("image_upload")
        return {
            "image": upload if isinstance(upload, CleanedImage) else None,
            "remove_image": bool(self.cleaned_data.get("remove_image")),
        }


# What editors fill in, in the panel and in the admin alike (the admin orders them by fieldsets).
ARTICLE_FIELDS = [
    "kicker",
    "title",
    "lead",
    "body",
    "image_alt",
    "category",
    "tags",
    "status",
    "publish_at",
    "neighbourhoods",
    "agencies",
    "slug",
]


class ArticleAdminForm(ArticleFormRules):
    class Meta:
        model = Article
        fields = ARTICLE_FIELDS


class ArticleForm(ArticleFormRules):
    """The editor's form in the staff panel; the body is HTML cleaned on save."""

    neighbourhoods = NeighbourhoodChoiceField(
        label="محله‌ها",
        queryset=Neighbourhood.objects.select_related("city"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "article-body-input"}),
            "agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED_MESSAGE
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.MultiWidget):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        for widget in self.fields["publish_at"].widget.widgets:
            widget.attrs["class"] = "form-control"
        self.fields["slug"].widget.attrs["dir"] = "ltr"
        if not self.instance.has_image:
            del self.fields["remove_image"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status not in ArticleStatus.values:
            raise ValidationError("وضعیت خبر درست نیست.")
        return status


class ModerationForm(forms.Form):
    """The bulk action on the moderation queue: approve or reject the ticked comments."""

    ACTIONS = {"approve": True, "reject": False}

    action = forms.ChoiceField(
        choices=[("approve", "تأیید"), ("reject", "رد")],
        error_messages={"required": "کار را انتخاب کنید.", "invalid_choice": "کار درست نیست."},
    )
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.pending(),
        error_messages={
            "required": "هیچ نظری انتخاب نشده است.",
            "invalid_choice": "نظری که انتخاب شده دیگر در صف نیست.",
            "invalid_pk_value": "نظری که انتخاب شده دیگر در صف نیست.",
        },
    )

    @property
    def approve(self) -> bool:
        return self.ACTIONS[self.cleaned_data["action"]]
