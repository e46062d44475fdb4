"""Paginators that count less: one whose count stops at a bound, so that a list of 100,000 rows costs what one of
10,000 does, and one told its count by a query the page makes anyway."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """Counts at most ``limit`` + 1 rows. Past the bound, ``truncated`` is true and the page says
    "more than" instead of an exact figure; the pages up to the bound work as usual."""

    limit = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @property
    def truncated(self):
        return self.count > self.limit


class CountedPaginator(Paginator):
    """A paginator told its ``count``, already counted over the same rows by a query the page makes anyway (the
    portfolio's totals): no second count of them."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # Paginator.count is a cached_property: this is its value
