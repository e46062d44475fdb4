"""Names in the order of a Spanish dictionary, sorted by the database on SQLite as on PostgreSQL.

By code point, "Áncash" came after "Ucayali" and "Cámara" after "Cooperativa". PostgreSQL sorts with the
ICU collation "es-PE-x-icu", which initdb creates wherever PostgreSQL is built with ICU (Debian's and
Ubuntu's packages, the official images, the managed services); SQLite gets a collation of the same name,
registered on each connection, that follows the same rules for what this site stores: letters without their
accents first, "ñ" as its own letter after "n", then accents, then case.
"""

import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

SPANISH = "es-PE-x-icu"
_TILDE = "\u0303"


def spanish(field_name):
    """An expression that orders by ``field_name`` in Spanish: ``.order_by(spanish("name"), "pk")``;
    ``spanish("name").desc()`` for the other way."""
    return Collate(F(field_name), SPANISH)


def _primary(text):
    letters = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char == _TILDE and letters and letters[-1] == "n":
            letters[-1] = "n\U0010ffff"  # ñ: after every n..., before o
        elif not unicodedata.combining(char):
            letters.append(char)
    return "".join(letters)


def sort_key(text):
    """The key that sorts names as the collation does (for the few lists ordered in Python, e.g. ties)."""
    text = text or ""
    return (_primary(text), unicodedata.normalize("NFD", text.casefold()), text)


def compare(left, right):
    """SQLite's collation function: negative, zero or positive as ``left`` sorts before, with or after ``right``."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def install_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: SQLite learns the collation PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SPANISH, compare)
