"""The demo interviews: a realistic questionnaire and interviews in every status that differ by cluster."""

import pytest
from django.core.management import call_command

from clusters.models import Cluster, Membership, Relationship
from surveys import selectors
from surveys.demo import QUESTIONNAIRE, WORKSHOP_QUESTIONNAIRE
from surveys.models import Answer, AnswerActor, Attachment, Interview, Question, QuestionnaireVersion

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_published_questionnaires_with_skip_logic_groups_a_repeat_a_location_and_a_photo():
    _load()
    version = QuestionnaireVersion.objects.get(questionnaire__name=QUESTIONNAIRE)
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    questions = list(version.questions.all())
    assert 25 <= len(questions) <= 40
    builder_types = {"text", "long_text", "integer", "decimal", "single_choice", "multiple_choice", "scale", "yes_no",
                     "date", "actor_relationship"}  # fmt: skip
    assert {q.type for q in questions} == builder_types
    assert sum(q.type == Question.Type.ACTOR_RELATIONSHIP for q in questions) == 2
    assert sum(bool(q.relevant) for q in questions) >= 8
    assert all(q.labels.get("English (en)") for q in questions)
    workshop = QuestionnaireVersion.objects.get(questionnaire__name=WORKSHOP_QUESTIONNAIRE)
    assert workshop.status == QuestionnaireVersion.Status.PUBLISHED
    types = set(workshop.questions.values_list("type", flat=True))
    assert {"geopoint", "image", "calculate", "note", "time", "start", "end"} <= types
    assert workshop.sections.filter(kind="repeat", code="lineas").exists()
    assert workshop.sections.filter(kind="group").count() >= 3
    # Its interviews have product lines (repeat instances), a location and a photo bound to its question.
    interviews = Interview.objects.filter(version=workshop)
    assert interviews.count() >= 16
    assert Answer.objects.filter(interview__in=interviews, question__code="producto", repeat="2").exists()
    assert Answer.objects.filter(interview__in=interviews, question__code="ingreso_total").exists()
    assert not Answer.objects.filter(interview__in=interviews, question__code="ubicacion", text_value="").exists()
    assert (
        Attachment.objects.filter(interview__in=interviews, question__code="foto_taller").count() == interviews.count()
    )


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
    # Every interview that was submitted (returned ones too) has a tie for each actor its answers name.
    submitted = interviews.exclude(status=Interview.Status.DRAFT)
    named = set(AnswerActor.objects.filter(answer__interview__in=submitted).values_list("answer__interview", "actor"))
    assert set(ties.values_list("interview", "target")) == named
    assert ties.filter(interview__status=Interview.Status.RETURNED).exists()
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
