"""A paginator whose count stops at a bound, so that a list of 100,000 rows costs what one of 10,000 does."""

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
