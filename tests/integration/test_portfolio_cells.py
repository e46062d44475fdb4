"""The portfolio's cells (instruments.models.PortfolioCell), which PostgreSQL's triggers keep, against the sums of
the interventions and activities themselves, after every kind of write: the ORM one row at a time, bulk
updates and deletes, raw SQL in either order, a catalogue change, TRUNCATE, and two writers of one cell at once.
"""

import importlib
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Sum

from clusters.access import visible_clusters
from instruments.models import Activity, InstrumentType, Intervention, PortfolioCell
from instruments.selectors import _sums_from_cells, _sums_from_rows, portfolio, visible_interventions
from tests import factories as f

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SUMS = ("women", "men", "firms_micro", "firms_small", "firms_medium", "firms_large")


def added_up():
    """{(cluster id, goal id): (interventions, planned, executed, activities, women, ..., firms_large)} from the
    interventions and activities themselves."""
    cells = defaultdict(lambda: [0, Decimal("0"), Decimal("0"), 0, *(0 for _ in SUMS)])
    for row in (
        Intervention.objects.order_by()
        .values("cluster_id", goal_id=F("instrument_type__goal_id"))
        .annotate(n=Count("pk"), planned=Sum("budget_planned"), executed=Sum("budget_executed"))
    ):
        cells[row["cluster_id"], row["goal_id"]][:3] = [row["n"], row["planned"], row["executed"]]
    for row in (
        Activity.objects.order_by()
        .values(cluster_id=F("intervention__cluster_id"), goal_id=F("intervention__instrument_type__goal_id"))
        .annotate(n=Count("pk"), **{name: Sum(name) for name in SUMS})
    ):
        cells[row["cluster_id"], row["goal_id"]][3:] = [row["n"], *(row[name] for name in SUMS)]
    return {key: tuple(value) for key, value in cells.items()}


def kept():
    """The same from the cells the triggers keep; a cell left without interventions must be all zeros."""
    columns = ("interventions", "budget_planned", "budget_executed", "activities", *SUMS)
    cells = {}
    for row in PortfolioCell.objects.values("cluster_id", "goal_id", *columns):
        figures = tuple(row[name] for name in columns)
        if row["interventions"]:
            cells[row["cluster_id"], row["goal_id"]] = figures
        else:
            assert not any(figures), row
    return cells


@pytest.fixture
def programme():
    goals = [f.GoalFactory(), f.GoalFactory()]
    kinds = [f.InstrumentTypeFactory(goal=goals[0]), f.InstrumentTypeFactory(goal=goals[1])]
    clusters = [f.ClusterFactory(), f.ClusterFactory()]
    interventions = [
        f.InterventionFactory(cluster=cluster, instrument_type=kind, budget_planned=Decimal(f"{1000 * n}.25"))
        for n, (cluster, kind) in enumerate([(c, k) for c in clusters for k in kinds] * 2, start=1)
    ]
    for n, intervention in enumerate(interventions):
        f.ActivityFactory.create_batch(n % 3, intervention=intervention, women=n, men=2 * n, firms_large=1)
    return {"goals": goals, "kinds": kinds, "clusters": clusters, "interventions": interventions}


def test_the_cells_follow_every_write_of_the_interventions_and_activities(programme):
    interventions, clusters, kinds = programme["interventions"], programme["clusters"], programme["kinds"]
    assert kept() == added_up() and len(kept()) == 4

    # One row at a time, as the services and the admin write.
    first = interventions[0]
    first.budget_executed = Decimal("999.99")
    first.save()
    first.cluster = clusters[1]  # its activities move with it
    first.instrument_type = kinds[1]
    first.save()
    assert kept() == added_up()
    activity = Activity.objects.filter(intervention=interventions[1]).first()
    activity.women, activity.intervention = 40, interventions[2]
    activity.save()
    f.ActivityFactory(intervention=interventions[3], firms_micro=7)
    Activity.objects.filter(intervention=interventions[4]).first().delete()
    assert kept() == added_up()

    # Bulk: an update and a delete of many rows, an intervention removed with its activities (Django removes
    # the activities first).
    Intervention.objects.filter(cluster=clusters[0]).update(budget_planned=F("budget_planned") + 1)
    Activity.objects.filter(intervention__cluster=clusters[1]).update(men=F("men") + 3)
    Activity.objects.filter(women__gt=5).delete()
    interventions[5].delete()
    assert kept() == added_up()

    # Raw SQL, the intervention first and its activities after (the keys are checked at commit).
    doomed = interventions[7]
    f.ActivityFactory.create_batch(2, intervention=doomed, women=3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM instruments_intervention_beneficiaries WHERE intervention_id = %s", [doomed.pk])
        cursor.execute("DELETE FROM instruments_intervention WHERE id = %s", [doomed.pk])
        assert kept() == added_up()
        cursor.execute("DELETE FROM instruments_activity WHERE intervention_id = %s", [doomed.pk])
    assert kept() == added_up()

    # The catalogue: an instrument moved to the other goal takes its interventions' figures along.
    InstrumentType.objects.filter(pk=kinds[0].pk).update(goal=programme["goals"][1])
    assert kept() == added_up()
    assert {goal for _cluster, goal in kept()} == {programme["goals"][1].pk}

    # TRUNCATE empties what it empties (once the keys deferred by the raw deletes above are checked).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE instruments_activity")
    assert kept() == added_up() and all(figures[3] == 0 for figures in kept().values())


def test_the_portfolio_reads_the_same_figures_from_the_cells_as_from_the_rows(programme, world, client):
    goal, cluster = programme["goals"][0], programme["clusters"][0]
    cluster.team.add(world.users["researcher_a"])
    manager, researcher = world.users["manager"], world.users["researcher_a"]
    for user, narrowing in [(manager, {}), (manager, {"goal": goal}), (researcher, {}), (researcher, {"goal": goal})]:
        interventions = visible_interventions(user)
        if narrowing:
            interventions = interventions.filter(instrument_type__goal=goal)
        clusters = visible_clusters(user)
        everything = not narrowing and user == manager
        from_rows = _sums_from_rows(interventions, everything)
        from_cells = _sums_from_cells(clusters, narrowing.get("goal"))
        assert from_rows == from_cells, (user, narrowing)
    # The page itself takes the cells and shows the rows' figures.
    page = portfolio(manager)
    assert page["totals"]["count"] == Intervention.objects.count()
    assert page["totals"]["activity_activities"] == Activity.objects.count()
    client.force_login(manager)
    response = client.get("/instruments/")
    total = f'data-testid="total-interventions">{Intervention.objects.count()}</dd>'
    assert response.status_code == 200 and total in response.content.decode()


def test_the_migration_fills_the_cells_from_the_rows_already_there(programme):
    migration = importlib.import_module("instruments.migrations.0005_portfolio_cells")
    with connection.schema_editor() as editor:
        migration.uninstall(None, editor)
    PortfolioCell.objects.all().delete()
    f.ActivityFactory(intervention=programme["interventions"][0], women=100)  # written with no trigger
    assert kept() == {}
    with connection.schema_editor() as editor:
        migration.install(None, editor)
    assert kept() == added_up() and len(kept()) == 4


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_cell_at_once_both_count():
    """Each trigger adds to the cell (INSERT ... ON CONFLICT DO UPDATE): the second writer waits for the first's
    commit and adds to what it left, instead of both reading the same sum and one overwriting the other."""
    kind, cluster = f.InstrumentTypeFactory(), f.ClusterFactory()
    first_wrote, failures = threading.Event(), []

    def write(wait_before, hold):
        try:
            if wait_before:
                first_wrote.wait(5)
            with transaction.atomic():
                f.InterventionFactory(cluster=cluster, instrument_type=kind, budget_planned=Decimal("10"))
                f.ActivityFactory(intervention=Intervention.objects.filter(cluster=cluster).latest("pk"), women=1)
                first_wrote.set()
                if hold:
                    threading.Event().wait(0.5)  # commit late, while the other writer waits on the cell
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(False, True)), threading.Thread(target=write, args=(True, False))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(20)
    assert not failures
    cell = PortfolioCell.objects.get(cluster=cluster, goal=kind.goal)
    assert (cell.interventions, cell.budget_planned, cell.activities, cell.women) == (2, Decimal("20.00"), 2, 2)
    assert kept() == added_up()
