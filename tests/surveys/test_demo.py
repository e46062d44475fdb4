"""The demo interviews: a realistic questionnaire and interviews in every status that differ by cluster."""

import pytest
from django.core.management import call_command

from clusters.models import Cluster, Membership, Relationship
from surveys import selectors
from surveys.demo import QUESTIONNAIRE
from surveys.models import Answer, Interview, Question, QuestionnaireVersion

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_a_published_questionnaire_of_every_question_type_with_skip_logic():
    _load()
    version = QuestionnaireVersion.objects.get(questionnaire__name=QUESTIONNAIRE)
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    questions = list(version.questions.all())
    assert 25 <= len(questions) <= 40
    assert {q.type for q in questions} == set(Question.Type.values)
    assert sum(q.type == Question.Type.ACTOR_RELATIONSHIP for q in questions) == 2
    assert sum(bool(q.relevant) for q in questions) >= 8
    assert all(q.label_en for q in questions)


def test_the_demo_interviews_cover_every_status_and_stay_in_their_researchers_clusters():
    _load()
    interviews = Interview.objects.filter(version__questionnaire__name=QUESTIONNAIRE).select_related("interviewer")
    assert interviews.count() >= 150
    assert set(interviews.values_list("status", flat=True)) == set(Interview.Status.values)
    assert set(interviews.values_list("interviewer__username", flat=True)) == {"investigadora", "investigador2"}
    for interview in interviews:
        assert interview.cluster.team.filter(pk=interview.interviewer_id).exists()
        assert Membership.objects.filter(cluster=interview.cluster_id, actor=interview.actor_id).exists()
    assert all(i.review_comment for i in interviews.filter(status=Interview.Status.RETURNED))
    # Ties named in submitted interviews are in the network, linked to their interview.
    ties = Relationship.objects.filter(interview__in=interviews)
    assert ties.exists()
    assert not ties.filter(interview__status=Interview.Status.DRAFT).exists()
    # Skip logic holds: nobody who does not export has export markets.
    assert not Answer.objects.filter(
        question__code="mercados", interview__answers__question__code="exporta", interview__answers__bool_value=False
    ).exists()


def test_the_demo_findings_differ_by_cluster_and_loading_twice_changes_nothing():
    _load()
    count = Interview.objects.count()
    _load()
    assert Interview.objects.count() == count
    version = QuestionnaireVersion.objects.get(questionnaire__name=QUESTIONNAIRE)
    means = {}
    for cluster in Cluster.objects.filter(team__username__in=["investigadora", "investigador2"]):
        result = selectors.findings(cluster=cluster, version=version, statuses=["approved", "submitted"])
        assert result.sample_size > 10
        workers = next(q for q in result.questions if q.code == "trabajadores")
        means[cluster.slug] = workers.stats.mean
    # A mining cluster's firms are far larger than Gamarra's garment workshops.
    assert means["minero-centro"] > 5 * means["moda-vestir-lima"]
    assert len(set(means.values())) == len(means) == 8
