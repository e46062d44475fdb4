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
