"""``in`` on an integer column leaves out the numbers the column cannot hold.

Django answers ``pk=2**63`` with no rows (``IntegerFieldOverflow``) but hands ``pk__in=[2**63]``
to the database as it is, and SQLite's driver refuses to bind a number past 64 bits
(``OverflowError``: a 500). A form's list of ticked rows (``ModelMultipleChoiceField``) asks
exactly that with whatever was sent, as does a view's ``pk__in`` over row numbers from a POST.
A number outside the column's range equals no row, so it is dropped, as Django drops None.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value, low, high) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)
