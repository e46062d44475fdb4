"""Coordinators build, publish, version, import and export questionnaires."""

import dataclasses
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys import services
from surveys.models import Choice, Interview, Question, QuestionnaireVersion
from surveys.selectors import ordered_questions
from surveys.xlsform import read_xlsform
from tests.surveys.conftest import ENGLISH, SPANISH, build_questionnaire, es_en
from tests.surveys.xlsform_files import KOBO_FORM

pytestmark = pytest.mark.django_db


def _post_question(client, version, **fields):
    data = {"code": "", "type": "text", "labels__0": "Pregunta", "required": "", "relevant": "", **fields}
    return client.post(reverse("surveys:question_create", kwargs={"version_pk": version.pk}), data)


def test_a_coordinator_builds_a_questionnaire_in_the_browser(client_for, world):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("surveys:questionnaire_create"), {"name": "Encuesta de confianza"})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Encuesta de confianza")
    assert response["Location"] == reverse("surveys:version_detail", kwargs={"pk": version.pk})
    client.post(
        reverse("surveys:section_create", kwargs={"version_pk": version.pk}),
        {"code": "confianza", "kind": "group", "label__0": "Confianza", "label__1": "Trust"},
    )
    section = version.sections.get()
    _post_question(
        client,
        version,
        section=section.pk,
        code="coopera",
        type="single_choice",
        labels__0="¿Coopera con otras empresas?",
        labels__1="Do you cooperate?",
        required="on",
        choices_text="si | Sí | Yes\nno | No | No\nns | No sabe",
    )
    _post_question(
        client,
        version,
        code="con_quien",
        type="actor_relationship",
        labels__0="¿Con quién?",
        relationship_kind="collaborates",
        relevant="${coopera} = 'si'",
    )
    _post_question(
        client, version, code="empleados", type="integer", labels__0="Empleados", min_value="0", max_value="5000"
    )
    questions = {q.code: q for q in version.questions.all()}
    assert set(questions) == {"coopera", "con_quien", "empleados"}
    assert list(questions["coopera"].choices.values_list("value", "labels")) == [
        ("si", {SPANISH: "Sí", ENGLISH: "Yes"}),
        ("no", {SPANISH: "No", ENGLISH: "No"}),
        ("ns", {SPANISH: "No sabe"}),
    ]
    assert questions["con_quien"].relevant == "${coopera} = 'si'"
    assert questions["empleados"].max_value == 5000
    page = client.get(reverse("surveys:version_detail", kwargs={"pk": version.pk})).content.decode()
    assert "¿Coopera con otras empresas?" in page


def test_a_condition_that_does_not_parse_is_refused_with_a_message_pointing_at_the_problem(client_for, world):
    client = client_for(world.users["coordinator"])
    version = build_questionnaire(world.users["coordinator"], publish=False)
    response = _post_question(client, version, code="nuevo", relevant="${exporta} = 'yes' and ${nada} > 2")
    assert response.status_code == 200
    errors = response.context["form"].errors["relevant"]
    assert "nada" in errors[0] and "26" in errors[0]
    response = _post_question(client, version, code="nuevo2", relevant="${exporta} = ")
    assert response.context["form"].errors["relevant"]
    assert 'value="${exporta} = "' in response.content.decode()
    assert not version.questions.filter(code__startswith="nuevo").exists()


def test_publishing_freezes_a_version_and_editing_makes_a_new_draft(client_for, world):
    coordinator = world.users["coordinator"]
    version = build_questionnaire(coordinator)
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    question = version.questions.get(code="empleados")
    with pytest.raises(ValidationError):
        services.question_update(question=question, labels=es_en("Otro texto"))
    with pytest.raises(ValidationError):
        services.question_create(version=version, code="otra", type="text", labels=es_en("Otra"))
    client = client_for(coordinator)
    assert client.get(reverse("surveys:question_edit", kwargs={"pk": question.pk})).status_code == 403
    response = client.post(reverse("surveys:version_new_draft", kwargs={"pk": version.pk}))
    draft = QuestionnaireVersion.objects.get(questionnaire=version.questionnaire, number=2)
    assert response["Location"] == reverse("surveys:version_detail", kwargs={"pk": draft.pk})
    assert draft.status == QuestionnaireVersion.Status.DRAFT
    assert [q.code for q in ordered_questions(draft)] == [q.code for q in ordered_questions(version)]
    assert (
        Choice.objects.filter(question__version=draft).count()
        == Choice.objects.filter(question__version=version).count()
    )
    services.question_update(
        question=draft.questions.get(code="empleados"), labels=es_en("¿Cuántas personas trabajan?")
    )
    client.post(reverse("surveys:version_publish", kwargs={"pk": draft.pk}))
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.RETIRED
    assert version.questions.get(code="empleados").labels[SPANISH] == "¿Cuántos trabajadores tiene?"


def test_interviews_keep_the_version_they_used(client_for, world):
    version = build_questionnaire(world.users["coordinator"])
    interview = Interview.objects.create(
        version=version,
        cluster=world.cluster_a,
        actor=world.actor_a,
        interviewer=world.users["researcher_a"],
        date="2025-01-01",
        status="approved",
    )
    draft = services.version_create_draft(questionnaire=version.questionnaire, created_by=world.users["coordinator"])
    services.question_delete(question=draft.questions.get(code="comentario"))
    services.version_publish(version=draft, published_by=world.users["coordinator"])
    page = client_for(world.users["manager"]).get(interview.get_absolute_url()).content.decode()
    assert "Comentario" in page


def test_researchers_see_published_versions_only(client_for, world):
    version = build_questionnaire(world.users["coordinator"], name="Publicado")
    draft = build_questionnaire(world.users["coordinator"], name="Borrador", publish=False)
    client = client_for(world.users["researcher_a"])
    content = client.get(reverse("surveys:questionnaire_list")).content.decode()
    assert "Publicado" in content and "Borrador" not in content
    assert client.get(reverse("surveys:version_detail", kwargs={"pk": draft.pk})).status_code == 404
    assert client.get(reverse("surveys:version_detail", kwargs={"pk": version.pk})).status_code == 200


def test_publishing_refuses_an_empty_version(client_for, world):
    empty = services.questionnaire_create(name="Vacío", created_by=world.users["coordinator"])
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("surveys:version_publish", kwargs={"pk": empty.pk}), follow=True)
    empty.refresh_from_db()
    assert empty.status == QuestionnaireVersion.Status.DRAFT
    assert "Un cuestionario necesita al menos una pregunta antes de publicarse." in response.content.decode()


def _snapshot(version):
    """Everything a version holds, without its database ids: two equal snapshots are the same questionnaire."""
    from surveys.selectors import version_form_spec

    spec = version_form_spec(version)
    spec.version = ""
    return spec


def test_an_xlsform_round_trip_through_the_pages_gives_the_same_questionnaire(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("surveys:questionnaire_import"),
        {"file": SimpleUploadedFile("kobo.xlsx", KOBO_FORM), "name": ""},
    )
    first = QuestionnaireVersion.objects.get(questionnaire__name="Entrevista a actores del clúster")
    assert response["Location"] == reverse("surveys:version_detail", kwargs={"pk": first.pk})
    assert first.status == QuestionnaireVersion.Status.DRAFT
    assert first.questions.count() == 13  # start and end are kept: the form records them
    assert first.questions.get(code="participacion_usa").relevant == "selected(${mercados}, 'usa')"
    exported = client.get(reverse("surveys:version_export", kwargs={"pk": first.pk}))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    data = exported.content
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["survey", "choices", "settings"]
    client.post(reverse("surveys:version_publish", kwargs={"pk": first.pk}))
    client.post(
        reverse("surveys:version_import", kwargs={"pk": first.pk}), {"file": SimpleUploadedFile("v2.xlsx", data)}
    )
    second = QuestionnaireVersion.objects.get(questionnaire=first.questionnaire, number=2)
    assert _snapshot(second) == _snapshot(first)
    again = read_xlsform(client.get(reverse("surveys:version_export", kwargs={"pk": second.pk})).content)
    assert again.version == "2"
    assert dataclasses.replace(again, version="1") == read_xlsform(data)


def test_a_bad_xlsform_lists_its_problems_by_sheet_and_row_and_imports_nothing(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.xlsform_files import xlsx

    bad = xlsx(
        survey=[
            ["type", "name", "label"],
            ["text", "nombre", "Nombre"],
            ["rank colores", "orden", "Ordene"],
            ["background-audio", "audio_fondo", ""],
        ],
        choices=[["list_name", "name", "label"], ["colores", "rojo", "Rojo"], ["colores", "azul", "Azul"]],
    )
    before = QuestionnaireVersion.objects.count()
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("malo.xlsx", bad)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hoja survey, fila 3" in content
    assert "Hoja survey, fila 4" in content
    assert QuestionnaireVersion.objects.count() == before


def test_a_choice_list_no_question_uses_is_told_by_its_rows_when_the_form_is_imported(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.xlsform_files import xlsx

    data = xlsx(
        survey=[["type", "name", "label"], ["select_one colores", "color", "Color"]],
        choices=[
            ["list_name", "name", "label"],
            ["colores", "rojo", "Rojo"],
            ["viejas", "a", "A"],
            ["viejas", "b", "B"],
            ["colores", "azul", "Azul"],
            ["viejas", "c", "C"],
            ["sobrantes", "x", "X"],
        ],
        settings=[["form_title"], ["sobras"]],
    )
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("sobras.xlsx", data)}, follow=True
    )
    content = response.content.decode()
    assert "Hoja choices, fila 3: La lista de opciones «viejas» (filas 3-4, 6) no la usa ninguna pregunta" in content
    assert "Hoja choices, fila 7: La lista de opciones «sobrantes» (filas 7) no la usa ninguna pregunta" in content
    version = QuestionnaireVersion.objects.get(questionnaire__name="sobras")
    assert [c.value for c in version.questions.get(code="color").choices.all()] == ["rojo", "azul"]
    assert "viejas" in version.notes and "sobrantes" in version.notes


def test_many_unused_choice_lists_are_told_twenty_on_the_page_and_all_in_the_notes(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.xlsform_files import xlsx

    leftovers = [[f"vieja{i}", "a", "A"] for i in range(25)]
    data = xlsx(
        survey=[["type", "name", "label"], ["select_one colores", "color", "Color"]],
        choices=[["list_name", "name", "label"], ["colores", "rojo", "Rojo"], *leftovers],
        settings=[["form_title"], ["muchas"]],
    )
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("muchas.xlsx", data)}, follow=True
    )
    content = response.content.decode()
    assert content.count("Hoja choices, fila") == 20  # the messages (the notes on the page have them all)
    assert "Y 5 más como estos: las notas de la versión los listan todos." in content
    version = QuestionnaireVersion.objects.get(questionnaire__name="muchas")
    assert version.notes.count("no la usa ninguna pregunta") == 25


def test_an_xlsform_over_the_size_limit_is_refused(client_for, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CASEBOOK_MAX_IMPORT_BYTES = 1000
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("kobo.xlsx", KOBO_FORM)}
    )
    assert "demasiado grande" in response.content.decode()
    assert not Question.objects.filter(code="razon_social").exists()


def test_questions_move_within_their_section_and_new_ones_join_the_end_of_theirs(client_for, world):
    version = build_questionnaire(world.users["coordinator"], publish=False)
    client = client_for(world.users["coordinator"])
    tamano = version.questions.get(code="tamano")
    client.post(reverse("surveys:question_move", kwargs={"pk": tamano.pk}), {"direction": "up"})
    codes = [q.code for q in ordered_questions(version)]
    assert codes[:3] == ["tamano", "empleados", "exporta"]
    # The first question of a section does not leave it when moved up.
    client.post(
        reverse("surveys:question_move", kwargs={"pk": version.questions.get(code="proveedores").pk}),
        {"direction": "up"},
    )
    assert [q.code for q in ordered_questions(version)] == codes
    perfil = version.sections.get(code="perfil")
    _post_question(client, version, section=perfil.pk, code="ruc", labels__0="RUC")
    codes = [q.code for q in ordered_questions(version)]
    assert codes.index("ruc") == codes.index("participacion_usa") + 1
    assert codes.index("ruc") < codes.index("proveedores")


def test_a_question_that_others_read_cannot_be_renamed_or_deleted(client_for, world):
    version = build_questionnaire(world.users["coordinator"], publish=False)
    client = client_for(world.users["coordinator"])
    exporta = version.questions.get(code="exporta")
    response = client.post(reverse("surveys:question_delete", kwargs={"pk": exporta.pk}), follow=True)
    assert "Las condiciones de mercados leen esta pregunta" in response.content.decode()
    assert version.questions.filter(code="exporta").exists()
    response = client.post(
        reverse("surveys:question_edit", kwargs={"pk": exporta.pk}),
        {"code": "exporto", "type": "yes_no", "labels__0": "¿Exporta?", "section": exporta.section_id},
    )
    assert "Las condiciones de mercados leen este código" in response.content.decode()
    comentario = version.questions.get(code="comentario")
    client.post(reverse("surveys:question_delete", kwargs={"pk": comentario.pk}))
    assert not version.questions.filter(code="comentario").exists()


def test_deleting_a_section_keeps_its_questions_and_a_draft_can_be_thrown_away(client_for, world):
    version = build_questionnaire(world.users["coordinator"], publish=False)
    client = client_for(world.users["coordinator"])
    opinion = version.sections.get(code="opinion")
    client.post(reverse("surveys:section_delete", kwargs={"pk": opinion.pk}))
    assert version.questions.get(code="confianza").section is None
    response = client.post(reverse("surveys:version_delete", kwargs={"pk": version.pk}))
    assert response["Location"] == reverse("surveys:questionnaire_list")
    assert not QuestionnaireVersion.objects.filter(pk=version.pk).exists()


def test_a_spreadsheet_with_a_damaged_zip_header_is_reported_not_a_server_error(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    damaged = bytearray(KOBO_FORM)
    # The first central-directory entry now claims "zip file version 6.4" ("version needed", offset 6).
    entry = damaged.find(b"PK\x01\x02")
    damaged[entry + 6 : entry + 8] = (64).to_bytes(2, "little")
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("roto.xlsx", bytes(damaged))}
    )
    assert response.status_code == 200
    assert "Este archivo no es una hoja de cálculo de Excel (.xlsx o .xls)." in response.content.decode()
    assert not Question.objects.filter(code="razon_social").exists()


def test_an_unused_choice_list_named_as_markup_is_told_as_text(client_for, world):
    """The name of a leftover list reaches the page's warning and the version's notes as text, never as markup."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.xlsform_files import xlsx

    hostile = '<img src=x onerror="alert(1)">'
    data = xlsx(
        survey=[["type", "name", "label"], ["select_one colores", "color", "Color"]],
        choices=[["list_name", "name", "label"], ["colores", "rojo", "Rojo"], [hostile, "a", "A"]],
        settings=[["form_title"], ["marcado"]],
    )
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("marcado.xlsx", data)}, follow=True
    )
    content = response.content.decode()
    assert hostile not in content
    assert "&lt;img src=x" in content  # the warning, escaped
    version = QuestionnaireVersion.objects.get(questionnaire__name="marcado")
    assert hostile in version.notes  # kept as written, shown escaped
    assert hostile not in client.get(reverse("surveys:version_detail", kwargs={"pk": version.pk})).content.decode()


def test_a_refusal_that_names_a_column_and_a_list_written_as_markup_tells_them_as_text(client_for, world):
    """The refusals name columns and lists from the workbook (an undeclared namespace prefix, a list that does
    not exist): they reach the page escaped, and nothing is imported."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.xlsform_files import xlsx

    hostile = "<img src=x onerror=alert(1)>"
    data = xlsx(
        survey=[
            ["type", "name", "label", f"instance::{hostile}"],
            ["text", "nombre", "Nombre", "x"],
            [f"select_one {hostile}", "b", "B", ""],
        ],
    )
    before = QuestionnaireVersion.objects.count()
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("marcado.xlsx", data)}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert hostile not in content and "&lt;img src=x onerror=alert(1)&gt;" in content
    assert QuestionnaireVersion.objects.count() == before
