"""The tests read the PDF's text on any machine: with poppler's pdftotext where it is installed, else with pypdf."""

import shutil

from reports.builder import build_case_study
from tests.reports.conftest import pdf_pages
from tests.reports.sample import sample_case_study


def test_the_case_study_is_read_back_without_poppler(monkeypatch):
    data = sample_case_study("es")
    built = build_case_study(data)
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)  # no pdftotext on this machine
    pages = pdf_pages(built.pdf)
    assert len(pages) == built.page_count
    assert "Estudio de caso" in pages[0]
    assert "1. Resumen ejecutivo" in pages[1]
    # The footer's two pieces on one line (who publishes it, the date), and a chart's rows as rows.
    assert (
        f"{data.programme.institution} · 30 de julio de 2025" in pages[1]
        and f"Página 2 de {built.page_count}" in pages[1]
    )
    assert "Industria textil de Arequipa 8 (44%)" in " ".join(pages)
