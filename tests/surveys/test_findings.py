"""The findings selector and page: counts, shares, statistics and quotes, aggregated in the database."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from surveys import selectors
from surveys.models import Answer, Interview
from tests.surveys.conftest import bulk_interviews

pytestmark = pytest.mark.django_db


def _answer_numbers(interviews, code, values):
    for interview, value in zip(interviews, values, strict=True):
        Answer.objects.filter(interview=interview, question__code=code).update(number_value=Decimal(value))


def test_findings_count_options_and_compute_mean_median_minimum_maximum(world, questionnaire):
    interviews = bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 4)
    _answer_numbers(interviews, "empleados", [10, 20, 30, 100])
    Answer.objects.filter(interview=interviews[0], question__code="confianza").update(number_value=5)
    result = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    assert result.sample_size == 4
    assert result.questionnaire_name == "Entrevista a actores"
    assert result.version_number == 1
    assert result.first_date <= result.last_date
    by_code = {q.code: q for q in result.questions}
    employees = by_code["empleados"]
    assert employees.n == 4
    assert employees.stats.mean == Decimal("40.00")
    assert employees.stats.median == Decimal("25.00")
    assert (employees.stats.minimum, employees.stats.maximum) == (Decimal("10.00"), Decimal("100.00"))
    size = by_code["tamano"]
    assert sum(count for _label, count, _share in size.options) == 4
    assert [label for label, _c, _s in size.options] == ["Micro", "Pequeña", "Mediana", "Grande"]
    assert sum(share for _l, _c, share in size.options) == pytest.approx(1)
    scale = by_code["confianza"]
    assert [label for label, _c, _s in scale.options] == ["1", "2", "3", "4", "5"]
    assert scale.stats is not None
    exports = by_code["exporta"]
    assert [label for label, _c, _s in exports.options] == ["Sí", "No"]
    assert by_code["barreras"].quotes
    assert by_code["proveedores"].options[0][1] == 4
    assert by_code["participacion_usa"].section_title == "Perfil"


def test_findings_median_of_an_odd_count_is_the_middle_value(world, questionnaire):
    interviews = bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 5)
    _answer_numbers(interviews, "empleados", [7, 1, 3, 1000, 5])
    result = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    assert next(q for q in result.questions if q.code == "empleados").stats.median == Decimal("5.00")


def test_findings_keep_to_the_statuses_cluster_and_dates_asked_for(world, questionnaire):
    researcher = world.users["researcher_a"]
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, researcher, 3, status="approved")
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, researcher, 2, status="submitted")
    bulk_interviews(questionnaire, world.cluster_b, world.actor_b, world.users["researcher_b"], 7)
    assert selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"]).sample_size == 3
    both = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved", "submitted"])
    assert both.sample_size == 5
    early = selectors.findings(
        cluster=world.cluster_a, version=questionnaire, statuses=["approved"], date_to=datetime.date(2025, 1, 2)
    )
    assert early.sample_size == 1


@pytest.mark.parametrize("count", [10, 500])
def test_findings_cost_the_same_queries_for_10_and_500_interviews(
    world, questionnaire, count, django_assert_max_num_queries
):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], count)
    # A first view computes every bucket (status x month) at once: 22 queries however many there are (12 when
    # the findings were read from the answers themselves, before the buckets).
    with django_assert_max_num_queries(22):
        result = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    assert result.sample_size == count


def test_interview_counts_by_status_lists_every_status(world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3, status="returned")
    counts = selectors.interview_counts_by_status(world.cluster_a)
    assert counts == {"draft": 2, "submitted": 1, "returned": 3, "approved": 0}  # the world has two drafts in A
    assert selectors.interview_counts_by_status(world.cluster_a, date_from=datetime.date(2030, 1, 1))["returned"] == 0


def test_the_findings_page_shows_a_cluster_its_findings(client_for, world, questionnaire):
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 6)
    client = client_for(world.users["manager"])
    response = client.get(reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug}))
    content = response.content.decode()
    assert response.context["result"].sample_size == 6
    assert "¿Cuántos trabajadores tiene?" in content
    assert "Mediana" in content
    assert (
        client_for(world.users["researcher_b"])
        .get(reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug}))
        .status_code
        == 404
    )


def test_the_findings_page_opens_on_the_version_of_the_latest_approved_interview(client_for, world, questionnaire):
    from tests.surveys.conftest import build_questionnaire

    newer = build_questionnaire(world.users["coordinator"], name="Entrevista 2026")
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 8, first_day=1)
    bulk_interviews(newer, world.cluster_a, world.actor_a, world.users["researcher_a"], 2, first_day=200)
    bulk_interviews(
        questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3, status="draft", first_day=250
    )
    url = reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug})
    response = client_for(world.users["manager"]).get(url)
    # The newer questionnaire is the one in use, though the older has more interviews (and a newer draft).
    assert response.context["form"].cleaned_data["version"] == newer
    assert response.context["result"].sample_size == 2


def test_the_interview_list_costs_the_same_queries_for_10_and_500_interviews(
    client_for, world, questionnaire, django_assert_max_num_queries
):
    for count in (10, 490):
        bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], count)
        client = client_for(world.users["researcher_a"])
        with django_assert_max_num_queries(14):
            response = client.get(reverse("surveys:interview_list"), {"cluster": world.cluster_a.slug})
        assert response.status_code == 200
    assert Interview.objects.filter(cluster=world.cluster_a).count() > 500


def test_quotes_are_the_most_said_answers_each_once_and_the_page_says_how_many_said_them(
    client_for, world, questionnaire
):
    interviews = bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 11)
    said = (
        ["Una marca colectiva."] * 6 + ["  una MARCA colectiva.  "] + ["Crédito."] * 3 + ["Una respuesta larga " * 40]
    )
    for interview, text in zip(interviews, said, strict=True):
        Answer.objects.filter(interview=interview, question__code="barreras").update(text_value=text)
    result = selectors.findings(cluster=world.cluster_a, version=questionnaire, statuses=["approved"])
    quotes = next(q for q in result.questions if q.code == "barreras").quotes
    assert [(quote.text, quote.count) for quote in quotes[:2]] == [("Una marca colectiva.", 7), ("Crédito.", 3)]
    assert len(quotes) == selectors.QUOTES_PER_QUESTION
    assert len(quotes[2].text) <= selectors.QUOTE_LENGTH and quotes[2].text.endswith("…")
    page = client_for(world.users["manager"]).get(
        reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug})
    )
    content = page.content.decode()
    assert "<q>Una marca colectiva.</q>" in content
    assert "7 de 11 respuestas" in content
    assert content.count("marca colectiva") == 1


def test_a_question_type_the_code_does_not_know_yet_shows_its_code_instead_of_failing():
    finding = selectors.QuestionFindings(code="lugar", label="Lugar", type="hologram", section_title="", n=0)
    assert finding.type_label == "hologram"


def _finding(page, code):
    return page.split(f'data-testid="finding-{code}"', 1)[1].split("</section>", 1)[0]


def test_findings_show_whole_numbers_whole_and_no_question_codes(client_for, world, questionnaire):
    interviews = bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3)
    _answer_numbers(interviews, "empleados", [1975, 2000, 2022])  # a year, asked as an integer
    _answer_numbers(interviews, "participacion_usa", ["12.5", "30", "40.25"])
    _answer_numbers(interviews, "confianza", [1, 2, 4])
    for persona in ("manager", "coordinator"):
        page = client_for(world.users[persona]).get(reverse("surveys:cluster_findings", args=["camelidos"]))
        years = _finding(page.content.decode(), "empleados")
        assert "Promedio <strong>1999</strong> · Mediana <strong>2000</strong> · Mínimo 1975 · Máximo 2022" in years
        share = _finding(page.content.decode(), "participacion_usa")
        assert "Promedio <strong>27.58</strong> · Mediana <strong>30</strong> · Mínimo 12.5 · Máximo 40.25" in share
        assert "Promedio <strong>2.3</strong>" in _finding(page.content.decode(), "confianza")
        assert "empleados" not in re.sub(r"<[^>]+>", " ", years)  # the code only in the card's id
        assert "(n = 3)" in years


def test_large_numbers_in_findings_are_grouped_by_thousands():
    from surveys.templatetags.findings_numbers import finding_number

    assert finding_number(Decimal("127500.00"), "decimal") == "127,500"
    assert finding_number(Decimal("9999.00"), "integer") == "9999"
    assert finding_number(Decimal("1997.64"), "integer") == "1997.6"
    assert finding_number(Decimal("12500.50"), "decimal") == "12,500.5"
    assert finding_number(None, "decimal") == "—"


def test_a_published_questionnaire_shows_labels_to_readers_and_codes_to_coordinators(client_for, world, questionnaire):
    url = reverse("surveys:version_detail", args=[questionnaire.pk])
    reader = client_for(world.users["manager"]).get(url).content.decode()
    assert "¿Cuántos trabajadores tiene?" in reader and "Estados Unidos" in reader
    for code in ("<code>empleados</code>", "<code>usa</code>", "${exporta}", "participacion_usa</code>"):
        assert code not in reader, code
    assert "Se muestra solo según respuestas anteriores." in reader
    editor = client_for(world.users["coordinator"]).get(url).content.decode()
    assert "<code>empleados</code>" in editor and "${exporta}" in editor and "<code>usa</code>" in editor
