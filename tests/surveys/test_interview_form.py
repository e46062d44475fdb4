"""Researchers fill in interviews through the form: drafts, submission, skip logic, re-posts, ownership."""

import datetime
import importlib
import types
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from clusters.models import Actor, Membership, Relationship
from surveys.models import Answer, AnswerActor, AnswerChoice, Interview, InterviewChange
from tests import factories as f
from tests.surveys.conftest import FULL_ANSWERS, build_priced_questionnaire, form_data

pytestmark = pytest.mark.django_db
START = reverse("surveys:interview_start")


def test_the_start_page_offers_published_questionnaires_and_the_researchers_own_clusters(
    client_for, world, questionnaire
):
    content = client_for(world.users["researcher_a"]).get(START).content.decode()
    assert "Entrevista a actores (v1)" in content
    assert world.cluster_a.name in content
    assert world.cluster_b.name not in content


def test_the_form_page_carries_a_fresh_client_id_and_shows_the_cluster_actors(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    first = client.get(START, {"version": questionnaire.pk, "cluster": world.cluster_a.slug})
    second = client.get(START, {"version": questionnaire.pk, "cluster": world.cluster_a.slug})
    assert first.context["form"]["uuid"].value() != second.context["form"]["uuid"].value()
    content = first.content.decode()
    assert "¿A quién le compra insumos?" in content
    assert world.actor_a2.name in content
    assert world.actor_b.name not in content
    logic = first.context["logic"]
    assert {"name": "mercados", "relevant": "${exporta} = 'yes'"}.items() <= next(
        node for node in logic["nodes"] if node["name"] == "mercados"
    ).items()
    assert 'id="form-logic"' in content


def test_a_draft_saves_typed_values_as_typed_domain_values(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    answers = {**FULL_ANSWERS, "proveedores": [str(world.actor_a2.pk)]}
    response = client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers))
    interview = Interview.objects.get(version=questionnaire)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    assert interview.status == Interview.Status.DRAFT
    assert interview.duration == datetime.timedelta(hours=1, minutes=30)
    stored = {a.question.code: a for a in Answer.objects.filter(interview=interview).select_related("question")}
    assert stored["empleados"].number_value == 45
    assert stored["participacion_usa"].number_value == Decimal("30.5")
    assert stored["exporta"].bool_value is True
    assert stored["inicio"].date_value == datetime.date(2010, 3, 1)
    assert stored["barreras"].text_value.startswith("Falta de financiamiento")
    assert set(AnswerChoice.objects.filter(answer=stored["mercados"]).values_list("choice__value", flat=True)) == {
        "usa",
        "ue",
    }
    assert list(AnswerActor.objects.filter(answer=stored["proveedores"]).values_list("actor", flat=True)) == [
        world.actor_a2.pk
    ]
    # A draft does not put ties in the network yet.
    assert not Relationship.objects.filter(interview=interview).exists()


def test_each_choice_answer_keeps_its_chosen_options_ids_in_the_options_order_through_edits(
    client_for, world, questionnaire
):
    """Answer.choice_ids, which the SQL export reads, is a copy of the answer's AnswerChoice rows in the options'
    order, however the options were ticked, and follows every edit."""

    def copies():
        answers = Answer.objects.filter(interview__version=questionnaire, choice_ids__isnull=False)
        kept = {a.question.code: a.choice_ids for a in answers.select_related("question")}
        rows = {
            code: list(
                AnswerChoice.objects.filter(answer__interview__version=questionnaire, answer__question__code=code)
                .order_by("choice__order", "choice")
                .values_list("choice", flat=True)
            )
            for code in kept
        }
        return kept, rows

    client = client_for(world.users["researcher_a"])
    uid = uuid.uuid4()
    ticked = {**FULL_ANSWERS, "mercados": ["china", "usa"]}  # options' order: usa, ue, china
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, answers=ticked))
    kept, rows = copies()
    assert kept == rows
    assert set(kept) == {"tamano", "mercados"}
    options = dict(questionnaire.questions.get(code="mercados").choices.values_list("value", "pk"))
    assert kept["mercados"] == [options["usa"], options["china"]]

    interview = Interview.objects.get(version=questionnaire)
    edited = {**FULL_ANSWERS, "mercados": ["ue", "china", "usa"], "tamano": "grande"}
    data = form_data(questionnaire, world.cluster_a, uid=uid, lock_version=interview.lock_version, answers=edited)
    assert client.post(reverse("surveys:interview_edit", kwargs={"pk": interview.pk}), data).status_code == 302
    kept, rows = copies()
    assert kept == rows
    assert kept["mercados"] == [options["usa"], options["ue"], options["china"]]
    sizes = dict(questionnaire.questions.get(code="tamano").choices.values_list("value", "pk"))
    assert kept["tamano"] == [sizes["grande"]]


def test_the_migration_that_added_choice_ids_fills_them_as_the_services_write_them(
    client_for, world, questionnaire, monkeypatch
):
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("surveys.migrations.0011_answer_choice_ids")
    monkeypatch.setattr(migration, "CHUNK", 1)  # an answer's ids at a time
    client = client_for(world.users["researcher_a"])
    ticked = {**FULL_ANSWERS, "mercados": ["china", "ue", "usa"]}
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=ticked))
    written = dict(Answer.objects.values_list("pk", "choice_ids"))
    assert sum(ids is not None for ids in written.values()) == 2
    Answer.objects.update(choice_ids=None)
    migration.fill(apps, types.SimpleNamespace(connection=connection))
    assert dict(Answer.objects.values_list("pk", "choice_ids")) == written


@pytest.mark.parametrize(
    ("typed", "minutes"), [("90", 90), ("1:30", 90), ("1h 30", 90), ("1 h 30 min", 90), ("45 min", 45), ("2h", 120)]
)
def test_the_duration_is_understood_as_people_write_it(client_for, world, questionnaire, typed, minutes):
    client = client_for(world.users["researcher_a"])
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, duration=typed))
    assert Interview.objects.get(version=questionnaire).duration == datetime.timedelta(minutes=minutes)


def test_a_validation_error_keeps_every_typed_value_and_saves_nothing(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    data = form_data(
        questionnaire,
        world.cluster_a,
        actor=world.actor_a,
        answers={**FULL_ANSWERS, "empleados": "muchos", "participacion_usa": "150"},
        duration="un rato",
    )
    response = client.post(START, data)
    assert response.status_code == 200
    assert not Interview.objects.filter(version=questionnaire).exists()
    form = response.context["form"]
    assert "empleados" in str(form.errors) or "q_empleados" in form.errors
    assert form.errors["q_participacion_usa"] == ["La respuesta debe ser como máximo 100."]
    assert "duration" in form.errors
    content = response.content.decode()
    assert 'value="muchos"' in content
    assert 'value="un rato"' in content
    assert "Falta de financiamiento y de mano de obra calificada." in content
    assert 'value="usa" checked' in content or 'value="usa"\n' not in content
    # The same client id is kept, so the corrected post still creates one interview only.
    assert form["uuid"].value() == data["uuid"]
    assert "Nada de lo que escribió se ha perdido" in content or "form-errors" in content


def test_submitting_needs_consent_and_every_required_relevant_answer_and_keeps_a_draft(
    client_for, world, questionnaire
):
    client = client_for(world.users["researcher_a"])
    answers = {"empleados": "12", "exporta": "yes"}
    response = client.post(
        START,
        form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers, submit=True, consent=False),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"consent_given", "q_tamano", "q_mercados", "q_confianza"}
    interview = Interview.objects.get(version=questionnaire)
    assert interview.status == Interview.Status.DRAFT
    assert "Se guardó como borrador" in response.content.decode()
    # The summary names each question by its label, without the form's required-answer mark.
    summary = response.content.decode().split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert '<a class="alert-link" href="#div_id_q_confianza">Confianza en el clúster</a>: ' in summary
    assert " *</a>" not in summary and "*:" not in summary


def test_answers_to_questions_that_skip_logic_hides_are_not_stored_and_not_required(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    uid = uuid.uuid4()
    token = uuid.uuid4()
    client.post(
        START,
        form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, token=token, answers=FULL_ANSWERS),
    )
    interview = Interview.objects.get(version=questionnaire)
    assert Answer.objects.filter(interview=interview, question__code="mercados").exists()
    # The firm does not export after all: markets (and the US share, which cascades) are dropped, and submission
    # does not ask for them.
    answers = {**FULL_ANSWERS, "exporta": "no"}
    response = client.post(
        reverse("surveys:interview_edit", kwargs={"pk": interview.pk}),
        form_data(questionnaire, world.cluster_a, uid=uid, token=token, answers=answers, submit=True),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    codes = set(Answer.objects.filter(interview=interview).values_list("question__code", flat=True))
    assert "mercados" not in codes
    assert "participacion_usa" not in codes
    assert {"empleados", "tamano", "exporta", "confianza"} <= codes


def test_posting_the_same_interview_twice_leaves_one_interview(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    data = form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=FULL_ANSWERS)
    first = client.post(START, data)
    second = client.post(START, data)
    assert first.status_code == second.status_code == 302
    assert Interview.objects.filter(version=questionnaire).count() == 1
    assert Answer.objects.filter(question__code="empleados").count() == 1


def test_re_posting_a_submission_after_a_double_click_does_not_duplicate_ties(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    answers = {**FULL_ANSWERS, "proveedores": [str(world.actor_a2.pk)]}
    data = form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers, submit=True)
    client.post(START, data)
    response = client.post(START, data)
    # The second post finds the submission already made by this page: it shows the interview, not an error.
    assert response.status_code == 302
    assert response["Location"] == Interview.objects.get(version=questionnaire).get_absolute_url()
    assert Interview.objects.filter(version=questionnaire).count() == 1
    assert Relationship.objects.filter(interview__isnull=False).count() == 1


def test_adding_the_actor_on_the_spot_puts_it_in_the_cluster_once(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    data = form_data(
        questionnaire,
        world.cluster_a,
        new_actor_name="Hilados Puno E.I.R.L.",
        new_actor_kind="firm",
        new_actor_ruc=f.make_ruc(777),
    )
    client.post(START, data)
    client.post(START, data)  # the back button, then "save" again
    actor = Actor.objects.get(name="Hilados Puno E.I.R.L.")
    assert Membership.objects.filter(actor=actor, cluster=world.cluster_a).exists()
    assert Interview.objects.get(version=questionnaire).actor == actor
    assert actor.created_by == world.users["researcher_a"]


def test_a_bad_ruc_for_the_new_actor_is_shown_next_to_its_field(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    data = form_data(
        questionnaire, world.cluster_a, new_actor_name="Nueva S.A.C.", new_actor_kind="firm", new_actor_ruc="123"
    )
    response = client.post(START, data)
    assert response.status_code == 200
    assert "new_actor_ruc" in response.context["form"].errors
    assert not Interview.objects.filter(version=questionnaire).exists()
    assert not Actor.objects.filter(name="Nueva S.A.C.").exists()


def test_a_researcher_cannot_start_an_interview_in_another_cluster(client_for, world, questionnaire):
    client = client_for(world.users["researcher_b"])
    response = client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a))
    assert response.status_code == 404
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_naming_an_actor_of_another_cluster_is_refused(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    answers = {"proveedores": [str(world.actor_b.pk)]}
    response = client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers))
    assert response.status_code == 200
    assert "q_proveedores" in response.context["form"].errors
    assert not Interview.objects.filter(version=questionnaire).exists()


def test_an_edit_page_read_before_someone_elses_save_is_refused_with_the_typed_values_kept(
    client_for, world, questionnaire
):
    client = client_for(world.users["researcher_a"])
    uid = uuid.uuid4()
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid))
    interview = Interview.objects.get(version=questionnaire)
    url = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    # Two tabs open the edit page (lock version 2, two page tokens); the first saves, the second is stale.
    tab_one = form_data(questionnaire, world.cluster_a, uid=uid, lock_version=interview.lock_version)
    tab_two = form_data(
        questionnaire, world.cluster_a, uid=uid, lock_version=interview.lock_version, place="Ayaviri (otra pestaña)"
    )
    assert client.post(url, tab_one).status_code == 302
    response = client.post(url, tab_two)
    assert response.status_code == 200
    assert "Otra persona modificó este registro" in response.content.decode()
    assert "Ayaviri (otra pestaña)" in response.content.decode()
    interview.refresh_from_db()
    assert interview.place == "Juliaca"
    # Having seen the message, the researcher saves the page again: now it replaces the other save.
    again = response.context["form"].data.copy()
    assert client.post(url, again).status_code == 302
    interview.refresh_from_db()
    assert interview.place == "Ayaviri (otra pestaña)"


def test_the_same_edit_page_posted_twice_is_one_edit_not_a_conflict(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    uid, token = uuid.uuid4(), uuid.uuid4()
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid))
    interview = Interview.objects.get(version=questionnaire)
    url = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    data = form_data(questionnaire, world.cluster_a, uid=uid, token=token, lock_version=interview.lock_version)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Interview.objects.filter(version=questionnaire).count() == 1


def test_the_edit_page_shows_the_stored_answers(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=FULL_ANSWERS))
    interview = Interview.objects.get(version=questionnaire)
    response = client.get(reverse("surveys:interview_edit", kwargs={"pk": interview.pk}))
    form = response.context["form"]
    assert form["q_empleados"].value() == "45"
    assert form["q_exporta"].value() == "yes"
    assert sorted(form["q_mercados"].value()) == ["ue", "usa"]
    assert 'value="45"' in response.content.decode()
    assert form.initial["duration"] == datetime.timedelta(minutes=90)
    assert 'value="1:30"' in response.content.decode()


def test_others_and_submitted_interviews_are_read_only(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    answers = FULL_ANSWERS
    client.post(START, form_data(questionnaire, world.cluster_a, actor=world.actor_a, answers=answers, submit=True))
    interview = Interview.objects.get(version=questionnaire)
    assert interview.status == Interview.Status.SUBMITTED
    edit = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    assert client.get(edit).status_code == 403
    detail = client.get(interview.get_absolute_url()).content.decode()
    assert edit not in detail
    assert client_for(world.users["researcher_b"]).get(interview.get_absolute_url()).status_code == 404
    # Another researcher's draft on the same cluster is not even visible.
    assert client_for(world.users["researcher_a"]).get(world.other_draft_a.get_absolute_url()).status_code == 404


def test_the_change_log_says_who_changed_which_answer_and_when(client_for, world, questionnaire):
    client = client_for(world.users["researcher_a"])
    uid, token = uuid.uuid4(), uuid.uuid4()
    client.post(
        START,
        form_data(questionnaire, world.cluster_a, actor=world.actor_a, uid=uid, token=token, answers=FULL_ANSWERS),
    )
    interview = Interview.objects.get(version=questionnaire)
    url = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    client.post(
        url,
        form_data(questionnaire, world.cluster_a, uid=uid, token=token, answers={**FULL_ANSWERS, "empleados": "50"}),
    )
    change = InterviewChange.objects.filter(interview=interview).first()
    assert change.action == InterviewChange.Action.SAVED
    assert change.changed_by == world.users["researcher_a"]
    assert change.changes == [["empleados", "45", "50"]]
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "¿Cuántos trabajadores tiene?: 45 → 50" in page
    assert interview.history.count() == 2


def test_the_interview_list_rows_name_the_actor_cluster_questionnaire_and_researcher(client_for, world, questionnaire):
    from tests.surveys.conftest import bulk_interviews

    named, unnamed = world.users["researcher_a"], world.users["coordinator"]
    named.first_name, named.last_name = "Rosa", "Quispe"
    named.save()
    unnamed.first_name = unnamed.last_name = ""
    unnamed.save()
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, named, 1, first_day=290)
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, unnamed, 1, first_day=291)
    page = client_for(world.users["manager"]).get(reverse("surveys:interview_list"), {"status": "approved"})
    rows = page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2
    assert world.actor_a.name in rows and world.cluster_a.name in rows
    assert f"{questionnaire.questionnaire.name} v{questionnaire.number}" in rows
    assert "Rosa Quispe" in rows  # the full name where there is one, the user name otherwise
    assert f">{unnamed.username}</td>" in rows


@pytest.mark.parametrize(("language", "written"), [("es", "17/10/2025"), ("en", "2025-10-17")])
def test_the_interview_list_shows_each_rows_date_and_status_as_the_interviews_page_does(
    client_for, world, questionnaire, language, written
):
    from tests.surveys.conftest import bulk_interviews

    before = set(Interview.objects.values_list("pk", flat=True))
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 4, first_day=290)
    interviews = list(Interview.objects.exclude(pk__in=before).order_by("pk"))
    S = Interview.Status
    statuses = [S.APPROVED, S.SUBMITTED, S.RETURNED, S.DRAFT]
    for interview, status in zip(interviews, statuses, strict=True):
        Interview.objects.filter(pk=interview.pk).update(status=status, date=datetime.date(2025, 10, 17))
    client = client_for(world.users["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rows = client.get(reverse("surveys:interview_list")).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    badges = {
        Interview.Status.APPROVED: "text-bg-success",
        Interview.Status.SUBMITTED: "text-bg-primary",
        Interview.Status.RETURNED: "text-bg-warning",
        Interview.Status.DRAFT: "text-bg-light border",
    }
    for interview, status in zip(interviews, statuses, strict=True):
        (row,) = [r for r in rows.split("<tr>")[1:] if interview.get_absolute_url() in r]
        assert f'<td class="text-nowrap">{written}</td>' in row
        label = str(Interview.Status(status).label) if language == "en" else None
        assert f'<span class="badge {badges[status]}">' in row, status
        if label:
            assert f">{label}</span>" in row
        detail = client.get(interview.get_absolute_url()).content.decode()
        assert f'<span class="badge fs-6 {badges[status]}" data-testid="interview-status">' in detail


def test_a_row_whose_names_are_not_among_the_filter_options_is_still_named(client_for, world, questionnaire):
    from tests.surveys.conftest import build_questionnaire, bulk_interviews

    # A draft version is not offered in the filter box (a draft has no interviews through the site).
    draft = build_questionnaire(world.users["coordinator"], name="Borrador de cuestionario", publish=False)
    bulk_interviews(draft, world.cluster_a, world.actor_a, world.users["researcher_a"], 1, first_day=299)
    page = client_for(world.users["manager"]).get(reverse("surveys:interview_list"), {"status": "approved"})
    assert draft.pk not in page.context["filter"].row_names()["version"]
    (row,) = [r for r in page.context["rows"] if r["questionnaire_label"].startswith("Borrador")]
    assert row["questionnaire_label"] == f"Borrador de cuestionario v{draft.number}"
    assert row["cluster_name"] == world.cluster_a.name


def test_a_wrong_filter_value_is_told_at_its_field_and_kept(client_for, world):
    page = client_for(world.users["manager"]).get(reverse("surveys:interview_list"), {"date_from": "ayer"})
    html = page.content.decode()
    assert '<label for="id_date_from" class="form-label">Desde</label>' in html
    field = html.split('id="div_id_date_from"')[1].split("</div></div>")[0]
    assert 'value="ayer"' in field and 'aria-invalid="true"' in field and "is-invalid" in field
    assert 'aria-describedby="id_date_from_error"' in field
    assert '<div id="id_date_from_error" class="invalid-feedback">' in field and "fecha válida" in field


def test_the_interview_list_filters_and_keeps_researchers_to_their_clusters(client_for, world, questionnaire):
    from tests.surveys.conftest import bulk_interviews

    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], 3, status="approved")
    bulk_interviews(questionnaire, world.cluster_b, world.actor_b, world.users["researcher_b"], 2, status="approved")
    url = reverse("surveys:interview_list")
    researcher = client_for(world.users["researcher_b"])
    page = researcher.get(url)
    shown = {i["cluster_id"] for i in page.context["page"].object_list}
    assert shown == {world.cluster_b.pk}
    # Asking for another cluster's slug shows nothing of it.
    other = researcher.get(url, {"cluster": world.cluster_a.slug})
    assert not [i for i in other.context["page"].object_list if i["cluster_id"] == world.cluster_a.pk]
    coordinator = client_for(world.users["coordinator"])
    by_cluster = coordinator.get(url, {"cluster": world.cluster_a.slug, "status": "approved"})
    assert by_cluster.context["page"].paginator.count == 3
    assert 'aria-current="page" href="/surveys/interviews/?cluster=camelidos"' in by_cluster.content.decode()
    by_researcher = coordinator.get(url, {"interviewer": world.users["researcher_b"].pk})
    assert by_researcher.context["page"].paginator.count == 3  # two approved and the world's draft
    by_date = coordinator.get(url, {"date_from": "2025-01-02", "date_to": "2025-01-03", "status": "approved"})
    assert by_date.context["page"].paginator.count == 4


@pytest.fixture
def priced(world):
    return build_priced_questionnaire(world.users["coordinator"])


def test_a_triggered_answer_is_set_when_its_trigger_changes_and_an_edit_of_it_is_kept_otherwise(
    client_for, world, priced
):
    client = client_for(world.users["researcher_a"])
    uid = uuid.uuid4()
    first = {"precio": "2.5", "unidades": "4", "oferta": "", "motivo": "typed before"}
    client.post(START, form_data(priced, world.cluster_a, actor=world.actor_a, uid=uid, answers=first))
    interview = Interview.objects.get(version=priced)

    def stored():
        return {
            a.question.code: a.text_value for a in Answer.objects.filter(interview=interview, question__type="text")
        }

    # A new interview: the triggers changed from empty, so 'oferta' is computed and 'motivo' emptied.
    assert stored() == {"oferta": "10 soles"}
    url = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    edited = {"precio": "2.5", "unidades": "4", "oferta": "12 soles, con descuento", "motivo": "porque sí"}

    def post(answers):
        interview.refresh_from_db()
        data = form_data(priced, world.cluster_a, uid=uid, answers=answers, lock_version=interview.lock_version)
        assert client.post(url, data).status_code == 302

    post(edited)  # the triggers are unchanged: what the person typed is kept
    assert stored() == {"oferta": "12 soles, con descuento", "motivo": "porque sí"}
    post({**edited, "unidades": "10"})  # 'unidades' changed: 'oferta' is computed again, 'motivo' kept
    assert stored() == {"oferta": "25 soles", "motivo": "porque sí"}


def test_without_javascript_a_trigger_sets_choices_buttons_lists_and_boxes_on_saving(client_for, world):
    from surveys.models import AnswerChoice
    from tests.surveys.conftest import build_ordered_questionnaire

    version = build_ordered_questionnaire(world.users["coordinator"])
    client = client_for(world.users["researcher_a"])
    answers = {"cajas": "12", "tamano": "chico", "canal": "minorista", "servicios": ["credito"], "entrega": "hoy"}
    assert (
        client.post(START, form_data(version, world.cluster_a, actor=world.actor_a, answers=answers)).status_code == 302
    )
    chosen = {}
    for row in AnswerChoice.objects.filter(answer__interview__version=version).select_related(
        "answer__question", "choice"
    ):
        chosen.setdefault(row.answer.question.code, set()).add(row.choice.value)
    assert chosen == {"tamano": {"grande"}, "canal": {"mayorista"}, "servicios": {"flete", "seguro"}}
