"""The case study of the richest and of the thinnest demo cluster, in Spanish and in English, read back from
the PDF (pdftotext for the layout a reader sees, pypdf for fonts, outline and metadata) and compared with
what the database says, counted here by queries of the test's own, not by the report's gatherer.

The demo is loaded once for the module inside a transaction that is rolled back at the end; each PDF is
built once, through the same service as a report job.
"""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pypdf
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from clusters.models import FIRM_KINDS, Actor, Cluster, Membership, Relationship
from instruments.models import Intervention
from reports.models import ReportJob
from reports.services import case_study_build
from surveys.models import Answer, Interview, Question
from tests.reports.conftest import orphan_headings, pdf_pages

# The module's tests read only what the fixture built; the mark makes pytest-django set up the test database.
pytestmark = pytest.mark.django_db

RICHEST, THINNEST = "pelos-finos-camelidos", "salud-lima"
BASE_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def tr(language, msgid, **values):
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


def ntr(language, singular, plural, n, **values):
    with translation.override(language):
        return ngettext(singular, plural, n) % values


def truth(cluster):
    """What the database says about a cluster, counted independently of reports.gather."""
    approved = Interview.objects.filter(cluster=cluster, status=Interview.Status.APPROVED)
    members = Membership.objects.filter(cluster=cluster).select_related("actor")
    member_ids = {m.actor_id for m in members}
    counted_ties = {
        (source, target, kind)
        for source, target, kind in Relationship.objects.filter(cluster=cluster)
        .filter(Q(interview__isnull=True) | Q(interview__in=approved))
        .values_list("source_id", "target_id", "kind")
        if source in member_ids and target in member_ids
    }
    all_ties = Relationship.objects.filter(cluster=cluster).count()
    firms = [m.actor for m in members if m.actor.kind in FIRM_KINDS]
    quotes = {}
    for code, said, n in (
        Answer.objects.filter(interview__in=approved, question__type__in=["text", "long_text"])
        .exclude(text_value="")
        .values_list("question__code", "text_value")
        .annotate(n=Count("pk"))
        .values_list("question__code", "text_value", "n")
    ):
        quotes.setdefault(code, {})
        key = said.strip().lower()
        quotes[code][key] = quotes[code].get(key, (said.strip(), 0))[0], quotes[code].get(key, (said, 0))[1] + n
    answered = dict(
        Answer.objects.filter(interview__in=approved)
        .values_list("question__code")
        .annotate(n=Count("pk"))
        .values_list("question__code", "n")
    )
    interventions = Intervention.objects.filter(cluster=cluster)
    active = interventions.exclude(status="cancelled").prefetch_related("implementing_institutions", "activities")
    programme_did = [
        {
            "title": intervention.title,
            "objective": intervention.objective,
            "implementing": [actor.name for actor in intervention.implementing_institutions.all()],
            "women": sum(activity.women for activity in intervention.activities.all()),
            "men": sum(activity.men for activity in intervention.activities.all()),
            "activities": len(intervention.activities.all()),
        }
        for intervention in active
    ]
    return {
        "interventions": programme_did,
        "name": cluster.name,
        "members": len(member_ids),
        "approved": approved.count(),
        "ties": len(counted_ties),
        "all_ties": all_ties,
        "pairs": len({(source, target) for source, target, _kind in counted_ties}),
        "firms": len(firms),
        "firm_sizes": {size: sum(1 for a in firms if a.size == size) for size in Actor.Size.values},
        "not_firms": len(member_ids) - len(firms),
        "quotes": quotes,
        "answered": answered,
        "cancelled": list(interventions.filter(status="cancelled").values_list("title", "budget_planned")),
        "planned": sum(
            (i.budget_planned for i in interventions.exclude(status="cancelled")),
            start=Decimal(0),
        ),
        "year_question": [
            labels.get(language)
            for labels in Question.objects.filter(code="anio_inicio").values_list("labels", flat=True)[:1]
            for language in ("Español (es)", "English (en)")
        ],
        "years": list(
            Answer.objects.filter(interview__in=approved, question__code="anio_inicio").values_list(
                "number_value", flat=True
            )
        ),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo programme and the four case studies, built as report jobs build them."""
    media = tmp_path_factory.mktemp("media")
    built = {}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", force=True, stdout=io.StringIO())
        requester = User.objects.get(username="gerente")
        for slug in (RICHEST, THINNEST):
            cluster = Cluster.objects.get(slug=slug)
            facts = truth(cluster)
            for language in ("es", "en"):
                job = ReportJob(cluster=cluster, language=language, requested_by=requester)
                report = case_study_build(job)
                built[slug, language] = {
                    "pdf": report.pdf,
                    "pages": pdf_pages(report.pdf),
                    "page_count": report.page_count,
                    "truth": facts,
                    "author": requester.get_full_name(),
                }
        transaction.set_rollback(True)
    return built


CASES = [(slug, language) for slug in (RICHEST, THINNEST) for language in ("es", "en")]


@pytest.fixture(params=CASES, ids=[f"{slug}-{language}" for slug, language in CASES])
def case(request, demo):
    slug, language = request.param
    return {**demo[slug, language], "slug": slug, "language": language}


def text_of(case):
    return " ".join(case["pages"])


def test_every_font_in_the_pdf_is_embedded_and_none_is_a_standard_one(case):
    reader = pypdf.PdfReader(io.BytesIO(case["pdf"]))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            seen.add(name.split("+")[-1])
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, name
            assert "/FontFile2" in descriptor.get_object(), name
            assert name.split("+")[-1] not in BASE_14
    assert "DejaVuSans" in seen and "DejaVuSans-Bold" in seen


def test_the_cover_names_the_cluster_and_the_requesting_person_as_author(case):
    cover = case["pages"][0]
    assert case["truth"]["name"] in cover
    assert case["author"] in cover
    assert "Cluster Casebook" not in cover
    info = pypdf.PdfReader(io.BytesIO(case["pdf"])).metadata
    assert info.author == case["author"]


def test_the_contents_list_each_chapter_with_the_page_it_starts_on(case):
    language, pages = case["language"], case["pages"]
    contents = pages[1]
    headings = ["Executive summary", "Cluster profile", "The actors", "The network of relationships", "Annexes"]
    for heading in headings:
        title = tr(language, heading)
        match = re.search(r"(\d+)\. " + re.escape(title) + r"[ .]*?(\d+)", contents)
        assert match, title
        assert f"{match.group(1)}. {title}" in pages[int(match.group(2)) - 1]


def test_the_actor_count_is_the_database_s(case):
    language, facts = case["language"], case["truth"]
    sentence = ntr(
        language,
        "%(count)s organisation takes part in the cluster.",
        "%(count)s organisations take part in the cluster.",
        facts["members"],
        count=facts["members"],
    )
    assert sentence in text_of(case)


def test_the_network_counts_only_ties_of_approved_interviews_and_its_density_is_the_pairs_printed(case):
    facts, language = case["truth"], case["language"]
    if case["slug"] == RICHEST:
        assert facts["all_ties"] > facts["ties"]  # the demo has ties reported in interviews not approved
    text = text_of(case)
    sentence_start = tr(
        language,
        "%(actors)s actors are linked by %(ties)s ties: %(rule)s, %(entered)s.",
        actors=facts["members"],
        ties=facts["ties"],
        rule="X",
        entered="Y",
    ).split(" X")[0]
    assert sentence_start in text
    possible = facts["members"] * (facts["members"] - 1)
    density = f"{facts['pairs'] / possible * 100:.1f}%"
    assert f"{facts['pairs']} ({density})" in text
    assert (
        tr(language, "Density: ordered pairs of actors linked, of the %(possible)s possible", possible=possible) in text
    )


def test_firm_sizes_count_firms_only_with_shares_over_firms(case):
    facts, language = case["truth"], case["language"]
    text = text_of(case)
    assert "Sin tamaño registrado 7" not in text and "Size not recorded 7" not in text
    with translation.override(language):
        labels = {value: str(label) for value, label in Actor.Size.choices}
    for size, count in facts["firm_sizes"].items():
        if count:
            share = (Decimal(count) / facts["firms"] * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            assert f"{labels[size]} {count} ({share}%)" in text, (size, count)


def test_quotes_are_the_most_said_answers_each_once_with_how_many_said_them(case):
    facts, language = case["truth"], case["language"]
    text = text_of(case)
    if not facts["approved"]:
        assert tr(language, "No interview in the period meets the report's criteria, so there are no findings.") in text
        return
    prioridad = facts["quotes"]["prioridad"]
    _top, (top_text, top_count) = max(prioridad.items(), key=lambda item: item[1][1])
    assert top_text[:40] in text
    count = ntr(
        language,
        "%(count)s of %(total)s answer",
        "%(count)s of %(total)s answers",
        facts["answered"]["prioridad"],
        count=top_count,
        total=facts["answered"]["prioridad"],
    )
    assert f"— {count}" in text
    for _said, (quote, _n) in prioridad.items():
        assert text.count(quote[:40]) <= 1


def test_years_print_as_years_and_money_never_splits_from_its_amount(case):
    facts = case["truth"]
    text = text_of(case)
    without_money = re.sub(r"S/\s?[\d,]+\.\d\d", "", text)
    assert not re.search(r"\b(1,[89]\d\d|2,0\d\d)\.\d+\b", without_money)  # never a year as "1,997.73"
    if facts["years"]:
        years = sorted(int(value) for value in facts["years"])
        label = facts["year_question"][0 if case["language"] == "es" else 1]
        block = text[text.index(label) : text.index(label) + 400]
        assert str(years[0]) in block and str(years[-1]) in block
        assert f"{years[0]:,}" not in block and f"{years[-1]:,}" not in block
    raw = pypdf.PdfReader(io.BytesIO(case["pdf"]))
    for page in raw.pages:
        for line in page.extract_text().splitlines():
            assert not line.rstrip().endswith("S/"), line


def test_a_cancelled_intervention_is_shown_apart_and_left_out_of_the_totals(case):
    facts, language = case["truth"], case["language"]
    text = text_of(case)
    planned = f"S/ {facts['planned']:,.2f}"
    assert planned in text
    for title, budget in facts["cancelled"]:
        assert title in text
        assert f"S/ {budget:,.2f}" in text
        assert tr(language, "Cancelled, and left out of these totals: %(items)s.", items="").split(":")[0] in text


def test_what_the_programme_did_objectives_institutions_and_participants_by_sex(case):
    text = text_of(case)
    language = case["language"]
    for intervention in case["truth"]["interventions"]:
        assert intervention["title"][:40] in text
        if intervention["objective"]:
            assert intervention["objective"][:40] in text
        for name in intervention["implementing"]:
            assert name[:30] in text
        if intervention["activities"]:
            people = intervention["women"] + intervention["men"]
            sentence = ntr(
                language,
                "%(count)s activity with %(people)s participants (%(women)s women, %(men)s men). Firms taking "
                "part, by size: %(firms)s.",
                "%(count)s activities with %(people)s participants (%(women)s women, %(men)s men). Firms "
                "taking part, by size: %(firms)s.",
                intervention["activities"],
                count=intervention["activities"],
                people=f"{people:,}",
                women=f"{intervention['women']:,}",
                men=f"{intervention['men']:,}",
                firms="",
            )
            assert sentence.split(".")[0] in text
    if case["language"] == "es" and case["truth"]["interventions"]:
        assert "Programado Ejecutado" in text  # the budget chart's legend, in agreement with "presupuesto"


def test_no_question_nobody_answered_is_printed_as_an_item(case):
    text = text_of(case)
    assert "n = 0" not in text and "n=0" not in text
    assert tr(case["language"], "Nobody answered this question in the period.") not in text


def test_the_summary_says_where_and_in_what_sector_in_words(case):
    text = text_of(case)
    assert " en torno a 13 ·" not in text
    assert "Arequipa, Puno en" not in text
    if case["slug"] == RICHEST:
        joiner = " y " if case["language"] == "es" else " and "
        assert f"Arequipa{joiner}Puno" in text


def test_the_annexes_list_every_member_and_the_sources(case):
    facts, language = case["truth"], case["language"]
    text = text_of(case)
    assert tr(language, "Members of the cluster") in text
    assert tr(language, "Sources") in text
    assert tr(language, "Response rate") in text or not facts["members"]


def test_pages_are_never_near_empty_before_the_last_one(case):
    # The lowest text on each page but the last is below the top 40% of the page: none is left mostly blank.
    reader = pypdf.PdfReader(io.BytesIO(case["pdf"]))
    height = float(reader.pages[0].mediabox.height)
    for number, page in enumerate(reader.pages[2:-1], start=3):
        lowest = [height]

        def visit(text, cm, tm, font, size, lowest=lowest):
            y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5]
            if text.strip() and 100 < y < lowest[0]:
                lowest[0] = y

        page.extract_text(visitor_text=visit)
        assert lowest[0] < height * 0.6, (case["slug"], number, lowest[0])


def test_no_heading_is_left_alone_at_the_foot_of_a_page(case):
    assert orphan_headings(case["pdf"]) == []


def test_the_english_report_is_in_english(case):
    if case["language"] != "en":
        pytest.skip("the Spanish one")
    text = text_of(case)
    for heading in ("Executive summary", "The actors", "Annexes", "Methodology"):
        assert heading in text
    assert "Resumen ejecutivo" not in text
    assert pypdf.PdfReader(io.BytesIO(case["pdf"])).trailer["/Root"]["/Lang"] == "en"


def test_the_thinnest_cluster_builds_with_explanations_instead_of_empty_charts(demo):
    pages = demo[THINNEST, "es"]["pages"]
    text = " ".join(pages)
    assert tr("es", "No interview in the period meets the report's criteria, so there are no findings.") in text
    assert demo[THINNEST, "es"]["page_count"] < demo[RICHEST, "es"]["page_count"]


def test_date_of_the_report_is_today(demo):
    text = " ".join(demo[RICHEST, "en"]["pages"])
    assert str(datetime.date.today().year) in text
