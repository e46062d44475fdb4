"""The case study's "Why this cluster" section: the cluster's scores, read back from the PDF."""

import dataclasses
import io

import pytest
from pypdf import PdfReader

from mapping import selectors
from reports.builder import build_case_study
from reports.casestudy import ScoreLine, WhyThisCluster
from reports.gather import gather_case_study
from tests import factories as f
from tests.reports.sample import sample_case_study

pytestmark = pytest.mark.django_db


def _text(pdf):
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_gatherer_reads_the_clusters_scores_from_mapping(world):
    job = f.ReportJobFactory.build(cluster=world.cluster_a, requested_by=world.users["manager"], language="es")
    why = gather_case_study(job).why
    ranked = {row.cluster_id: row.rank for row in selectors.prioritisation(world.dataset).rows}
    assert (why.rank, why.of, why.dataset) == (ranked[world.cluster_a.pk], 2, "Empleo por departamento (prueba)")
    assert round(why.location_quotient, 2) == 2.51 and why.stars == 2
    assert "Crecimiento del empleo" in [line.label for line in why.criteria]


def test_the_pdf_says_why_this_cluster_with_its_scores():
    why = WhyThisCluster(
        dataset="Empleo ilustrativo",
        source="Generado",
        illustrative=True,
        first_year=2019,
        last_year=2023,
        rank=2,
        of=10,
        score=0.6123,
        kept=11,
        scenarios=14,
        step=0.2,
        location_quotient=5.72,
        stars=3,
        criteria=[ScoreLine("Empleo", 3440.0, 0.81, 25.0), ScoreLine("Territorios competidores", 1.0, 0.9, 10.0, True)],
    )
    text = _text(build_case_study(dataclasses.replace(sample_case_study("es"), why=why)).pdf)
    assert "Por qué este clúster" in text
    assert "Puesto 2 de 10 clústeres registrados (puntaje 0.612)" in text
    assert "mantiene su puesto en 11 de 14 escenarios" in text
    assert "Datos ilustrativos" in text and "5.72" in text and "3,440" in text
    assert "Territorios competidores (menos es mejor)" in text


def test_without_economic_data_the_pdf_has_no_such_section():
    text = _text(build_case_study(sample_case_study("es")).pdf)
    assert "Por qué este clúster" not in text
