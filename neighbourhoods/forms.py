"""Forms of the neighbourhoods app: the public search box and the import upload."""

from django import forms

from core.uploads import SpreadsheetFileForm


class NeighbourhoodSearchForm(forms.Form):
    q = forms.CharField(
        label="جست‌وجوی محله",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "نام محله، نام شهر یا کد محله"}
        ),
    )


class NeighbourhoodFileForm(SpreadsheetFileForm):
    label = "فایل فهرست محله‌ها"
