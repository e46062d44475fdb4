"""Gathering a case study: the right numbers, counted by the database, in a number of queries that does
not grow with the cluster's interviews."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import HeadlineFigure
from clusters.selectors import network_summary
from reports.gather import gather_case_study
from reports.models import ReportJob
from surveys.models import Interview
from surveys.selectors import findings
from tests import factories as f
from tests.reports.programme import fill_cluster_a

pytestmark = pytest.mark.django_db


def job_for(world, **params):
    return ReportJob(cluster=world.cluster_a, requested_by=world.users["manager"], **params)


def gathered_queries(job):
    with CaptureQueriesContext(connection) as queries:
        data = gather_case_study(job)
    return data, len(queries)


def test_gathering_counts_actors_by_kind_size_and_role(world):
    fill_cluster_a(world)
    data = gather_case_study(job_for(world, language="en"))
    assert data.actors.total == 7
    by_kind = {count.key: count.count for count in data.actors.by_kind}
    assert by_kind == {"firm": 3, "supplier": 2, "university": 1, "public_agency": 1}
    # As the cluster's page counts them (clusters.selectors.actor_breakdown): largest first, ties in the
    # choice order (not by label, which would order them differently in each language).
    assert [count.key for count in data.actors.by_kind] == ["firm", "supplier", "university", "public_agency"]
    assert data.actors.by_kind[0].label == "Firm"
    by_size = [(count.key, count.count) for count in data.actors.by_size]
    # Law order (micro to large), firms only: the university and the public agency have no size to record.
    assert by_size == [("micro", 2), ("small", 2), ("large", 1)]
    assert (data.actors.firms, data.actors.not_firms) == (5, 2)
    members = {member.name: member for member in data.members}
    assert members[world.actor_a2.name].size == "Not applicable"  # a university
    assert len(data.members) == 7
    assert {count.key: count.count for count in data.actors.by_role}["core_firm"] == 3


def test_gathering_reads_the_profile_the_latest_figures_and_the_latest_evaluation(world):
    cluster = world.cluster_a
    f.HeadlineFigureFactory(cluster=cluster, metric=HeadlineFigure.Metric.EXPORTS, value=Decimal("1500000"), year=2020)
    f.HeadlineFigureFactory(cluster=cluster, metric=HeadlineFigure.Metric.EXPORTS, value=Decimal("2500000"), year=2023)
    f.EvaluationFactory(cluster=cluster, date=datetime.date(2023, 1, 10), summary="Older")
    data = gather_case_study(job_for(world, language="en"))
    assert data.cluster.name == "Pelos Finos de Camélidos"
    assert data.cluster.main_sector.startswith("13 · ")
    assert data.cluster.coordinator == world.users["coordinator"].get_full_name()
    assert data.cluster.team == [world.users["researcher_a"].get_full_name()]
    exports = [figure for figure in data.cluster.figures if figure.label.startswith("Exports")]
    assert [(figure.value, figure.year, figure.unit) for figure in exports] == [(Decimal("2500000.00"), 2023, "")]
    assert data.evaluation.date == world.evaluation_a.date
    assert [line.level for line in data.evaluation.ratings] == [world.rating_a.level]


def test_a_period_end_picks_the_figures_and_evaluation_known_by_then(world):
    cluster = world.cluster_a
    f.HeadlineFigureFactory(cluster=cluster, metric=HeadlineFigure.Metric.EXPORTS, value=Decimal("1500000"), year=2020)
    f.HeadlineFigureFactory(cluster=cluster, metric=HeadlineFigure.Metric.EXPORTS, value=Decimal("2500000"), year=2023)
    f.EvaluationFactory(cluster=cluster, date=datetime.date(2021, 1, 10), summary="Older")
    data = gather_case_study(job_for(world, language="en", period_end=datetime.date(2021, 12, 31)))
    assert [figure.year for figure in data.cluster.figures if figure.label.startswith("Exports")] == [2020]
    assert data.evaluation.summary == "Older"


def test_methodology_counts_interviews_by_status_and_the_counted_ones_by_mode(world):
    fill_cluster_a(world, approved=4, submitted=2, returned=1)
    data = gather_case_study(job_for(world, language="en"))
    statuses = [(count.key, count.count) for count in data.methodology.interviews_by_status]
    assert statuses == [("approved", 4), ("submitted", 3), ("returned", 1), ("draft", 2)]
    assert [(count.key, count.count) for count in data.methodology.interviews_by_mode] == [("in_person", 4)]
    assert data.methodology.questionnaire == world.questionnaire.name
    assert data.methodology.version == 1
    with_submitted = gather_case_study(job_for(world, language="en", include_submitted=True))
    assert with_submitted.methodology.interviews_by_mode[0].count == 7


def test_the_network_is_what_the_network_page_shows(world):
    data = gather_case_study(job_for(world))
    page = network_summary(world.cluster_a)
    assert [node.name for node in data.network.nodes] == [node.name for node in page.nodes]
    assert [(edge.source_id, edge.target_id, edge.kind) for edge in data.network.edges] == [
        (world.actor_a2.pk, world.actor_a.pk, "trains")
    ]
    assert (data.network.density, data.network.components) == (page.density, page.components)
    assert set(data.network.positions) == {node.id for node in page.nodes}


def test_the_findings_are_what_the_findings_page_shows(world):
    fill_cluster_a(world, approved=3, submitted=1, returned=0)
    approved = Interview.objects.filter(cluster=world.cluster_a, status="approved").order_by("pk")
    for value, interview in zip((4, 10, 7), approved, strict=True):
        f.AnswerFactory(interview=interview, question=world.question, number_value=value)
    data = gather_case_study(job_for(world, language="en"))
    assert (data.findings.questionnaire, data.findings.version, data.findings.sample_size) == (
        world.questionnaire.name,
        1,
        3,
    )
    employees = next(question for question in data.findings.questions if question.code == "employees")
    assert (employees.n, employees.stats.minimum, employees.stats.median, employees.stats.maximum) == (3, 4, 7, 10)
    page = findings(cluster=world.cluster_a, version=world.version, statuses=["approved"])
    assert employees.stats.mean == next(q for q in page.questions if q.code == "employees").stats.mean


def test_a_cluster_without_counted_interviews_has_no_findings(world):
    data = gather_case_study(job_for(world))
    assert data.findings is None
    assert data.methodology.version is None


def test_interventions_are_what_the_instruments_tab_shows(world):
    from instruments.selectors import cluster_instruments

    data = gather_case_study(job_for(world))
    shown = cluster_instruments(world.cluster_a)
    assert [group.goal for group in data.interventions] == [str(group.name) for group in shown]
    reported = [i for group in data.interventions for i in group.interventions]
    assert [i.title for i in reported] == [world.intervention_a.title]
    assert reported[0].budget_planned == world.intervention_a.budget_planned
    assert [ind.name for ind in reported[0].indicators] == [world.indicator_a.name]
    assert reported[0].indicators[0].progress == shown[0].interventions[0].indicators[0].progress


def test_the_author_is_the_person_who_asked_unless_given(world):
    assert gather_case_study(job_for(world)).author == world.users["manager"].get_full_name()
    assert gather_case_study(job_for(world), author="Equipo técnico").author == "Equipo técnico"


def test_gathering_takes_as_many_queries_for_300_interviews_as_for_10(world):
    fill_cluster_a(world, approved=6, submitted=2, returned=2)
    job = job_for(world, include_submitted=True)
    small, small_queries = gathered_queries(job)
    fill_cluster_a(world, approved=200, submitted=60, returned=30)
    large, large_queries = gathered_queries(job)
    assert (
        sum(count.count for count in small.methodology.interviews_by_status) == 10 + 3
    )  # the world has two drafts and a submitted interview in cluster A
    assert sum(count.count for count in large.methodology.interviews_by_status) == 300 + 3
    assert large.actors.total > small.actors.total
    assert small_queries == large_queries
    # Profile and figures, actors and members, evaluation, methodology and sources, interventions with their
    # institutions, activities and breakdowns, network, findings (their buckets computed: 10 more than when
    # they were read from the answers), programme and edition, why this cluster (2: the weights, and the
    # clusters' criteria with their dataset).
    assert large_queries <= 60
