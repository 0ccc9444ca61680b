"""Admin pieces every app uses: Persian numbers and Jalali dates in the change lists, the date
filters, the forms and the history pages, and telling the page cache about edits.

Every app's admin class takes :class:`PersianAdminMixin` (or :class:`PersianHistoryAdmin`, for
models with django-simple-history); the Jalali date filter is registered here for every admin
at once, in place of Django's Gregorian one.
"""

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter, DateFieldListFilter
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from core.caching import public_content_changed
from core.digits import format_number, to_persian_digits
from core.forms import (
    JalaliDateField,
    PersianDecimalField,
    PersianIntegerField,
    PersianNumberInput,
)
from core.jalali import PERSIAN_MONTHS, format_date, format_datetime, to_jalali
from core.periods import Period


class PublicContentAdminMixin:
    """For admins of rows visitors see that have no service of their own (agencies, domains,
    places, categories, comments): a save or delete makes the cached public pages stale once it
    commits. Admins that write through a service leave this to the service."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_content_changed()


class JalaliDateAdminMixin:
    """Dates in the admin are typed and shown in the Jalali calendar, like the rest of the site."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) is models.DateField:
            return JalaliDateField(
                label=db_field.verbose_name,
                required=not db_field.blank,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- Numbers and dates as people read them ------------------------------------------------

# The last word of a field's name that says its number names something rather than counts it:
# a code, a year, a month, a place in a list, an edit's number. Such numbers are read digit by
# digit, so they get Persian digits and no thousands separator («۱۴۰۵», «۱۴۰۵۰۰۱۲»); every
# other integer or decimal field is an amount (people, Rials, days) and is grouped
# («۳۰٬۳۶۰٬۰۰۰»). Primary keys name a row, so they are never grouped either.
NAMING_WORDS = frozenset({"id", "code", "year", "month", "order", "version"})

NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)


def names_something(field) -> bool:
    """Tell whether *field* holds a number that names rather than counts (see NAMING_WORDS)."""
    return field.primary_key or field.name.rsplit("_", 1)[-1] in NAMING_WORDS


def number_text(value, field=None) -> str:
    """*value* in Persian digits, grouped unless *field* says the number names something."""
    if field is not None and names_something(field):
        return to_persian_digits(value)
    return format_number(value)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def shown_value(value, field=None):
    """A value for a change-list cell: numbers in Persian digits, dates in Jalali; anything
    else (text, HTML, booleans for the admin's icons, ``None`` for its dash) as it is."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if _is_number(value):
        return number_text(value, field)
    return value


class PersianChangeList(ChangeList):
    """Django's change list, with page links whose numbers are in Persian digits."""

    def persian_page_links(self):
        """The links of the paginator (``templates/admin/pagination.html``)."""
        links = []
        for number in self.paginator.get_elided_page_range(self.page_num):
            if number == self.paginator.ELLIPSIS:
                links.append({"ellipsis": number})
                continue
            links.append(
                {
                    "label": to_persian_digits(number),
                    "url": self.get_query_string({PAGE_VAR: number}),
                    "current": number == self.page_num,
                    "last": number == self.paginator.num_pages,
                }
            )
        return links


class PersianAdminMixin:
    """The admin read and typed like the rest of the site.

    - Change lists: every integer and decimal column in Persian digits, grouped when it is an
      amount (:func:`names_something` tells the rule), every date column in Jalali, and the
      same for the values the admin's own columns (methods) return. Columns edited in the list
      (``list_editable``) stay form fields.
    - Forms: integer and decimal fields are text inputs that take Persian, Arabic-Indic and
      Latin digits, with Persian messages.
    - Messages, the page links and counts of the list in Persian digits.
    """

    def get_changelist(self, request, **kwargs):
        return PersianChangeList

    def get_list_display(self, request):
        return [self._persian_column(name) for name in super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if not links:  # None (no links) or the default, already built from list_display
            return links
        return [self._persian_column(name) for name in links]

    def get_sortable_by(self, request):
        if self.sortable_by is None:
            return super().get_sortable_by(request)
        return [self._persian_column(name) for name in self.sortable_by]

    def _persian_column(self, name):
        # One column object per name, so the link and sorting lists find the same one as the
        # list of columns does.
        columns = self.__dict__.setdefault("_persian_columns", {})
        if name not in columns:
            columns[name] = self._make_persian_column(name)
        return columns[name]

    def _make_persian_column(self, name):
        if not isinstance(name, str):
            return _wrapped_column(name, name.__name__, name)
        if name in ("action_checkbox", "__str__") or name in self.list_editable:
            return name
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            method = getattr(self, name, None)
            return _wrapped_column(method, name, method) if callable(method) else name
        if field.is_relation or field.choices or not field.concrete:
            return name
        if isinstance(field, models.BooleanField):
            return _boolean_column(lambda obj: getattr(obj, field.attname), name, field)
        if not isinstance(field, (*NUMBER_FIELDS, models.DateField)):
            return name

        def column(obj):
            return shown_value(getattr(obj, field.attname), field)

        return _described(column, name, field)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.choices or db_field.is_relation:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.IntegerField | models.DecimalField):
            wide = isinstance(db_field, models.BigIntegerField)
            kwargs.setdefault(
                "widget",
                PersianNumberInput(
                    attrs={"class": _input_class(wide)}, grouped=not names_something(db_field)
                ),
            )
            if isinstance(db_field, models.DecimalField):
                return db_field.formfield(form_class=PersianDecimalField, **kwargs)
            return db_field.formfield(form_class=PersianIntegerField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def message_user(self, request, message, *args, **kwargs):
        # Django's own messages count with Latin digits («2 خدمت با موفقیت تغییر کرد»).
        super().message_user(request, digits_outside_tags(message), *args, **kwargs)

    def get_deleted_objects(self, objs, request):
        # The rows of many-to-many tables (an article's link to an agency) go with the row that
        # is deleted and name nothing a person would miss; Django lists them in English
        # («Article_agencies object (43)»), so the summary leaves them out.
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = _link_tables()
        counts = {name: n for name, n in counts.items() if str(name) not in links.values()}
        prefixes = tuple(f"{capfirst(name)}: " for name in links)
        return _without_links(to_delete, prefixes), counts, perms_needed, protected

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context:
            # «۰ از ۲۵ انتخاب شده»; static/js/admin.js keeps it Persian as boxes are ticked.
            for key in ("selection_note", "selection_note_all"):
                if key in context:
                    context[key] = to_persian_digits(context[key])
        return response


def _link_tables() -> dict[str, str]:
    """The singular and plural names of the many-to-many tables Django makes itself."""
    return {
        str(model._meta.verbose_name): str(model._meta.verbose_name_plural)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    }


def _without_links(items: list, prefixes: tuple[str, ...]) -> list:
    """The nested list of a delete page without the entries of link rows (and their
    sub-lists, which they never have)."""
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without_links(item, prefixes))
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return [item for item in kept if item != []]


def model_label(model) -> str:
    """A model's name for people: django-simple-history's tables are «تاریخچهٔ …» (its own
    name is «historical …»), a many-to-many table is named after its owner and field."""
    instance = getattr(model, "instance_type", None)
    if instance is not None and getattr(model, "history_id", None) is not None:
        return f"تاریخچهٔ {model_label(instance)}"
    owner = model._meta.auto_created
    if owner:
        field = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
        return f"{owner._meta.verbose_name}: {field.verbose_name}"
    return str(model._meta.verbose_name)


PERMISSION_ACTIONS = {"add": "افزودن", "change": "ویرایش", "delete": "حذف", "view": "دیدن"}


def permission_label(permission) -> str:
    """A permission as the user and group forms list it: «اخبار | ویرایش خبر». Django stores
    the four default permissions' names in English («Can change article»); the program's own
    are named in Persian and kept."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        what = f"{PERMISSION_ACTIONS[action]} {model_label(model)}"
    else:
        what = permission.name
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:  # a permission left by an app no longer installed
        app = content_type.app_label
    return f"{app} | {what}"


def _wrapped_column(source, name, described):
    """A column showing what *source* (an admin method or a callable) returns, in Persian."""
    if getattr(described, "boolean", False):
        return _boolean_column(source, name, described)

    def column(obj):
        return shown_value(source(obj))

    return _described(column, name, described)


def _described(column, name: str, described):
    """*column* titled and sorted as *described*, a model field or an admin method (or
    callable), and named *name* (the cells keep their class, «field-cost_rials»)."""
    column.__name__ = name
    if isinstance(described, models.Field):
        column.short_description = described.verbose_name
        column.admin_order_field = name
        return column
    for attribute in ("short_description", "admin_order_field", "empty_value_display"):
        if hasattr(described, attribute):
            setattr(column, attribute, getattr(described, attribute))
    return column


YES_NO_ICONS = {
    True: ("admin/img/icon-yes.svg", "بله"),
    False: ("admin/img/icon-no.svg", "خیر"),
    None: ("admin/img/icon-unknown.svg", "نامعلوم"),
}


def yes_no_icon(value: bool | None) -> SafeString:
    """The admin's yes/no icon, whose text for screen readers is Persian (Django's own writes
    the value: «True», «False»). An admin method showing yes or no returns it, so that the
    change list and the read-only field of a form both show it; model fields and methods marked
    ``boolean`` get it in the change list by themselves."""
    icon, text = YES_NO_ICONS[None if value is None else bool(value)]
    return format_html('<img src="{}" alt="{}">', static(icon), text)


def _boolean_column(source, name, described):
    """A yes/no column: *source*'s value as :func:`yes_no_icon`, titled and sorted as
    *described* (a model field or an admin method marked ``boolean``)."""

    def column(obj):
        return yes_no_icon(source(obj))

    return _described(column, name, described)


def _input_class(wide: bool) -> str:
    # The admin's own widths for number inputs, now that they are text inputs.
    return "vBigIntegerField" if wide else "vIntegerField"


def digits_outside_tags(message):
    """*message* with Persian digits in its text but not inside its HTML tags, whose links
    (``/admin/agencies/house/12/change/``) must keep the digits the URL has."""
    if not isinstance(message, SafeString):
        return to_persian_digits(message)
    parts = str(message).split("<")
    head, rest = parts[0], parts[1:]
    out = [to_persian_digits(head)]
    for part in rest:
        tag, _, text = part.partition(">")
        out.append(f"<{tag}>{to_persian_digits(text)}")
    return mark_safe("".join(out))  # noqa: S308 - only digits of already-safe text changed


class PersianModelAdmin(PersianAdminMixin, admin.ModelAdmin):
    """A ModelAdmin in Persian (see :class:`PersianAdminMixin`)."""


# --- History pages ------------------------------------------------------------------------


def history_value_text(value, field) -> str:
    """One side of a change on the history page («۱۲ → ۱۵», «۹ مهر ۱۴۰۴»), never «None»."""
    if isinstance(value, DeletedObject):
        return f"{value.model._meta.verbose_name} حذف‌شده (شمارهٔ {to_persian_digits(value.pk)})"
    if value is None or value == "":
        return "—"
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value, "long")
    if _is_number(value):
        return number_text(value, field)
    return str(value)


class PersianDiffDisplay(ObjDiffDisplay):
    def shortened_str(self, prefix: str, num_skipped_chars: int, suffix: str) -> str:
        return f"{prefix} […{to_persian_digits(num_skipped_chars)} نویسه…] {suffix}"


class PersianHistoryContextHelper(HistoricalRecordContextHelper):
    """The changes column of simple-history's page: field names, Jalali dates, Persian
    numbers, the labels of choices and «—» for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            related = super().prepare_delta_change_value(change, value)
            return "، ".join(history_value_text(item, None) for item in related) or "—"
        return history_value_text(value, field)

    def get_obj_diff_display(self):
        return PersianDiffDisplay(max_length=self.max_displayed_delta_change_chars)


class PersianHistoryAdmin(PersianAdminMixin, SimpleHistoryAdmin):
    """django-simple-history's admin in Persian: its pages are templates/simple_history/."""

    def get_historical_record_context_helper(self, request, historical_record):
        return PersianHistoryContextHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return f"تاریخچهٔ تغییرهای «{obj}»"

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return f"نسخهٔ پیشین «{obj}»"
        return f"بازگرداندن «{obj}» به نسخهٔ پیشین"


# --- Date and value filters ---------------------------------------------------------------


class JalaliDateListFilter(DateFieldListFilter):
    """The list filter of every date and datetime field: today, the last seven days, this Jalali
    month and this Jalali year (Farvardin to Esfand), in Tehran's day.

    It keeps Django's parameters (``<field>__gte`` and ``<field>__lt``), so only the bounds
    of the links change; a datetime's bounds are Tehran's midnights.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        today = timezone.localdate()
        j = to_jalali(today)
        month, year = Period.of_month(j.year, j.month), Period.of_year(j.year)

        def bounds(first: dt.date, last: dt.date) -> dict:
            since, until = first, last + dt.timedelta(days=1)
            if isinstance(field, models.DateTimeField):
                since, until = _midnight(since), _midnight(until)
            return {self.lookup_kwarg_since: since, self.lookup_kwarg_until: until}

        self.links = (
            ("هر زمانی", {}),
            ("امروز", bounds(today, today)),
            ("هفت روز گذشته", bounds(today - dt.timedelta(days=6), today)),
            (
                f"این ماه ({PERSIAN_MONTHS[j.month - 1]})",
                bounds(month.first_day(), month.last_day()),
            ),
            (f"امسال ({to_persian_digits(j.year)})", bounds(year.first_day(), year.last_day())),
        )
        if field.null:
            self.links += (
                ("بی‌تاریخ", {self.lookup_kwarg_isnull: True}),
                ("تاریخ‌دار", {self.lookup_kwarg_isnull: False}),
            )

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": to_persian_digits(choice["display"])}  # facet counts


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class PersianValuesListFilter(AllValuesFieldListFilter):
    """The filter listing a number field's values (years, counts), in Persian digits."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": to_persian_digits(choice["display"])}


# Ahead of Django's own filters, for every admin: Django picks the first whose test passes.
admin.FieldListFilter.register(
    lambda f: isinstance(f, models.DateField), JalaliDateListFilter, take_priority=True
)
admin.FieldListFilter.register(
    lambda f: isinstance(f, NUMBER_FIELDS) and not f.choices and not f.is_relation,
    PersianValuesListFilter,
    take_priority=True,
)
