"""The programme dashboard: the manager's home, its figures, filters, links, charts and cost."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster, Membership, Region
from home.dashboard import PROGRESS_BUCKETS, period_of
from instruments import selectors as instrument_selectors
from reports.gather import counted_statuses, gather_case_study, interview_methodology
from reports.models import ReportJob
from surveys import services as survey_services
from surveys.models import Interview
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _programme(world):
    """Cluster A (Puno) with interviews in this quarter and the last, indicators on track, behind and stale,
    and a latest evaluation with a serious risk; cluster B (Junín) with a little of each."""
    today = timezone.localdate()
    period = period_of("", today=today)
    (this_start, _this_end), (last_start, _last_end) = period.this_quarter, period.last_quarter
    a, b = world.cluster_a, world.cluster_b
    for status, when, n in [
        (Interview.Status.APPROVED, this_start, 3),
        (Interview.Status.SUBMITTED, this_start, 1),
        (Interview.Status.DRAFT, last_start, 2),
        (Interview.Status.APPROVED, last_start, 1),
    ]:
        for _ in range(n):
            f.InterviewFactory(version=world.version, cluster=a, actor=world.actor_a, status=status, date=when)
    f.InterviewFactory(version=world.version, cluster=b, actor=world.actor_b, status="approved", date=this_start)
    second_goal = f.InstrumentTypeFactory(goal=f.goal("strategic-workforce"))
    big = f.InterventionFactory(
        cluster=a, instrument_type=second_goal, budget_planned=Decimal("900000"), budget_executed=Decimal("300000")
    )
    start = today - datetime.timedelta(days=365)
    on_track = f.IndicatorFactory(
        intervention=big, baseline_date=start, target_date=today + datetime.timedelta(days=365)
    )
    f.MeasurementFactory(indicator=on_track, date=today - datetime.timedelta(days=10), value=Decimal("25"))
    behind = f.IndicatorFactory(intervention=big, baseline_date=start, target_date=today)
    f.MeasurementFactory(indicator=behind, date=today - datetime.timedelta(days=5), value=Decimal("11"))
    evaluation = f.EvaluationFactory(cluster=a, date=today, evaluator=world.users["coordinator"])
    f.RiskRatingFactory(evaluation=evaluation, risk="no_monitoring", level="serious")
    return period


def _dashboard(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def test_the_managers_home_is_the_dashboard_and_keeps_her_case_studies(client_for, world):
    response = client_for(world.users["manager"]).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Panel del programa" in page
    assert 'data-testid="headline-figures"' in page
    assert 'data-testid="peru-map"' in page
    assert 'data-testid="home-reports"' in page
    assert "Gerente" in page


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_coordinators_and_admins_open_the_dashboard_from_their_home(client_for, world, persona):
    client = client_for(world.users[persona])
    assert reverse("dashboard") in client.get(reverse("home")).content.decode()
    assert _dashboard(client).context["figures"].cluster_ids == tuple(sorted((world.cluster_a.pk, world.cluster_b.pk)))


def test_researchers_have_no_dashboard(client_for, world):
    assert client_for(world.users["researcher_a"]).get(reverse("dashboard")).status_code == 403


def test_the_dashboard_says_what_the_portfolio_and_the_case_study_say(client_for, world):
    period = _programme(world)
    manager = world.users["manager"]
    figures = _dashboard(client_for(manager), region="21").context["figures"]
    assert figures.cluster_ids == (world.cluster_a.pk,)

    # The portfolio, filtered the same way.
    portfolio = instrument_selectors.portfolio(manager, region=Region.objects.get(code="21"))
    for key in ("count", "planned", "executed"):
        assert figures.budget[key] == portfolio["totals"][key]

    # The case study of the one cluster in Puno, without a period (the programme as it stands).
    data = gather_case_study(ReportJob(cluster=world.cluster_a, requested_by=manager, include_submitted=True))
    interventions = [i for group in data.interventions for i in group.interventions]
    assert figures.budget["planned"] == sum(i.budget_planned for i in interventions)
    assert figures.budget["executed"] == sum(i.budget_executed for i in interventions)
    by_goal = {name_es: (planned, executed) for _code, name_es, _en, planned, executed in figures.goals if planned}
    assert by_goal == {
        group.goal: (
            sum(i.budget_planned for i in group.interventions),
            sum(i.budget_executed for i in group.interventions),
        )
        for group in data.interventions
    }
    progresses = [indicator.progress for i in interventions for indicator in i.indicators]
    assert len(progresses) == 3
    assert sum(figures.progress_buckets) == len(progresses)
    assert figures.progress_buckets[0] == sum(p is None for p in progresses)
    edges = (float("-inf"), *PROGRESS_BUCKETS, float("inf"))
    for low, high, count in zip(edges[:-1], edges[1:], figures.progress_buckets[1:], strict=True):
        assert count == sum(p is not None and low <= p < high for p in progresses)
    assert figures.actors == data.actors.total
    assert figures.serious_risks == int(any(line.level == "serious" for line in data.evaluation.ratings))
    assert figures.serious_risks == 1

    # Interviews by status in each quarter, as the case study's methodology counts them.
    every_status = list(Interview.Status.values)
    for counts, (start, end) in (
        (figures.this_quarter, period.this_quarter),
        (figures.last_quarter, period.last_quarter),
    ):
        method = interview_methodology(world.cluster_a, start, end, every_status)
        assert {c.key: c.count for c in method.interviews_by_status} == {s: n for s, n in counts.items() if n}
    assert figures.this_quarter["approved"] == 3
    assert figures.last_quarter["draft"] == 2
    assert counted_statuses(True) == ["approved", "submitted"]


def test_indicators_are_on_track_behind_or_without_a_recent_measurement(client_for, world):
    _programme(world)
    figures = _dashboard(client_for(world.users["manager"]), region="21").context["figures"]
    # The world's indicator A was last measured in June 2024: stale.
    assert figures.standings == {"on_track": 1, "behind": 1, "stale": 1}


def test_each_figure_links_to_the_list_that_shows_it_with_the_same_filters(client_for, world):
    period = _programme(world)
    client = client_for(world.users["manager"])
    figures_page = _dashboard(client, region="21")
    links, figures = figures_page.context["links"], figures_page.context["figures"]
    clusters = client.get(links["clusters"])
    assert clusters.context["page"].paginator.count == len(figures.cluster_ids)
    actors = client.get(links["actors"])
    assert actors.context["page"].paginator.count == figures.actors
    assert 'data-testid="cluster-scope"' in actors.content.decode()
    portfolio = client.get(links["budget"])
    assert portfolio.context["totals"]["planned"] == figures.budget["planned"]
    risky = client.get(links["risks"])
    assert [c.pk for c in risky.context["page"].object_list] == [world.cluster_a.pk]
    approved = next(row for row in figures_page.context["interview_rows"] if row["status"] == "approved")
    this_quarter = client.get(approved["cells"][0]["url"])
    assert this_quarter.context["page"].paginator.count == figures.this_quarter["approved"] == 3
    query = parse_qs(urlsplit(approved["cells"][0]["url"]).query)
    assert query["date_from"] == [period.this_quarter[0].isoformat()]
    assert query["cluster_region"] == ["21"]


def test_filters_stay_in_the_url_and_narrow_every_figure(client_for, world):
    _programme(world)
    client = client_for(world.users["manager"])
    everything = _dashboard(client).context["figures"]
    junin = _dashboard(client, region="12").context["figures"]
    assert junin.cluster_ids == (world.cluster_b.pk,)
    assert junin.this_quarter["approved"] == 1 < everything.this_quarter["approved"]
    textiles = _dashboard(client, sector=f.sector("13").pk).context["figures"]
    assert textiles.cluster_ids == (world.cluster_a.pk,)
    year = _dashboard(client, period="2025")
    assert year.context["period"].start == datetime.date(2025, 1, 1)
    assert len(year.context["figures"].months) == 12
    page = year.content.decode()
    assert '<option value="2025" selected>2025</option>' in page


def test_a_filter_that_is_not_valid_is_said_on_its_field_and_the_rest_still_shows(client_for, world):
    response = _dashboard(client_for(world.users["manager"]), region="99", sector="abc", period="1900")
    page = response.content.decode()
    assert "Escoja una opción válida" in page
    assert len(response.context["figures"].cluster_ids) == 2


def test_a_new_approval_shows_at_once_although_the_figures_are_cached(client_for, world):
    period = _programme(world)
    client = client_for(world.users["manager"])
    before = _dashboard(client, region="21").context["figures"].this_quarter
    submitted = Interview.objects.get(cluster=world.cluster_a, status="submitted", date=period.this_quarter[0])
    survey_services.interview_approve(interview=submitted, reviewer=world.users["coordinator"])
    after = _dashboard(client, region="21").context["figures"].this_quarter
    assert after["approved"] == before["approved"] + 1
    assert after["submitted"] == before["submitted"] - 1


def test_the_charts_have_their_numbers_as_tables(client_for, world):
    _programme(world)
    page = _dashboard(client_for(world.users["manager"])).content.decode()
    for chart in ("interviews-chart", "budget-chart", "progress-chart"):
        assert f'data-testid="{chart}"' in page
    assert page.count('role="img"') == 3
    assert "Datos del gráfico en una tabla" in page
    assert 'data-testid="budget-table"' in page


def _grow(world, clusters, interviews_each):
    """More clusters, actors, interviews and interventions: what a bigger programme adds."""
    for n in range(clusters):
        cluster = f.ClusterFactory(regions=[f.region(f"{(n % 25) + 1:02d}")], latitude=None)
        actor = f.ActorFactory()
        Membership.objects.create(cluster=cluster, actor=actor, role="supplier")
        Interview.objects.bulk_create(
            Interview(
                version=world.version,
                cluster=cluster,
                actor=actor,
                interviewer=world.users["researcher_a"],
                date=timezone.localdate() - datetime.timedelta(days=k % 300),
                status=("approved", "submitted", "draft")[k % 3],
                respondent_name="Persona",
            )
            for k in range(interviews_each)
        )
        intervention = f.InterventionFactory(cluster=cluster, instrument_type=world.instrument_type)
        f.MeasurementFactory(indicator=f.IndicatorFactory(intervention=intervention))


def _counted(client, url, *, fresh, world):
    client.get(url)  # the session is settled
    if fresh:  # a change anywhere: the cached figures no longer answer
        world.cluster_b.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_the_dashboard_costs_the_same_queries_with_few_and_many_records(client_for, world):
    client = client_for(world.users["manager"])
    url = reverse("home")
    _grow(world, clusters=2, interviews_each=3)
    few_first, _ = _counted(client, url, fresh=True, world=world)
    few_again, small = _counted(client, url, fresh=False, world=world)
    _grow(world, clusters=12, interviews_each=40)
    many_first, _ = _counted(client, url, fresh=True, world=world)
    many_again, big = _counted(client, url, fresh=False, world=world)
    assert (many_first, many_again) == (few_first, few_again)
    assert many_first <= 20  # the whole request, the session's sliding expiry included
    assert many_again < many_first  # the figures come from the cache until something changes
    assert Cluster.objects.count() == 16
    # What the page shows has the same shape at both sizes: 25 departments, at most five series.
    for response in (small, big):
        assert len(response.context["map"].areas) == 25
        assert len(response.context["interviews_chart"]["series"]) <= 5
    assert len(big.context["interviews_chart"]["series"]) == 5


def test_cluster_names_are_shown_as_text_not_markup(client_for, world):
    hostile = "<script>alert('x')</script> & Cía"
    Cluster.objects.filter(pk=world.cluster_a.pk).update(
        name=hostile, latitude=Decimal("-15.84"), longitude=Decimal("-70.02")
    )
    f.InterviewFactory(version=world.version, cluster=world.cluster_a, actor=world.actor_a, date=timezone.localdate())
    page = _dashboard(client_for(world.users["manager"])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cía" in page


@pytest.mark.parametrize(
    "params", [{"region": "A" * 5000}, {"period": "\x00"}, {"sector": "-1"}, {"shade": "<b>"}, {"region": "'; --"}]
)
def test_hostile_filters_get_a_page_not_an_error(client_for, world, params):
    # A NUL character is refused for the whole site with a page that says so (config.middleware): 400.
    expected = 400 if any("\x00" in value for value in params.values()) else 200
    assert client_for(world.users["manager"]).get(reverse("dashboard"), params).status_code == expected


def test_the_map_can_be_shaded_by_budget_executed(client_for, world):
    _programme(world)
    response = _dashboard(client_for(world.users["manager"]), shade="budget")
    areas = {area.code: area for area in response.context["map"].areas}
    assert areas["21"].value == float(
        instrument_selectors.budget_totals(world.cluster_a.interventions.all())["executed"]
    )
    assert areas["21"].shade == 4
    assert "S/" in areas["21"].value_label
    assert areas["01"].shade == 0


def test_the_benchmark_counts_what_the_dashboard_shows(client_for, world):
    """bench/run.py compares the dashboard at two volumes only if it shows the same: its markers must exist."""
    from bench.run import PAGES, SAME_SHAPE

    _programme(world)
    Cluster.objects.filter(pk=world.cluster_a.pk).update(latitude=Decimal("-15.84"), longitude=Decimal("-70.02"))
    page = client_for(world.users["manager"]).get(PAGES["dashboard"]).content.decode()
    counts = {marker: page.count(marker) for marker in SAME_SHAPE["dashboard"]}
    assert all(counts.values()), counts
    assert counts['class="map-area"'] == 25


def test_a_filter_that_matches_no_cluster_shows_zeros(client_for, world):
    response = _dashboard(client_for(world.users["manager"]), region="01")
    figures = response.context["figures"]
    assert figures.cluster_ids == ()
    assert figures.budget == {"count": 0, "planned": 0, "executed": 0}
    assert sum(figures.this_quarter.values()) == 0 and figures.serious_risks == 0 and figures.actors == 0
    assert len(figures.goals) == 8
