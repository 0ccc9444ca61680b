"""Pagination that forgives the page number a person or an old link brings, and pages of very
long lists that cost the same at any length."""

from functools import cached_property

from django.core.paginator import Paginator


class ForgivingPaginationMixin:
    """For a ListView: a page number that is not a number shows the first page, and one past
    the end shows the last page, instead of a 404 (Paginator.get_page does the choosing)."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class BoundedPaginator(Paginator):
    """Pages of a list that may hold a million rows, at a cost that does not grow with it.

    It counts at most ``limit`` rows (``SELECT count(*) FROM (… LIMIT limit + 1)``) and offers
    no page past them, so no page makes the database skip more than ``limit`` rows; the page
    says there are more (``capped``) and the list's filters narrow it down. A page is read by
    its ids first, in the list's order (an index scan of the ids alone), and then those rows
    with their joins, instead of joining every row the offset skips.
    """

    limit = 10_000

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def capped(self) -> bool:
        """Whether the list holds more rows than its pages reach."""
        return self._counted > self.limit

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
