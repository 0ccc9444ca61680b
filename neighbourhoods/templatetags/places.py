"""Template helpers of the place pages: money in millions of Rials, and import report cells.

Usage: ``{% load places %}`` then ``{{ total.cost|million_rials }}``.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from core.digits import format_number

register = template.Library()

_MILLION = Decimal(1_000_000)


@register.filter(is_safe=True)
def million_rials(value):
    """Rials as millions with Persian digits: ``1250500000`` → ``۱٬۲۵۰٫۵``.

    One decimal is kept so small sums do not vanish; a sum under a tenth of a million shows
    as «کمتر از ۰٫۱» rather than a misleading zero. Not a number gives ``''``.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        millions = (Decimal(value) / _MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (TypeError, ValueError, ArithmeticError):
        return ""
    if millions == 0 and Decimal(value) > 0:
        return "کمتر از " + format_number(Decimal("0.1"))
    if millions == millions.to_integral_value():
        return format_number(int(millions))
    return format_number(millions)


@register.filter
def get_cell(cells: dict, field: str):
    """A cell of an import report row by its column's field: ``{{ row.cells|get_cell:"code" }}``."""
    return cells.get(field, "")
