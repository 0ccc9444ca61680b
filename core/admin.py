"""Admin pieces every app uses: Jalali date entry in place of the Gregorian calendar widget."""

from django.db import models

from core.forms import JalaliDateField


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
