"""Report tests write their PDFs to a private folder per test, never to the developer's var/media."""

import io
import shutil
import subprocess

import pypdf
import pytest

from tests.conftest import require_tool


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text as pdftotext lays it out, whitespace collapsed (the test skips, saying so,
    where poppler-utils is not installed; CI installs it)."""
    require_tool("pdftotext", "poppler-utils")
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [" ".join(page.split()) for page in result.stdout.decode("utf-8").split("\f") if page.strip()]


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
