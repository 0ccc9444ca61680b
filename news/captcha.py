"""The arithmetic captcha under the comment form.

django-simple-captcha's math challenge (``CAPTCHA_CHALLENGE_FUNCT`` in settings) draws a sum
such as "7+11=" and keeps the expected answer in ``CaptchaStore``; each stored challenge is
deleted when it is checked, right or wrong, so one answer cannot be replayed.  The picture
keeps the library's own font (it ships with it, so the image never depends on fonts installed
on the server), and :class:`PersianCaptchaField` turns the typed answer into Latin digits
before checking it, so «۱۸», «١٨» and «18» are all accepted.
"""

from captcha.fields import CaptchaField, CaptchaTextInput

from core.digits import to_latin_digits


class PersianCaptchaInput(CaptchaTextInput):
    """The captcha picture with a button for another one, and a digit-friendly answer box."""

    template_name = "news/widgets/captcha.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        answer = context["widget"]["subwidgets"][1]["attrs"]
        answer.update(
            {"inputmode": "numeric", "dir": "ltr", "class": "form-control captcha-answer"}
        )
        context["refresh_url"] = self.refresh_url()
        return context


class PersianCaptchaField(CaptchaField):
    """simple-captcha's field, accepting the answer in Persian, Arabic-Indic or Latin digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PersianCaptchaInput())
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "پاسخ پرسش امنیتی درست نبود. حاصل عبارت تصویر تازه را بنویسید.",
                "required": "حاصل عبارت تصویر را بنویسید.",
                "incomplete": "حاصل عبارت تصویر را بنویسید.",
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) == 2:
            value = [value[0], to_latin_digits(value[1] or "").strip()]
        return super().clean(value)
