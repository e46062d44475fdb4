"""Hostile text in every place a case study prints user text: it is printed literally, never read as
markup, never makes ReportLab open a file or a link, and a layout error is a permanent failure.

The builder is pure, so these tests feed it data (no database); the job pipeline test at the end goes
through the task with a real build.
"""

import dataclasses
import io

import pypdf
import pytest
from django.utils import translation
from reportlab.platypus import Paragraph, Spacer

from reports import charts
from reports.builder import build_case_study
from reports.casestudy import (
    EvaluationSummary,
    Member,
    NetworkEdge,
    NetworkNode,
    Quote,
    RiskLine,
    summarise_network,
)
from reports.pdf import BuildError, Cover, ReportDocument, composing, styles
from reports.programme import sample_programme
from reports.programme_builder import build_programme_report
from tests.reports.conftest import orphan_headings, pdf_pages
from tests.reports.sample import sample_case_study

IMG = "<img src='/etc/passwd' width='100' height='100'/>"
LINK = "<a href='http://evil.example/'>pulse aquí</a>"
BROKEN = "<b>sin cerrar <i>"
EMOJI = "🦙🌽"
RTL = "\u202eRTL\u202c"
LONG = "Respuesta muy larga " * 150  # 3,000 characters
HOSTILE = f"{IMG} {LINK} {BROKEN} & {EMOJI} {RTL}"


def hostile_case_study(language="es"):
    sample = sample_case_study(language)
    cluster = dataclasses.replace(sample.cluster, name=f"Clúster {HOSTILE}", description=f"{HOSTILE} {LONG}")
    nodes = [
        NetworkNode(node.id, f"{node.name} {IMG}" if node.id == 1 else node.name, node.kind, node.kind_label)
        for node in sample.network.nodes
    ]
    edges = [NetworkEdge(e.source_id, e.target_id, e.kind, e.kind_label) for e in sample.network.edges]
    questions = list(sample.findings.questions)
    text_question = next(i for i, q in enumerate(questions) if q.type == "long_text")
    questions[text_question] = dataclasses.replace(
        questions[text_question],
        label=f"¿{HOSTILE}?",
        section=f"Sección {LINK}",
        quotes=[Quote(f"{HOSTILE} {LONG}", 6), Quote(BROKEN, 2)],
    )
    groups = list(sample.interventions)
    first = groups[0]
    groups[0] = dataclasses.replace(
        first,
        goal=f"Meta {IMG}",
        interventions=[
            dataclasses.replace(first.interventions[0], title=f"Intervención {HOSTILE}", objective=LONG),
            *first.interventions[1:],
        ],
    )
    evaluation = EvaluationSummary(
        date=sample.evaluation.date,
        evaluator=f"Evaluadora {EMOJI}",
        summary=HOSTILE,
        ratings=[
            RiskLine(line.risk, line.level, line.level_label, f"{HOSTILE} {LONG}") for line in sample.evaluation.ratings
        ],
    )
    edition = dataclasses.replace(sample.edition, strengths=f"- {HOSTILE}\n- {LONG}", lessons=BROKEN)
    return dataclasses.replace(
        sample,
        cluster=cluster,
        author=f"Ana {EMOJI} {RTL}",
        network=summarise_network(nodes, edges),
        findings=dataclasses.replace(sample.findings, questions=questions),
        interventions=groups,
        evaluation=evaluation,
        edition=edition,
        members=[Member(f"Empresa {HOSTILE}", "Empresa", "Micro", "Empresa núcleo", "W" * 1500), *sample.members],
    )


@pytest.fixture(scope="module")
def hostile():
    data = hostile_case_study()
    built = build_case_study(data)
    return data, built, pdf_pages(built.pdf), pypdf.PdfReader(io.BytesIO(built.pdf))


def test_markup_in_user_text_prints_literally_in_the_body(hostile):
    _data, _built, pages, _reader = hostile
    text = " ".join(pages)
    for piece in (
        "<img src='/etc/passwd' width='100' height='100'/>",
        "<a href='http://evil.example/'>",
        "<b>sin cerrar <i>",
    ):
        assert piece in text, piece
    assert "&amp;" not in text and "&lt;" not in text


def test_contents_outline_and_metadata_show_the_text_as_typed(hostile):
    data, _built, pages, reader = hostile
    contents = pages[1]
    assert f"Sección {LINK}" in contents
    assert f"Meta {IMG}" in contents

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    assert f"Sección {LINK}" in outline and f"Meta {IMG}" in outline
    assert reader.metadata.title.startswith(f"Clúster {IMG}")
    assert reader.metadata.author == data.author


def test_reportlab_opened_no_file_and_made_no_link_out_of_user_text(hostile):
    _data, _built, _pages, reader = hostile
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            assert "/URI" not in action  # the contents' own links go to pages inside the document


def test_emoji_and_right_to_left_marks_print_and_read_back(hostile):
    _data, _built, pages, reader = hostile
    text = " ".join(pages)
    assert EMOJI in text
    assert "RTL" in text
    raw = "".join(page.extract_text() for page in reader.pages)
    assert "\u202e" in raw
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert "NotoEmoji-Regular" in fonts


def test_long_answers_are_cut_with_an_ellipsis_and_long_words_do_not_break_the_layout(hostile):
    _data, built, pages, _reader = hostile
    text = " ".join(pages)
    assert "Respuesta muy larga Respuesta muy larga" in text
    quote_start = text.index(f"“{IMG}")
    assert "…”" in text[quote_start : quote_start + 600]
    assert built.page_count == len(pages)


def test_the_programme_report_prints_hostile_names_literally():
    data = sample_programme("es")
    rows = [dataclasses.replace(row, name=f"{row.name} {HOSTILE}") for row in data.clusters]
    built = build_programme_report(dataclasses.replace(data, clusters=rows, author=f"Ana {EMOJI}"))
    text = " ".join(pdf_pages(built.pdf))
    assert IMG in text and LINK in text and EMOJI in text


def test_a_markup_error_or_a_layout_error_is_a_build_error_not_a_passing_one():
    """Our own markup (never user text) that ReportLab cannot parse, or a flowable that fits no page, fails
    the build as BuildError, which the task records as a permanent failure instead of retrying it."""
    with pytest.raises(BuildError), composing():
        Paragraph("<b>sin cerrar <font name='x'>", styles().body)
    with translation.override("es"):
        document = ReportDocument(
            io.BytesIO(),
            cover=Cover("", "", None, "x", "y", "z"),
            language="es",
            generated_at=sample_case_study().generated_at,
            title="t",
            author="a",
            subject="s",
            keywords=[],
            progress=lambda value: None,
        )
        with pytest.raises(BuildError):
            document.build_story([Spacer(1, 5000)])


def test_two_way_ties_have_no_arrowheads_and_directed_ones_one_each():
    from reportlab.graphics.shapes import Polygon

    nodes = [charts.DiagramNode(i, i, "firm", 1) for i in (1, 2, 3)]
    positions = {1: (0.1, 0.1), 2: (0.9, 0.1), 3: (0.5, 0.9)}

    def arrowheads(ties):
        drawing = charts.network_diagram(nodes, ties, [("firm", "Empresa")], [], 400, 300, positions)
        return sum(isinstance(shape, Polygon) for shape in drawing.contents)

    assert arrowheads([(1, 2, "supplies"), (2, 3, "trains")]) == 2
    assert arrowheads([(1, 2, "collaborates"), (2, 1, "collaborates"), (1, 3, "competes")]) == 0


def test_the_layout_does_not_reshuffle_when_one_actor_is_added():
    from clusters.selectors.network import _layout

    kinds = {pk: ["firm", "supplier", "university", "public_agency"][pk % 4] for pk in range(1, 31)}
    before = _layout(kinds)
    after = _layout({**kinds, 999: "supplier"})
    moves = sorted(((before[pk][0] - after[pk][0]) ** 2 + (before[pk][1] - after[pk][1]) ** 2) ** 0.5 for pk in kinds)
    assert sum(moves) / len(moves) < 0.03
    assert moves[-1] < 0.2
    # And the same actors always land in the same places.
    assert _layout(dict(reversed(list(kinds.items())))) == before


def test_no_page_ends_with_an_orphan_heading(hostile):
    _data, built, _pages, _reader = hostile
    assert orphan_headings(built.pdf) == []
