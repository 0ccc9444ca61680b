"""The page numbers a list shows: first, last, and a few around the current page."""

from django import template

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj, on_each_side=1, on_ends=1):
    """Page numbers with Paginator.ELLIPSIS where a run is left out (for includes/pagination)."""
    return page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    )
