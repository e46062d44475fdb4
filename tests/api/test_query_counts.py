"""Every API list costs the same queries with a few rows and with many (a page of rows, never more)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from tests import factories as f
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db

LISTS = [
    "api:cluster-list",
    "api:actor-list",
    "api:membership-list",
    "api:tie-list",
    "api:evaluation-list",
    "api:questionnaire-list",
    "api:version-list",
    "api:interview-list",
    "api:intervention-list",
    "api:indicator-list",
    "api:measurement-list",
    "api:activity-list",
    "api:report-list",
]


def _more_of_everything(world, n):
    """n more rows of every kind, in cluster A (which researcher_a sees) and in new clusters."""
    coordinator = world.users["coordinator"]
    for _ in range(n):
        cluster = f.ClusterFactory(team=[world.users["researcher_a"]], coordinator=coordinator)
        actor = f.ActorFactory()
        other = f.ActorFactory()
        f.MembershipFactory(cluster=world.cluster_a, actor=actor)
        f.MembershipFactory(cluster=cluster, actor=other)
        f.RelationshipFactory(cluster=world.cluster_a, source=actor, target=world.actor_a)
        evaluation = f.EvaluationFactory(cluster=world.cluster_a, evaluator=coordinator)
        f.RiskRatingFactory(evaluation=evaluation)
        version = f.QuestionnaireVersionFactory()
        f.InterviewFactory(
            version=world.version, cluster=world.cluster_a, actor=actor, interviewer=world.users["researcher_a"]
        )
        intervention = f.InterventionFactory(cluster=world.cluster_a, instrument_type=world.instrument_type)
        intervention.beneficiaries.add(actor)
        indicator = f.IndicatorFactory(intervention=intervention)
        f.MeasurementFactory(indicator=indicator)
        f.ActivityFactory(intervention=intervention)
        f.ReportJobFactory(cluster=world.cluster_a, requested_by=coordinator)
        assert version


def _queries(client, name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name) + "?page_size=5")
    assert response.status_code == 200, (name, response.content[:200])
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("persona", ["researcher_a", "coordinator"])
def test_every_api_list_costs_the_same_queries_with_few_and_many_rows(world, api, persona):
    client = api(make_token(world.users[persona], ApiToken.Scope.READ))
    names = [n for n in LISTS if persona != "researcher_a" or n != "api:report-list"]
    _more_of_everything(world, 5)
    few = {name: _queries(client, name) for name in names}
    _more_of_everything(world, 15)
    many = {name: _queries(client, name) for name in names}
    for name in names:
        assert many[name][1] == 5, f"{name}: a page of 5 rows"
        assert many[name][0] == few[name][0], f"{name}: {few[name][0]} queries with few rows, {many[name][0]} with many"
        assert many[name][0] <= 10, f"{name}: {many[name][0]} queries"
