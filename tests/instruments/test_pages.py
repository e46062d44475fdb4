"""The cluster's instruments tab, the portfolio and the catalogue: what each persona sees, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from instruments.selectors import cluster_instruments
from tests import factories as f

pytestmark = pytest.mark.django_db


def _programme(cluster, count, goal_codes=("external-links", "supplier-capacity", "identify-clusters")):
    """``count`` interventions with an indicator, three measurements, an activity and a beneficiary each."""
    instruments = {code: f.InstrumentTypeFactory(goal=f.goal(code)) for code in goal_codes}
    actor = f.ActorFactory()
    f.MembershipFactory(cluster=cluster, actor=actor)
    for n in range(count):
        intervention = f.InterventionFactory(
            cluster=cluster, instrument_type=instruments[goal_codes[n % len(goal_codes)]], title=f"Intervención {n}"
        )
        intervention.beneficiaries.add(actor)
        indicator = f.IndicatorFactory(intervention=intervention)
        for month, status in ((3, "approved"), (6, "approved"), (9, "pending")):
            f.MeasurementFactory(indicator=indicator, date=datetime.date(2024, month, 28), status=status)
        f.ActivityFactory(intervention=intervention)


# --- Cluster tab ----------------------------------------------------------------------------------


def test_cluster_tab_groups_interventions_by_goal_in_catalogue_order(client_for, world):
    f.InterventionFactory(
        cluster=world.cluster_a,
        instrument_type=f.InstrumentTypeFactory(goal=f.goal("identify-clusters")),
        title="Mapa cualitativo del clúster alpaquero",
    )
    page = client_for(world.users["researcher_a"]).get(reverse("instruments:cluster", args=["camelidos"]))
    content = page.content.decode()
    assert page.status_code == 200
    assert content.index("Identificar clústeres") < content.index("Aumentar lazos externos")
    assert "Mapa cualitativo del clúster alpaquero" in content
    assert world.intervention_a.title in content
    assert world.intervention_b.title not in content
    # Read-only for researchers.
    assert reverse("instruments:intervention_create", args=["camelidos"]) not in content
    assert 'aria-current="page" href="/instruments/clusters/camelidos/"' in content


def test_cluster_tab_shows_budget_execution_and_activity_rollups(client_for, world):
    f.ActivityFactory(intervention=world.intervention_a, women=5, men=7)
    content = client_for(world.users["manager"]).get(reverse("instruments:cluster", args=["camelidos"])).content
    content = content.decode()
    # 120,000 of 250,000 executed: 48 %.
    assert "48 %" in content
    assert "S/ 120,000.00" in content
    # 12 + 5 women, 9 + 7 men in the two activities.
    assert "2 actividades · 33 participantes (17 mujeres, 16 hombres)" in content


def test_researchers_of_other_clusters_get_404_on_the_tab(client_for, world):
    assert (
        client_for(world.users["researcher_b"]).get(reverse("instruments:cluster", args=["camelidos"])).status_code
        == 404
    )


@pytest.mark.parametrize("count", [2, 30])
def test_cluster_tab_query_count_does_not_grow_with_interventions(
    client_for, world, count, django_assert_max_num_queries
):
    _programme(world.cluster_a, count)
    client = client_for(world.users["coordinator"])
    # Session, user, permissions and navigation, then the cluster, the shared selector (4) and the totals (3).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("instruments:cluster", args=["camelidos"]))
    assert response.content.decode().count('data-testid="intervention-card"') == count + 1


@pytest.mark.parametrize("count", [3, 40])
def test_the_shared_selector_reads_in_four_queries_at_any_size(world, count, django_assert_num_queries):
    _programme(world.cluster_a, count)
    with django_assert_num_queries(4):
        groups = cluster_instruments(world.cluster_a)
    interventions = [i for g in groups for i in g.interventions]
    assert len(interventions) == count + 1
    assert [g.code for g in groups] == ["identify-clusters", "supplier-capacity", "external-links"][: len(groups)]
    first = next(i for i in interventions if i.title == "Intervención 0")
    assert first.beneficiaries_count == 1
    assert first.budget_planned == Decimal("250000.00")
    assert first.level_label == "Regional"
    (indicator,) = first.indicators
    assert indicator.series == [
        (datetime.date(2024, 3, 28), Decimal("15")),
        (datetime.date(2024, 6, 28), Decimal("15")),
    ]
    assert indicator.progress == 0.25


def test_the_selector_limits_interventions_and_measurements_to_a_period(world):
    groups = cluster_instruments(
        world.cluster_a, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 6, 30)
    )
    (indicator,) = groups[0].interventions[0].indicators
    assert indicator.series == [(datetime.date(2024, 6, 30), Decimal("12"))]
    assert cluster_instruments(world.cluster_a, period_end=datetime.date(2023, 12, 31)) == []


# --- Portfolio -------------------------------------------------------------------------------------


def test_portfolio_totals_and_gap_matrix_for_a_manager(client_for, world):
    response = client_for(world.users["manager"]).get(reverse("instruments:portfolio"))
    content = response.content.decode()
    assert response.status_code == 200
    assert world.intervention_a.title in content and world.intervention_b.title in content
    assert response.context["totals"]["planned"] == Decimal("500000.00")
    assert response.context["totals"]["executed"] == Decimal("240000.00")
    assert "S/ 500,000.00" in content
    matrix = response.context["matrix"]
    assert [c.slug for c in matrix["clusters"]] == ["cafe", "camelidos"]
    rows = {row["goal"].code: row for row in matrix["rows"]}
    assert len(rows) == 8
    assert [cell["count"] for cell in rows["external-links"]["cells"]] == [1, 1]
    assert rows["identify-clusters"]["gap_count"] == 2
    assert content.count('data-gap="1"') == 14
    assert content.count('data-gap="1">ninguna</td>') == 14  # in Spanish, like the rest of the page


def test_the_benchmark_counts_what_the_portfolio_shows(client_for, world):
    """bench/run.py compares the portfolio at two volumes only if both show the same rows and matrix columns."""
    from bench.run import PAGES, SAME_SHAPE

    _programme(world.cluster_a, 30)
    page = client_for(world.users["manager"]).get(PAGES["portfolio page"]).content.decode()
    rows, columns = (page.count(marker) for marker in SAME_SHAPE["portfolio page"])
    # Goal, one column per cluster and "clusters without it"; then the list's eight headings.
    assert columns == 1 + 2 + 1 + 8
    # The list's 25 rows of a page and its heading, the matrix's heading and its 8 goals.
    assert rows == 25 + 1 + 1 + 8


def test_portfolio_filters_by_goal_level_status_and_region(client_for, world):
    f.InterventionFactory(
        cluster=world.cluster_b,
        instrument_type=f.InstrumentTypeFactory(goal=f.goal("spin-off-finance")),
        government_level="national",
        status="planned",
        title="Fondo de garantía para cafetaleros",
        budget_planned=Decimal("900000"),
        budget_executed=Decimal("0"),
    )
    client = client_for(world.users["coordinator"])
    url = reverse("instruments:portfolio")
    by_goal = client.get(url, {"goal": f.goal("spin-off-finance").pk})
    assert [row["title"] for row in by_goal.context["rows"]] == ["Fondo de garantía para cafetaleros"]
    by_level = client.get(url, {"government_level": "regional"})
    assert by_level.context["totals"]["count"] == 2
    by_status = client.get(url, {"status": "planned"})
    assert by_status.context["totals"]["planned"] == Decimal("900000.00")
    junin = client.get(url, {"region": "12"})
    assert {row["cluster_url"] for row in junin.context["rows"]} == {reverse("instruments:cluster", args=["cafe"])}
    assert [c.slug for c in junin.context["matrix"]["clusters"]] == ["cafe"]


def test_a_portfolio_row_shows_the_intervention_in_the_readers_language(client_for, world):
    world.intervention_b.beneficiaries.add(world.actor_b)
    client = client_for(world.users["manager"])
    url = reverse("instruments:portfolio")
    (spanish,) = [row for row in client.get(url).context["rows"] if row["title"] == world.intervention_b.title]
    goal = world.intervention_b.instrument_type.goal
    assert spanish["url"] == world.intervention_b.get_absolute_url()
    assert spanish["cluster_name"] == world.intervention_b.cluster.name
    assert spanish["goal_name"] == goal.name_es
    assert spanish["level"] == world.intervention_b.get_government_level_display()
    assert spanish["status"] == world.intervention_b.get_status_display()
    assert spanish["beneficiaries_count"] == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (english,) = [row for row in client.get(url).context["rows"] if row["title"] == world.intervention_b.title]
    assert english["goal_name"] == (goal.name_en or goal.name_es) and english["goal_name"] != goal.name_es


def test_portfolio_rows_escape_what_users_typed(client_for, world):
    from clusters.models import Cluster
    from instruments.models import Intervention

    Intervention.objects.filter(pk=world.intervention_b.pk).update(title='<script>alert("x")</script>')
    Cluster.objects.filter(pk=world.intervention_b.cluster_id).update(name="Café & cacao")
    html = client_for(world.users["manager"]).get(reverse("instruments:portfolio")).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Café &amp; cacao" in html and "Café & cacao" not in html
    listing = html[html.index('data-testid="portfolio-list"') :]
    row = listing[listing.index("&lt;script&gt;") :]
    row = row[: row.index("</tr>")]
    assert row.count("<td") == 7  # and the one the title is in: eight cells
    assert "S/ 250,000.00" in row


def test_researchers_get_a_portfolio_scoped_to_their_clusters(client_for, world):
    response = client_for(world.users["researcher_b"]).get(reverse("instruments:portfolio"))
    content = response.content.decode()
    assert response.status_code == 200
    assert world.intervention_b.title in content
    assert world.intervention_a.title not in content
    assert [c.slug for c in response.context["matrix"]["clusters"]] == ["cafe"]
    assert response.context["totals"]["planned"] == Decimal("250000.00")
    assert "Usted ve las intervenciones de los clústeres en cuyo equipo está." in content


def test_the_portfolios_people_and_pages_add_up_for_every_selection(client_for, world):
    """The whole programme's activities and beneficiaries are summed without asking which interventions they
    belong to; a filter or a researcher's scope sums only theirs. The pager takes its count from the totals."""
    from instruments.models import Activity, Intervention

    _programme(world.cluster_a, 30)  # 30 more interventions in cluster A, an activity and a beneficiary each
    _programme(world.cluster_b, 3, goal_codes=("spin-off-finance",))
    Intervention.objects.filter(cluster=world.cluster_b, title="Intervención 0").update(status="cancelled")
    f.ActivityFactory(intervention=world.intervention_b, women=5, men=1)
    world.intervention_b.beneficiaries.add(world.actor_b, world.actor_a)
    url = reverse("instruments:portfolio")

    def expected(interventions):
        activities = Activity.objects.filter(intervention__in=interventions)
        links = Intervention.beneficiaries.through.objects.filter(intervention__in=interventions)
        return (
            activities.count(),
            sum(activities.values_list("women", flat=True)),
            sum(activities.values_list("men", flat=True)),
            links.values("actor_id").distinct().count(),
        )

    def shown(response):
        totals = response.context["totals"]
        return (
            totals["activity_activities"],
            totals["activity_women"],
            totals["activity_men"],
            totals["beneficiaries"],
        )

    manager = client_for(world.users["manager"])
    everything = manager.get(url)
    assert shown(everything) == expected(Intervention.objects.all())
    assert shown(everything)[0] == 35 and shown(everything)[3] == 4  # the two programmes' actors, actor A and B
    assert everything.context["page"].paginator.count == Intervention.objects.count() == 35
    assert everything.context["page"].paginator.num_pages == 2
    second = manager.get(url, {"page": 2})
    assert len(second.context["rows"]) == 10
    cancelled = manager.get(url, {"status": "cancelled"})
    assert shown(cancelled) == expected(Intervention.objects.filter(status="cancelled")) != (0, 0, 0, 0)
    assert cancelled.context["page"].paginator.count == 1
    finance = manager.get(url, {"goal": f.goal("spin-off-finance").pk})
    assert shown(finance) == expected(Intervention.objects.filter(instrument_type__goal=f.goal("spin-off-finance")))
    scoped = client_for(world.users["researcher_b"]).get(url)
    assert shown(scoped) == expected(Intervention.objects.filter(cluster=world.cluster_b))
    assert scoped.context["page"].paginator.count == Intervention.objects.filter(cluster=world.cluster_b).count()


@pytest.mark.parametrize("count", [2, 40])
def test_portfolio_query_count_does_not_grow_with_interventions(
    client_for, world, count, django_assert_max_num_queries
):
    _programme(world.cluster_a, count)
    _programme(world.cluster_b, count)
    client = client_for(world.users["manager"])
    # 16, and the sector filter's options: the pager counts nothing and the totals come with the gap matrix.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("instruments:portfolio"))
    assert response.context["totals"]["count"] == 2 * count + 2


# --- Catalogue -------------------------------------------------------------------------------------


def test_catalogue_has_the_articles_eight_goals_with_spanish_and_english_wording(client_for, world):
    client = client_for(world.users["manager"])
    content = client.get(reverse("instruments:catalogue")).content.decode()
    for text in (
        "Comprometer a los actores",
        "Redes de servicios y negocios",
        "Colaboración en I&amp;D y comercialización",
        "Desarrollar mapas de clústeres —cualitativos y cuantitativos—",
        "Acceso al financiamiento por derivados",
        "Observatorios técnicos",
    ):
        assert text in content
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("instruments:catalogue")).content.decode()
    assert "Qualitative and quantitative cluster maps" in english
    assert "Access to finance for spin-offs" in english


def test_catalogue_says_where_each_instrument_is_applied_scoped_to_the_user(client_for, world):
    cluster_maps = f.goal("identify-clusters").instrument_types.get(code="cluster-maps")
    f.InterventionFactory(cluster=world.cluster_a, instrument_type=cluster_maps)
    f.InterventionFactory(cluster=world.cluster_b, instrument_type=cluster_maps)
    manager = client_for(world.users["manager"]).get(reverse("instruments:catalogue")).content.decode()
    assert "2 intervenciones en:" in manager
    researcher = client_for(world.users["researcher_a"]).get(reverse("instruments:catalogue")).content.decode()
    assert "1 intervención en:" in researcher
    assert "Café del Perú" not in researcher
