"""Addresses of many objects of one kind, for list pages."""

from django.urls import reverse

# Digits match both the int and the slug converters, and no address of the site contains them.
_MARKER = "987654321987654321"


def address_maker(view_name):
    """A function from one URL argument (a pk or a slug) to the view's address, reversing only once.

    A list page links every row; reverse() per row cost more than the rest of the row's work.
    """
    address = reverse(view_name, args=[_MARKER])
    before, after = address.split(_MARKER)

    def address_of(value):
        return f"{before}{value}{after}"

    return address_of
