"""Cursor pagination: a page costs the same on the first page and the ten-thousandth, and rows added
while a client walks the list never make it skip or repeat one."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
