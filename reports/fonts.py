"""The fonts every PDF report is set in: DejaVu Sans, embedded, with Noto fallbacks for emoji and symbols.

ReportLab's 14 standard fonts speak Windows-1252 only, so a Quechua apostrophe (U+02BC), a Greek letter or an
emoji typed by a respondent would not print. The reports embed TrueType fonts from PyPI packages pinned
in uv.lock instead (no system font is read, so a fresh machine prints the same):

- DejaVu Sans (regular, bold, oblique, bold oblique) from ``rinoh-typeface-dejavusans`` — only its
  .ttf files are read; the package itself (which needs the rinohtype typesetter) is never imported;
- Noto Emoji and Noto Sans Symbols from ``manimgx-fonts``, for the characters DejaVu lacks.

``register()`` is idempotent and cheap after the first call. ``runs()`` splits text into pieces that one
font can draw, so that paragraphs (``reports.formatting.markup``) and chart labels
(``reports.charts``) fall back character by character.
"""

import importlib.util
import struct
import threading
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans-Family"
EMOJI = "NotoEmoji"
SYMBOLS = "NotoSansSymbols"

# (font name, package, file name)
_FILES = [
    (REGULAR, "rinoh_typeface_dejavusans", "DejaVuSans.ttf"),
    (BOLD, "rinoh_typeface_dejavusans", "DejaVuSans-Bold.ttf"),
    (OBLIQUE, "rinoh_typeface_dejavusans", "DejaVuSans-Oblique.ttf"),
    (BOLD_OBLIQUE, "rinoh_typeface_dejavusans", "DejaVuSans-BoldOblique.ttf"),
    (EMOJI, "manimgx_fonts", "NotoEmoji[wght].ttf"),
    (SYMBOLS, "manimgx_fonts", "NotoSansSymbols[wght].ttf"),
]
# Tried in this order for a character the text's own font cannot draw.
FALLBACKS = (EMOJI, SYMBOLS)

_lock = threading.Lock()


def _package_folder(package: str) -> Path:
    # find_spec locates the package without running its __init__ (which would import rinohtype).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            f"The PDF reports need the fonts of the Python package {package!r}, which is not installed. "
            "Run `make install` (uv sync --locked) to install the project's dependencies."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def font_path(name: str) -> Path:
    """The .ttf file of one of the report fonts (ImproperlyConfigured, saying what to do, if it is missing)."""
    for font, package, filename in _FILES:
        if font == name:
            path = _package_folder(package) / filename
            if not path.is_file():
                raise ImproperlyConfigured(
                    f"The PDF font file {filename} is missing from the package {package!r}. "
                    "Reinstall the project's dependencies with `make install`."
                )
            return path
    raise KeyError(name)


def register() -> None:
    """Register the report fonts with ReportLab (once per process)."""
    if _registered():
        return
    with _lock:
        if _registered():
            return
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        for name, _package, _filename in _FILES:
            pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE)
        # <b> and <i> inside a paragraph set in DejaVu Sans pick the right face.
        for name in (REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE):
            pdfmetrics.registerFontFamily(name, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE)
        _registered.done = True


def _registered() -> bool:
    return getattr(_registered, "done", False)


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap, but with characters beyond U+FFFF written as UTF-16 pairs.

    ReportLab 5 writes ``<%04X>`` of the code point, which for an emoji (U+1F999) gives five hex digits
    that PDF readers misread: copying or searching the text then finds another character. For every
    character of the Basic Multilingual Plane the output is byte for byte ReportLab's own.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{code:02X}> <{_utf16_hex(value)}>" for code, value in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _utf16_hex(value: int) -> str:
    if value <= 0xFFFF:
        return f"{value:04X}"
    encoded = chr(value).encode("utf-16-be")
    return "".join(f"{unit:04X}" for unit in struct.unpack(f">{len(encoded) // 2}H", encoded))


@cache
def _glyphs(font: str) -> frozenset:
    register()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def can_draw(font: str, char: str) -> bool:
    return ord(char) in _glyphs(font)


def font_for(char: str, font: str) -> str:
    """The font that draws ``char``: ``font`` itself when it can, else the first fallback that can, else
    ``font`` (which then shows its "missing glyph" box, but the text still reads right when copied)."""
    if char.isspace() or can_draw(font, char):
        return font
    for fallback in FALLBACKS:
        if can_draw(fallback, char):
            return fallback
    return font


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into (font, piece) runs, each piece drawable by its font."""
    if not needs_fallback(text, font):
        return [(font, text)] if text else []
    pieces: list[tuple[str, str]] = []
    for char in text:
        chosen = font_for(char, font)
        if pieces and pieces[-1][0] == chosen:
            pieces[-1] = (chosen, pieces[-1][1] + char)
        else:
            pieces.append((chosen, char))
    return pieces


def needs_fallback(text: str, font: str) -> bool:
    """Whether ``text`` has a character that ``font`` cannot draw (a set difference: quick on long text)."""
    missing = set(map(ord, text)) - _glyphs(font)
    return any(not chr(code).isspace() for code in missing)
