"""Forms of the neighbourhoods app: the public search box and the import upload."""

from django import forms

from core.digits import to_persian_digits
from neighbourhoods.importer import MAX_FILE_BYTES

ALLOWED_EXTENSIONS = (".csv", ".xlsx")


class NeighbourhoodSearchForm(forms.Form):
    q = forms.CharField(
        label="جست‌وجوی محله",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "نام محله، مثلاً «شهرک ولیعصر»"}
        ),
    )


class NeighbourhoodFileForm(forms.Form):
    file = forms.FileField(
        label="فایل فهرست محله‌ها",
        help_text="CSV با نویسه‌گذاری UTF-8 یا XLSX، حداکثر ۲ مگابایت.",
        error_messages={
            "required": "فایل را انتخاب کنید.",
            "empty": "فایل خالی است.",
            "invalid": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
            "missing": "فایلی فرستاده نشد؛ دوباره انتخاب کنید.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("فقط فایل CSV یا XLSX پذیرفته می‌شود.")
        if upload.size > MAX_FILE_BYTES:
            megabytes = to_persian_digits(MAX_FILE_BYTES // (1024 * 1024))
            raise forms.ValidationError(f"حجم فایل بیش از {megabytes} مگابایت است.")
        return upload


class ApplyImportForm(forms.Form):
    """Carries only the fingerprint of the file the user saw checked; the file is in the session."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
