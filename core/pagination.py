"""Pagination that forgives the page number a person or an old link brings."""


class ForgivingPaginationMixin:
    """For a ListView: a page number that is not a number shows the first page, and one past
    the end shows the last page, instead of a 404 (Paginator.get_page does the choosing)."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
