"""The case-study PDF, read back as a reader (pdftotext) and as a machine (pypdf, qpdf) would.

No test here has the ``db`` fixture: pytest-django refuses database access, so these builds prove
that the builder is a pure function of its data.
"""

import dataclasses
import datetime
import io
import random
import re
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext

from reports.builder import build_case_study
from reports.casestudy import (
    ActorSummary,
    Methodology,
    NetworkEdge,
    NetworkNode,
    summarise_network,
)
from reports.charts import MAX_DRAWN_NODES
from tests.conftest import require_tool
from tests.reports.conftest import pdf_pages
from tests.reports.sample import sample_case_study

SECTION_HEADINGS = [
    "Executive summary",
    "Diagnosis, lessons and recommendations",
    "Cluster profile",
    "The actors",
    "The network of relationships",
    "What the interviews say",
    "Interventions and their results",
    "Latest evaluation",
    "Annexes",
]


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page as pdftotext (or, without poppler, pypdf) lays it out, whitespace collapsed."""
    return pdf_pages(pdf)


def translated(language, msgid, **values):
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


def page_with(pages, heading):
    """The first page after the contents whose text has the numbered section heading."""
    return next(page for page in pages[2:] if translated("es", heading) in page)


@pytest.fixture(scope="module")
def sample():
    return sample_case_study("es")


@pytest.fixture(scope="module")
def built(sample):
    return build_case_study(sample)


@pytest.fixture(scope="module")
def pages(built):
    return pdf_text(built.pdf)


@pytest.fixture(scope="module")
def text(pages):
    return " ".join(pages)


def test_page_count_is_what_pypdf_and_pdftotext_count(built, pages):
    reader = pypdf.PdfReader(io.BytesIO(built.pdf))
    assert built.pdf.startswith(b"%PDF-")
    assert built.page_count == len(reader.pages) == len(pages)
    assert built.page_count >= 10


def test_cover_shows_cluster_subtitle_period_date_and_author(pages):
    cover = pages[0]
    assert "Clúster de Fibra de Camélidos de Puno y Arequipa" in cover
    assert translated("es", "Case study") in cover
    assert "1 de enero de 2025" in cover
    assert "30 de junio de 2025" in cover
    assert "30 de julio de 2025" in cover
    assert "Ana Ñahui Torres" in cover
    assert "Page" not in cover and translated("es", "Page %(page)s of %(pages)s", page=1, pages=1) not in cover


def test_every_page_after_the_cover_has_the_running_header_and_page_n_of_m(built, pages):
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith("Clúster de Fibra de Camélidos de Puno y Arequipa"), number
        expected = translated("es", "Page %(page)s of %(pages)s", page=number, pages=built.page_count)
        assert expected in page


def test_contents_list_every_section_with_its_page(pages):
    contents = pages[1]
    assert translated("es", "Contents") in contents
    for number, heading in enumerate(SECTION_HEADINGS, start=1):
        title = f"{number}. {translated('es', heading)}"
        assert title in contents
        listed_page = int(re.search(re.escape(title) + r"[ .]*?(\d+)", contents).group(1))
        assert title in pages[listed_page - 1]


def test_outline_has_an_entry_per_section(built):
    reader = pypdf.PdfReader(io.BytesIO(built.pdf))
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level == [f"{n}. {translated('es', heading)}" for n, heading in enumerate(SECTION_HEADINGS, 1)]


def test_executive_summary_gives_the_key_numbers(pages):
    summary = " ".join(pages[2:4])
    # The tiles: three numbers on a row, their labels on the row below.
    assert (
        "15 31 18 "
        + " ".join(
            translated("es", label) for label in ("Actors in the cluster", "Ties between actors", "Interviews analysed")
        )
        in summary
    )
    assert "S/ 1,570,000.00" in summary  # 850,000 + 300,000 + 420,000 planned
    assert "S/ 949,140.50" in summary  # 512,340.50 + 0 + 436,800 executed; the cancelled one apart
    # Every risk rated serious or to watch, with its rating.
    for risk in ("Exposure to global sector trends", "Discontinuity across governments", "Weak public coordination"):
        assert translated("es", risk) in summary


def test_the_summary_gives_three_to_five_findings_the_clearest_first(sample, pages):
    summary = " ".join(pages[2:4])
    start = summary.index(translated("es", "Key findings"))
    end = summary.index(translated("es", "Risks to watch"))
    findings = summary[start:end].count("•")
    assert 3 <= findings <= 5
    # "Acceso a financiamiento", 12 of 18, is the largest share of any single answer in the sample.
    assert "Acceso a financiamiento (12 de 18 respuestas, 67%)" in summary[start:end]


def test_the_coordinators_diagnosis_is_set_with_its_bullets(sample, text):
    assert translated("es", "Strengths") in text
    assert "• Cooperativas que ya acopian y clasifican fibra." in text
    assert "• Firmar contratos de compra por adelantado con las hilanderías." in text
    assert sample.edition.lessons in text


def test_headline_figures_show_value_year_and_source_and_their_history(text):
    assert "612,400,000 2023" in text  # the label carries the unit: "Ventas anuales (S/)"
    assert "SUNAT, declaraciones juradas anuales" in text
    assert "4.8 2022 INEI, PBI por departamentos" in text
    assert translated("es", "Headline figures over the years") in text
    assert "2019 2020 2021 2022 2023 2024" in text and "1,105 — 1,180 — 1,240 —" in text


def test_actor_charts_label_kinds_and_sizes_with_counts_and_shares(text):
    assert translated("es", "By kind of organisation") in text
    assert "4 (27%)" in text  # four firms of fifteen actors
    # Size applies to the 8 firms only (firms, suppliers, buyers): shares over 8, not over 15.
    assert "Micro (hasta 150 UIT) 4 (50%)" in text
    assert "Sin tamaño registrado" not in text


def test_network_section_numbers_every_actor_with_a_key_and_prints_the_density_it_defines(sample, built, text):
    for node in sample.network.nodes:
        assert node.name[:20] in text
    for kind_label in {node.kind_label for node in sample.network.nodes}:
        assert kind_label in text
    # 31 ordered pairs linked of 15 x 14 = 210 possible: the figure and its definition agree.
    assert "31 (14.8%)" in text
    assert (
        translated("es", "Density: ordered pairs of actors linked, of the %(possible)s possible", possible=210) in text
    )
    reader = pypdf.PdfReader(io.BytesIO(built.pdf))
    number = next(
        n for n, page in enumerate(reader.pages) if n > 1 and "Cada círculo es un actor" in page.extract_text()
    )
    content = reader.pages[number].get_contents().get_data()
    assert content.count(b" c\n") >= 4 * len(sample.network.nodes)  # each circle is four Bézier curves


def test_findings_print_sample_size_dates_shares_and_quotes(text):
    assert "18 entrevistas (del 10 de marzo de 2025 al 28 de junio de 2025)" in text
    assert "Industria textil de Arequipa 8 (44%)" in text
    assert "17 entrevistas respondieron." in text  # the scale question
    assert "n = " not in text
    assert translated("es", "Several answers were allowed, so the shares add up to more than 100%.") in text
    mean, median = translated("es", "Mean"), translated("es", "Median")
    assert f"{mean} 12.85" in text and f"{median} 12.5" in text  # decimal question, strip labels
    assert "“Necesitamos asistencia técnica en sanidad animal durante las heladas, sobre todo en Ñuñoa" in text
    assert "— 5 de 14 respuestas" in text  # the most said answer first, with how many said it


def test_indicators_show_progress_exceeded_target_and_missing_measurement(text):
    assert "58%" in text  # (87 - 42) / (120 - 42)
    assert "65%" in text  # decreasing indicator: (11.5 - 18) / (8 - 18)
    assert "138%" in text
    assert translated("es", "Target exceeded") in text
    assert translated("es", "No measurement yet") in text


def test_evaluation_spells_out_the_level_of_every_risk(sample, built):
    # Reading order (not layout) keeps a wrapped cell's words together ("En observación").
    reader = pypdf.PdfReader(io.BytesIO(built.pdf))
    heading = translated("es", "Latest evaluation")
    texts = [" ".join(page.extract_text().split()) for page in reader.pages[2:]]
    evaluation = next(text for text in texts if heading in text)
    for line in sample.evaluation.ratings:
        assert line.risk.split()[0] in evaluation
    for level in ("no_risk", "watch", "serious"):
        rated = [line for line in sample.evaluation.ratings if line.level == level]
        # Once in each rated row, once in the tally above the table.
        assert evaluation.count(rated[0].level_label) == len(rated) + 1


def test_metadata_names_title_author_subject_language_and_creator(built):
    reader = pypdf.PdfReader(io.BytesIO(built.pdf))
    info = reader.metadata
    assert info.title == "Clúster de Fibra de Camélidos de Puno y Arequipa — " + translated("es", "Case study")
    assert info.author == "Ana Ñahui Torres"
    assert "Clúster de Fibra de Camélidos" in info.subject
    assert info.creator == "Cluster Casebook"
    assert reader.trailer["/Root"]["/Lang"] == "es-PE"
    assert info.creation_date == datetime.datetime(2025, 7, 30, 5, 0, tzinfo=ZoneInfo("America/Lima"))


def test_spanish_accents_and_enye_extract_as_written(text):
    for word in ("Camélidos", "Ñuñoa", "Núñez", "vínculos", "¿Cuál", "técnica", "año"):
        assert word in text


def test_qpdf_finds_no_structural_error(built, tmp_path):
    require_tool("qpdf", "qpdf")
    path = tmp_path / "case-study.pdf"
    path.write_bytes(built.pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_font_is_embedded_and_none_is_a_standard_one(built, tmp_path):
    require_tool("pdffonts", "poppler-utils")
    path = tmp_path / "case-study.pdf"
    path.write_bytes(built.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = fonts.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in lines}
    assert names == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}
    assert all(" yes yes yes " in line for line in lines)  # embedded, subset, with a Unicode map


def test_progress_is_reported_in_rising_steps_up_to_100(sample):
    seen = []
    build_case_study(sample, on_progress=seen.append)
    assert seen == sorted(set(seen))
    assert seen[-1] == 100
    assert len(seen) >= 5


def test_the_same_data_gives_the_same_bytes(sample, built):
    assert build_case_study(sample).pdf == built.pdf


def test_a_cluster_with_nothing_recorded_yet_builds_with_explanations():
    data = dataclasses.replace(
        sample_case_study("es"),
        cluster=dataclasses.replace(sample_case_study("es").cluster, figures=[], description=""),
        actors=ActorSummary(total=0, by_kind=[], by_size=[], by_role=[]),
        network=summarise_network([], []),
        findings=None,
        interventions=[],
        evaluation=None,
        methodology=Methodology(questionnaire="", version=None, interviews_by_status=[]),
        period_start=None,
        period_end=None,
    )
    built = build_case_study(data)
    text = " ".join(pdf_text(built.pdf))
    for sentence in (
        "No headline figures have been recorded for this cluster.",
        "No actors have been registered as members of this cluster yet.",
        "No relationships between actors have been recorded yet.",
        "No interview in the period meets the report's criteria, so there are no findings.",
        "No intervention has been registered for this cluster yet.",
        "The cluster has not been evaluated against the programme's risks yet.",
        "No interviews were recorded in the period.",
    ):
        assert translated("es", sentence) in text
    assert translated("es", "all records to date") in text
    assert built.page_count == len(pypdf.PdfReader(io.BytesIO(built.pdf)).pages)


def test_a_300_actor_network_builds_and_says_how_much_of_it_is_drawn():
    rng = random.Random(3)
    kinds = ["firm", "supplier", "buyer", "university", "public_agency", "ngo"]
    nodes = [NetworkNode(i, f"Empresa número {i}", kinds[i % len(kinds)], kinds[i % len(kinds)]) for i in range(300)]
    edges = [NetworkEdge(rng.randrange(300), rng.randrange(300), "supplies", "supplies") for _ in range(700)]
    network = summarise_network(nodes, [edge for edge in edges if edge.source_id != edge.target_id])
    built = build_case_study(dataclasses.replace(sample_case_study("es"), network=network))
    text = " ".join(pdf_text(built.pdf))
    expected = translated(
        "es",
        "The diagram shows the %(shown)s most connected of %(total)s actors and the ties among them; "
        "the measures below cover the whole network.",
        shown=MAX_DRAWN_NODES,
        total=300,
    )
    assert expected in text


def test_english_report_has_english_headings_and_dates():
    built = build_case_study(sample_case_study("en"))
    text = " ".join(pdf_text(built.pdf))
    for heading in SECTION_HEADINGS:
        assert heading in text
    assert "30 July 2025" in text
    assert "What are the main barriers to growth?" in text
    assert "S/ 1,570,000.00" in text
    assert pypdf.PdfReader(io.BytesIO(built.pdf)).trailer["/Root"]["/Lang"] == "en"


def test_text_with_markup_characters_and_odd_letters_is_printed_verbatim():
    sample = sample_case_study("es")
    cluster = dataclasses.replace(
        sample.cluster,
        name="Clúster A&B <Norte>",
        description="Cooperativa «Ayni» & Cía. <b>no es negrita</b>; n\u0303 compuesta; Māori",
    )
    built = build_case_study(dataclasses.replace(sample, cluster=cluster))
    text = " ".join(pdf_text(built.pdf))
    assert "Clúster A&B <Norte>" in text
    assert "<b>no es negrita</b>" in text
    assert "ñ compuesta" in text
    assert "Māori" in text


def test_decimal_budget_totals_are_exact(sample):
    planned = sum(
        item.budget_planned for group in sample.interventions for item in group.interventions if not item.cancelled
    )
    assert planned == Decimal("1570000.00")


def test_a_cancelled_intervention_is_printed_apart_from_the_totals(text):
    assert (
        "Cancelada, y fuera de estos totales: Centro de innovación textil de Juliaca (programado S/ 250,000.00" in text
    )
