"""POST /submission as ODK Collect sends it: one path into the database, nothing lost."""

import copy
import uuid

import pytest
from django.urls import reverse

from openrosa import xforms
from openrosa.instances import local
from openrosa.models import Submission
from surveys import services as survey_services
from surveys.models import Answer, Attachment, Interview, InterviewChange
from tests.openrosa.conftest import JPEG, basic, blank_instance, fill, post, received
from tests.surveys.conftest import build_priced_questionnaire

pytestmark = pytest.mark.django_db


def _typed(interview):
    values = {}
    for answer in (
        Answer.objects.filter(interview=interview).select_related("question").prefetch_related("chosen__choice")
    ):
        code = answer.question.code
        chosen = sorted(c.choice.value for c in answer.chosen.all())
        values[code] = chosen or answer.number_value or answer.date_value or answer.bool_value or answer.text_value
    return values


def test_head_says_openrosa_and_how_much_one_post_may_carry(client, world, device, settings):
    _row, token = device
    response = client.head(reverse("openrosa:key_submission", kwargs={"token": token}))
    assert response.status_code == 204
    assert response["X-OpenRosa-Version"] == "1.0"
    assert int(response["X-OpenRosa-Accept-Content-Length"]) == settings.CASEBOOK_OPENROSA_MAX_POST_BYTES


def test_a_device_submission_becomes_a_submitted_interview_with_typed_answers(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    response = post(client, xml, token=token)
    assert response.status_code == 201, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    assert "OpenRosaResponse" in response.content.decode()
    assert "revisión" in response.content.decode()
    submission = received().get()
    assert submission.state == Submission.State.MAPPED
    assert bytes(submission.xml) == xml
    interview = submission.interview
    assert interview.status == Interview.Status.SUBMITTED
    assert interview.interviewer == world.users["researcher_a"]
    assert (interview.cluster, interview.actor) == (world.cluster_a, world.actor_a)
    assert interview.respondent_name == "Rosa Mamani"
    assert interview.duration.total_seconds() == 90 * 60
    assert interview.consent_given is True
    values = _typed(interview)
    assert values["empleados"] == 45
    assert values["participacion_usa"] == pytest.approx(30.5)
    assert values["mercados"] == ["ue", "usa"]
    assert values["tamano"] == ["pequena"]
    assert values["exporta"] is True
    assert str(values["inicio"]) == "2010-03-01"
    assert interview.uuid == uuid.UUID(submission.instance_id.removeprefix("uuid:"))
    # The same review workflow and history as the web form.
    assert InterviewChange.objects.filter(interview=interview, action="submitted").exists()
    client.force_login(world.users["coordinator"])
    assert interview.actor.name in client.get(reverse("surveys:review_queue")).content.decode()


def test_a_resend_after_a_lost_response_creates_nothing_new(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    assert post(client, xml, token=token).status_code == 201
    again = post(client, xml, token=token)
    assert again.status_code == 201
    assert "ya había llegado" in again.content.decode()
    assert received().count() == 1
    assert Interview.objects.filter(device_submissions__isnull=False).count() == 1


def test_the_same_instance_id_with_other_content_is_refused_as_odk_central_does(client, world, questionnaire, device):
    _row, token = device
    instance = f"uuid:{uuid.uuid4()}"
    assert (
        post(client, fill(questionnaire, world.cluster_a, world.actor_a, instance_id=instance), token=token).status_code
        == 201
    )
    other = fill(
        questionnaire, world.cluster_a, world.actor_a, instance_id=instance, details={"interview-place": "Puno"}
    )
    response = post(client, other, token=token)
    assert response.status_code == 409
    assert "instanceID" in response.content.decode()
    assert received().count() == 1


def test_a_split_submission_is_stored_in_parts_and_recorded_once_complete(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a, details={"interview-photo": "taller.jpg"})
    first = post(client, xml, token=token, files=[("taller.jpg", JPEG, "image/jpeg")], incomplete=True)
    assert first.status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.INCOMPLETE
    assert submission.interview is None
    last = post(client, xml, token=token, files=[("voz.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")])
    assert last.status_code == 201
    submission.refresh_from_db()
    assert submission.state == Submission.State.MAPPED, submission.reason
    interview = submission.interview
    assert interview.status == Interview.Status.SUBMITTED
    assert sorted(Attachment.objects.filter(interview=interview).values_list("original_name", flat=True)) == [
        "taller.jpg",
        "voz.pdf",
    ]
    assert submission.files.count() == 2


def test_a_file_the_interview_does_not_accept_is_kept_and_observed(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    response = post(client, xml, token=token, files=[("nota.txt", b"hola", "text/plain")])
    assert response.status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert "nota.txt" in submission.reason
    assert submission.files.get().attachment is None
    assert submission.interview.status == Interview.Status.SUBMITTED
    assert "nota.txt" in submission.interview.observations


def test_a_photo_sent_as_evil_html_is_stored_and_served_as_a_jpeg(client, client_for, world, questionnaire, device):
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    response = post(client, xml, token=device[1], files=[("evil.html", JPEG, "text/html")])
    assert response.status_code == 201
    submission = received().get()
    attachment = submission.files.get().attachment
    assert (attachment.original_name, attachment.content_type) == ("evil.jpg", "image/jpeg")
    assert attachment.file.name.endswith(".jpg")
    download = client_for(world.users["coordinator"]).get(
        reverse("surveys:attachment_download", kwargs={"pk": attachment.pk})
    )
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == 'attachment; filename="evil.jpg"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_an_answer_with_a_removed_option_is_left_out_and_the_interview_flagged(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a, answers={"tamano": "enorme", "empleados": "12",
               "exporta": "no", "confianza": "3"})  # fmt: skip
    assert post(client, xml, token=token).status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert "enorme" in submission.reason
    interview = submission.interview
    # Required 'tamano' is now missing: saved as a draft for her to complete, flagged for the coordinator.
    assert interview.status == Interview.Status.DRAFT
    assert "enorme" in interview.observations
    assert _typed(interview)["empleados"] == 12


def test_an_answer_that_breaks_a_rule_is_left_out_and_observed(client, world, questionnaire, device):
    _row, token = device
    answers = {"empleados": "-3", "tamano": "micro", "exporta": "no", "confianza": "9"}
    assert (
        post(client, fill(questionnaire, world.cluster_a, world.actor_a, answers=answers), token=token).status_code
        == 201
    )
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert "empleados" in submission.reason and "confianza" in submission.reason
    assert submission.interview is not None


def test_an_unknown_form_is_kept_with_its_reason_and_no_interview(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a).replace(b'version="1.', b'version="7.')
    assert post(client, xml, token=token).status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert submission.interview is None
    assert "No se conoce" in submission.reason


def test_unreadable_xml_is_kept_too(client, world, device):
    _row, token = device
    response = post(client, b"<data><unclosed></data>", token=token)
    assert response.status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert bytes(submission.xml) == b"<data><unclosed></data>"


def test_a_retired_version_is_observed_not_lost(client, world, questionnaire, device):
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    draft = survey_services.version_create_draft(
        questionnaire=questionnaire.questionnaire, created_by=world.users["coordinator"]
    )
    survey_services.version_publish(version=draft, published_by=world.users["coordinator"])
    assert post(client, xml, token=token).status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert submission.version == questionnaire


def test_a_cluster_she_does_not_see_makes_no_interview(client, world, questionnaire, device):
    _row, token = device
    assert post(client, fill(questionnaire, world.cluster_b, world.actor_b), token=token).status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.OBSERVATIONS
    assert submission.interview is None
    assert not Interview.objects.filter(cluster=world.cluster_b, interviewer=world.users["researcher_a"]).exists()


def test_a_new_actor_met_in_the_field_is_created_in_the_cluster(client, world, questionnaire, device):
    _row, token = device
    new_actor = {"new-actor-name": "Hilandería Puno", "new-actor-kind": "firm", "new-actor-ruc": ""}
    xml = fill(questionnaire, world.cluster_a, None, details=new_actor)
    assert post(client, xml, token=token).status_code == 201
    interview = received().get().interview
    assert interview.actor.name == "Hilandería Puno"
    assert interview.actor.memberships.filter(cluster=world.cluster_a).exists()


def test_named_ties_enter_the_network(client, world, questionnaire, device):
    _row, token = device
    answers = {
        **{"empleados": "5", "tamano": "micro", "exporta": "no", "confianza": "3"},
        "proveedores": str(world.actor_a2.pk),
    }
    assert (
        post(client, fill(questionnaire, world.cluster_a, world.actor_a, answers=answers), token=token).status_code
        == 201
    )
    interview = received().get().interview
    assert interview.relationships.filter(source=world.actor_a, target=world.actor_a2, kind="supplies").exists()


def test_an_edit_replaces_a_returned_interview(client, world, questionnaire, device):
    _row, token = device
    first = fill(questionnaire, world.cluster_a, world.actor_a)
    post(client, first, token=token)
    original = received().get()
    survey_services.interview_return(
        interview=original.interview, reviewer=world.users["coordinator"], comment="Revisar"
    )
    edit = fill(questionnaire, world.cluster_a, world.actor_a, answers={**_answers(), "empleados": "50"},
                deprecated_id=original.instance_id)  # fmt: skip
    assert post(client, edit, token=token).status_code == 201
    # One interview, edited: both submissions point at it.
    assert set(received().values_list("interview", flat=True)) == {original.interview_id}
    interview = Interview.objects.get(pk=original.interview_id)
    assert interview.status == Interview.Status.SUBMITTED
    assert _typed(interview)["empleados"] == 50


def test_an_edit_of_a_submitted_interview_is_refused_clearly(client, world, questionnaire, device):
    _row, token = device
    first = fill(questionnaire, world.cluster_a, world.actor_a)
    post(client, first, token=token)
    original = received().get()
    edit = fill(questionnaire, world.cluster_a, world.actor_a, deprecated_id=original.instance_id)
    response = post(client, edit, token=token)
    assert response.status_code == 409
    assert "devuelva" in response.content.decode()
    assert received().filter(state=Submission.State.REJECTED).count() == 1
    assert _typed(Interview.objects.get(pk=original.interview_id))["empleados"] == 45


def test_a_post_without_the_xml_file_is_a_clear_400(client, world, device):
    _row, token = device
    response = client.post(reverse("openrosa:key_submission", kwargs={"token": token}), {"x": "1"})
    assert response.status_code == 400
    assert "xml_submission_file" in response.content.decode()


def test_basic_sign_in_over_https_submits_too(client, world, questionnaire):
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    response = post(client, xml, auth=basic("researcher_a"))
    assert response.status_code == 201
    assert received().get().device_token is None


def _answers():
    return {"empleados": "45", "tamano": "pequena", "exporta": "no", "confianza": "4"}


def _workshop_form(coordinator):
    from surveys.demo import import_form

    return import_form("ficha_taller.md", coordinator)


def _workshop_xml(version, cluster, actor, lines):
    """A device's instance of the workshop form: its location and photo, and one <lineas> per product line."""
    from xml.etree import ElementTree

    data = blank_instance(version)
    answers = {
        "ubicacion": "-15.4997 -70.1333 3825 5.0",
        "foto_taller": "taller.jpg",
        "anio_inicio": "1998",
        "local": "propio",
        "trabajadores": "12",
        "trabajadoras": "7",
        "hora_inicio_jornada": "07:30:00.000-05:00",
    }
    registry = {
        xforms.CLUSTER_FIELD: str(cluster.pk),
        xforms.ACTOR_FIELD: str(actor.pk),
        "interview-date": "2025-06-10",
        "interview-mode": "in_person",
        "consent-given": "yes",
        "instanceID": f"uuid:{uuid.uuid4()}",
    }
    for element in data.iter():
        name = local(element.tag)
        if name in {**answers, **registry}:
            element.text = {**answers, **registry}[name]
    produccion = next(el for el in data.iter() if local(el.tag) == "produccion")
    blanks = [el for el in produccion if local(el.tag) == "lineas"]  # pyxform's template and a first instance
    template, position = blanks[-1], list(produccion).index(blanks[0])
    for blank in blanks:
        produccion.remove(blank)
    for offset, (product, volume, price) in enumerate(lines):
        line = copy.deepcopy(template)
        for attribute in list(line.attrib):
            del line.attrib[attribute]  # no jr:template on an instance that was filled
        for element in line.iter():
            value = {"producto": product, "unidad": "kg", "volumen_mensual": volume, "precio_unitario": price,
                     "destino": "local exportacion"}.get(local(element.tag))  # fmt: skip
            if value is not None:
                element.text = value
        produccion.insert(position + offset, line)
    xml = ElementTree.tostring(data, encoding="unicode")
    return xml.replace(' xmlns="http://www.w3.org/2002/xforms"', "").replace("ns0:", "").encode()


def test_a_form_with_groups_a_repeat_a_location_and_a_photo_arrives_typed(client, world, device):
    from decimal import Decimal

    version = _workshop_form(world.users["coordinator"])
    xml = _workshop_xml(version, world.cluster_a, world.actor_a, [("Chompas", "120", "85.5"), ("Chalinas", "40", "")])
    response = post(client, xml, token=device[1], files=[("taller.jpg", JPEG, "image/jpeg")])
    assert response.status_code == 201, response.content
    submission = received().get()
    interview = submission.interview
    assert interview is not None and interview.status == "submitted", submission.reason
    answers = {
        (a.question.code, a.repeat): a for a in Answer.objects.filter(interview=interview).select_related("question")
    }
    assert answers[("producto", "1")].text_value == "Chompas"
    assert answers[("producto", "2")].text_value == "Chalinas"
    assert answers[("volumen_mensual", "2")].number_value == Decimal(40)
    # Calculations are the server's: 120 x 85.5 for the first line, 0 for a line without a price.
    assert answers[("ingreso_linea", "1")].number_value == Decimal("10260")
    assert answers[("ingreso_linea", "2")].number_value == Decimal(0)
    assert answers[("lineas_total", "")].text_value == "2"
    assert answers[("ubicacion", "")].text_value == "-15.4997 -70.1333 3825 5.0"
    assert answers[("hora_inicio_jornada", "")].time_value.strftime("%H:%M") == "07:30"
    photo = Attachment.objects.get(interview=interview)
    assert (photo.question.code, photo.repeat, photo.original_name) == ("foto_taller", "", "taller.jpg")


def test_an_instance_that_uses_our_prefix_without_declaring_it_is_read(client, world, questionnaire, device):
    # ODK Web Forms 0.22 writes <exporta casebook:type="yes_no"> without declaring casebook: (an unbound
    # prefix, so not XML as it stands); the prefix is our XForms' own, so the instance is read all the same.
    _row, token = device
    xml = fill(questionnaire, world.cluster_a, world.actor_a)
    xml = xml.replace(b' xmlns:ns1="urn:cluster-casebook:xlsform"', b"").replace(b"ns1:", b"casebook:")
    assert b'<exporta casebook:type="yes_no">' in xml and b"xmlns:casebook" not in xml
    assert post(client, xml, token=token).status_code == 201
    submission = received().get()
    assert submission.state == Submission.State.MAPPED, submission.reason
    assert _typed(submission.interview)["empleados"] == 45
    # Any other undeclared prefix is still a form that cannot be read, kept with its reason.
    other = fill(questionnaire, world.cluster_a, world.actor_a).replace(b"<perfil>", b'<perfil x:y="1">')
    assert post(client, other, token=token).status_code == 201
    assert "unbound prefix" in received().exclude(pk=submission.pk).get().reason


def test_a_triggered_answer_the_device_set_and_the_person_edited_is_kept(client, world, device):
    _row, token = device
    version = build_priced_questionnaire(world.users["coordinator"])
    answers = {"precio": "2.5", "unidades": "4", "oferta": "12 soles, con descuento", "motivo": "a mano"}
    response = post(client, fill(version, world.cluster_a, world.actor_a, answers=answers), token=token)
    assert response.status_code == 201, response.content
    values = _typed(received().get().interview)
    assert (values["oferta"], values["motivo"]) == ("12 soles, con descuento", "a mano")


def test_the_details_a_device_sends_under_the_site_s_prefix_are_read_as_the_details(client, world, device):
    # A questionnaire with its own consent-given and respondent-name: the device form's details take the
    # prefix (openrosa.xforms.registry_name); the questionnaire's answers stay its own.
    from surveys import services as survey_services
    from tests.surveys.xlsform_files import xlsx

    data = xlsx(
        survey=[["type", "name", "label"], ["select_one sn", "consent-given", "¿Acepta?"],
                ["text", "respondent-name", "Nombre"]],
        choices=[["list_name", "name", "label"], ["sn", "si", "Sí"], ["sn", "no", "No"]],
    )  # fmt: skip
    version = survey_services.version_import_xlsform(data=data, created_by=world.users["coordinator"], name="Guion")
    survey_services.version_publish(version=version, published_by=world.users["coordinator"])
    _row, token = device
    xml = fill(
        version, world.cluster_a, world.actor_a,
        answers={"consent-given": "no", "respondent-name": "Pregunta propia"},
        details={"casebook-consent-given": "yes", "casebook-respondent-name": "Rosa Mamani"},
    )  # fmt: skip
    assert post(client, xml, token=token).status_code == 201
    interview = received().get().interview
    assert (interview.consent_given, interview.respondent_name) == (True, "Rosa Mamani")
    answers = {answer.question.code: answer for answer in interview.answers.select_related("question")}
    assert answers["respondent-name"].text_value == "Pregunta propia"
    assert [chosen.choice.value for chosen in answers["consent-given"].chosen.select_related("choice")] == ["no"]
