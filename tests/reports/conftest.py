"""Report tests write their PDFs to a private folder per test, never to the developer's var/media."""

import io
import os
import shutil
import subprocess

import pypdf
import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text as pdftotext lays it out, whitespace collapsed; where poppler-utils is not installed,
    as pypdf lays it out (its layout mode keeps a chart's rows as rows too), so that the tests still read the
    PDF. CASEBOOK_PDF_READER=pypdf chooses pypdf even where pdftotext is installed."""
    if shutil.which("pdftotext") is None or os.environ.get("CASEBOOK_PDF_READER") == "pypdf":
        return pypdf_pages(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [" ".join(page.split()) for page in result.stdout.decode("utf-8").split("\f") if page.strip()]


def pypdf_pages(pdf: bytes) -> list[str]:
    """pypdf's layout mode, which keeps a chart's rows as rows like pdftotext; it drops a second piece of text
    on a line that already has one (the footer's "Page 2 of 13"), so lines that only its plain mode reads are
    added at the end of the page, where pdftotext puts the footer too."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        text = " ".join(page.extract_text(extraction_mode="layout").split())
        for line in page.extract_text().splitlines():
            line = " ".join(line.split())
            if line and line not in text:
                text = f"{text} {line}"
        if text:
            pages.append(text)
    return pages


def pdf_metadata(pdf: bytes):
    return pypdf.PdfReader(io.BytesIO(pdf)).metadata


def qpdf_check(pdf: bytes, tmp_path):
    """Run `qpdf --check` on the bytes, or skip with the reason when qpdf is not installed."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (apt-get install qpdf): structural PDF check skipped")
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def orphan_headings(pdf: bytes) -> list:
    """(page, text) of every page after the contents whose lowest line of body text is a heading (bold,
    12 pt or more): a heading left at the foot of a page, away from what it introduces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[0].mediabox.height)
    found = []
    for number, page in enumerate(reader.pages[2:], start=3):
        lines = []

        def visit(text, cm, tm, font, size, lines=lines):
            if not text.strip() or font is None:
                return
            y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5]
            lines.append((y, str(font.get("/BaseFont", "")), tm[0] * size if tm[0] else size, text))

        page.extract_text(visitor_text=visit)
        body = [line for line in lines if 80 < line[0] < height - 80]
        if body:
            lowest = min(body, key=lambda line: line[0])
            if "Bold" in lowest[1] and lowest[2] >= 12:
                found.append((number, lowest[3]))
    return found
