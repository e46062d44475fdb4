"""The data contract: the network summary helper and the sample case study."""

from django.utils import translation

from clusters.models import Risk
from reports.casestudy import NetworkEdge, NetworkNode, summarise_network
from tests.reports.sample import sample_case_study


def test_summarise_network_counts_degree_density_components_and_mixing():
    nodes = [
        NetworkNode(1, "A", "firm", "Firm"),
        NetworkNode(2, "B", "firm", "Firm"),
        NetworkNode(3, "U", "university", "University"),
        NetworkNode(4, "Lone", "ngo", "NGO"),
    ]
    edges = [
        NetworkEdge(1, 2, "supplies", "supplies"),
        NetworkEdge(3, 1, "trains", "trains"),
        NetworkEdge(3, 2, "trains", "trains"),
        NetworkEdge(3, 99, "trains", "trains"),  # an actor outside the cluster: dropped
    ]
    network = summarise_network(nodes, edges)
    assert [node.degree for node in network.nodes] == [2, 2, 2, 0]
    assert len(network.edges) == 3
    assert network.density == 3 / 12
    assert network.components == 2
    assert network.cross_kind_share == 2 / 3
    assert [(count.key, count.count) for count in network.ties_by_kind] == [("trains", 2), ("supplies", 1)]
    assert [item.name for item in network.top_degree] == ["A", "B", "U"]


def test_summarise_network_of_nothing_is_empty():
    network = summarise_network([], [])
    assert (network.nodes, network.density, network.components, network.top_degree) == ([], 0.0, 0, [])


def test_sample_rates_every_risk_of_the_article_once():
    ratings = sample_case_study().evaluation.ratings
    with translation.override("es"):
        assert sorted(line.risk for line in ratings) == sorted(str(risk.label) for risk in Risk)
    assert {line.level for line in ratings} == {"no_risk", "watch", "serious"}


def test_sample_covers_each_kind_of_question_and_indicator():
    sample = sample_case_study()
    types = {question.type for question in sample.findings.questions}
    assert types >= {"single_choice", "multiple_choice", "scale", "yes_no", "integer", "decimal", "text", "long_text"}
    indicators = [i for group in sample.interventions for item in group.interventions for i in item.indicators]
    assert {indicator.direction for indicator in indicators} == {"increase", "decrease"}
    assert any(indicator.progress is None for indicator in indicators)
    assert any(indicator.progress > 1 for indicator in indicators if indicator.progress is not None)
    assert len(sample.interventions) == 3 and sum(len(group.interventions) for group in sample.interventions) == 4
    assert [item.title for group in sample.interventions for item in group.interventions if item.cancelled]


def test_sample_network_is_consistent_with_its_actor_counts():
    sample = sample_case_study()
    assert sample.actors.total == len(sample.network.nodes) == sum(count.count for count in sample.actors.by_kind)
    assert sum(node.degree for node in sample.network.nodes) == 2 * len(sample.network.edges)


def test_english_sample_has_english_questions():
    assert sample_case_study("en").findings.questions[0].label == "Where do most of your fibre or products go?"
