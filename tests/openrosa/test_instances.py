"""The instance → answers mapping (openrosa.instances): XML in, interview_save's terms out."""

import datetime
from decimal import Decimal

import pytest

from openrosa import instances
from surveys.engine import Structure
from surveys.selectors import form_questions
from tests.openrosa.conftest import fill

pytestmark = pytest.mark.django_db


def _map(version, xml):
    return instances.map_instance(instances.read_envelope(xml), Structure.of(form_questions(version)))


def test_answers_come_out_typed(world, questionnaire):
    mapped = _map(questionnaire, fill(questionnaire, world.cluster_a, world.actor_a))
    assert mapped.answers[("empleados", "")] == Decimal(45)
    assert mapped.answers[("participacion_usa", "")] == Decimal("30.5")
    assert mapped.answers[("exporta", "")] is True
    assert mapped.answers[("mercados", "")] == ["usa", "ue"]
    assert mapped.answers[("inicio", "")] == datetime.date(2010, 3, 1)
    assert mapped.details["duration"] == datetime.timedelta(minutes=90)
    assert mapped.details["consent_given"] is True
    assert (mapped.cluster_ref, mapped.actor_ref) == (str(world.cluster_a.pk), str(world.actor_a.pk))
    assert mapped.metadata["deviceid"] == "collect:abc123"
    assert mapped.problems == []


def test_the_xforms_namespace_on_the_instance_makes_no_difference(world, questionnaire):
    plain = _map(questionnaire, fill(questionnaire, world.cluster_a, world.actor_a, instance_id="uuid:1"))
    spaced = _map(
        questionnaire, fill(questionnaire, world.cluster_a, world.actor_a, instance_id="uuid:1", drop_ns=False)
    )
    assert plain.answers == spaced.answers and plain.details == spaced.details


@pytest.mark.parametrize(
    ("code", "text"),
    [("empleados", "4.5"), ("empleados", "muchos"), ("inicio", "ayer"), ("exporta", "quizás"), ("tamano", "enorme")],
)
def test_an_answer_that_does_not_fit_is_left_out_with_its_reason(world, questionnaire, code, text):
    mapped = _map(questionnaire, fill(questionnaire, world.cluster_a, world.actor_a, answers={code: text}))
    assert (code, "") not in mapped.answers
    assert [what for what, _message in mapped.problems] == [code]


def test_an_element_that_is_no_question_is_reported(world, questionnaire):
    xml = fill(questionnaire, world.cluster_a, world.actor_a).replace(b"<meta>", b"<antigua>42</antigua><meta>")
    mapped = _map(questionnaire, xml)
    assert [what for what, _message in mapped.problems] == ["antigua"]


def test_a_new_actor_is_read_from_the_other_path(world, questionnaire):
    details = {"new-actor-name": "Hilandería", "new-actor-kind": "firm", "new-actor-ruc": "20100070970"}
    mapped = _map(questionnaire, fill(questionnaire, world.cluster_a, None, details=details))
    assert mapped.new_actor == {"name": "Hilandería", "kind": "firm", "ruc": "20100070970"}


def test_the_envelope_names_the_form_version_and_instance(world, questionnaire):
    envelope = instances.read_envelope(
        fill(questionnaire, world.cluster_a, world.actor_a, instance_id="uuid:0f8fad5b-d9cb-469f-a165-70867728950e")
    )
    assert envelope.form_id.endswith(f"-{questionnaire.questionnaire_id}")
    assert envelope.version.startswith("1.")
    assert str(envelope.interview_uuid) == "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.mark.parametrize(
    "xml",
    [b"", b"<data>", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><data>&a;</data>', b"<data><meta/></data>"],
)
def test_unreadable_or_hostile_xml_is_refused_with_a_reason(xml):
    with pytest.raises(instances.InstanceError):
        instances.read_envelope(xml)
