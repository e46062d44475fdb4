"""Spreadsheet safety shared by every CSV and XLSX export (actors, interviews, indicators).

A cell that starts with = + - @ (or a tab/carriage return) is run as a formula by
Excel and LibreOffice: a respondent's answer like ``=HYPERLINK("http://evil", "x")``
would become a live link. Such text is prefixed with an apostrophe, which
spreadsheet programs show as plain text. Numbers, dates and booleans pass unchanged.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, neutralised if it is text that a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
