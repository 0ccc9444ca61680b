"""Admin pieces every app uses: Jalali date entry, and telling the page cache about edits."""

from django.db import models

from core.caching import public_content_changed
from core.forms import JalaliDateField


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
