"""Questionnaire text is text: whatever a builder types or an XLSForm carries in its labels, hints, group titles,
choice labels and messages is shown literally on every page, never read as HTML.

The hostile text is what an outside review used: a ``<meta http-equiv="refresh">`` that would send the
researcher to another site, a ``<button formaction>`` that would post a form with her CSRF token, and a bold tag.
"""

import uuid
from html.parser import HTMLParser

import pytest
from crispy_forms.utils import render_crispy_form
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Interview, QuestionnaireVersion
from tests.surveys.conftest import form_data
from tests.surveys.xlsform_files import xlsx

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<meta http-equiv="refresh" content="0;url=https://evil.example">'
    '<button formaction="/x" formmethod="post">Enviar</button><b>negrita</b>'
)
ESCAPED = "&lt;meta http-equiv=&quot;refresh&quot;"


def hostile(place):
    return f"{place} {HOSTILE}"


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "http-equiv" in attrs:
            self.found.append(f"<meta http-equiv={attrs['http-equiv']}>")
        if "formaction" in attrs:
            self.found.append(f"<{tag} formaction={attrs['formaction']}>")
        self._tag = tag

    def handle_data(self, data):
        if self._tag == "b" and "negrita" in data:
            self.found.append("<b>negrita</b>")


def assert_text_only(html, where):
    """No element of the hostile text exists in the page; where the text is shown, it is shown escaped."""
    parser = _Elements()
    parser.feed(html)
    assert parser.found == [], f"{where}: questionnaire text read as HTML: {parser.found}"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert_text_only(html, url)
    return html


def build_through_the_builder(client):
    """A coordinator types hostile text in every text box of the builder, then publishes."""
    client.post(reverse("surveys:questionnaire_create"), {"name": "Cuestionario hostil"})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Cuestionario hostil")
    sections = reverse("surveys:section_create", kwargs={"version_pk": version.pk})
    questions = reverse("surveys:question_create", kwargs={"version_pk": version.pk})
    client.post(sections, {"code": "grupo", "kind": "group", "label__0": hostile("título de grupo")})
    client.post(sections, {"code": "lista", "kind": "repeat", "label__0": hostile("título de repetición")})
    group, repeat = version.sections.order_by("pk")
    base = {"required": "", "relevant": ""}
    client.post(
        questions,
        {
            **base,
            "section": group.pk,
            "code": "empleados",
            "type": "integer",
            "labels__0": hostile("pregunta"),
            "hints__0": hostile("ayuda"),
            "constraint": ". < 10",
            "constraint_messages__0": hostile("mensaje de regla"),
        },
    )
    client.post(
        questions,
        {
            **base,
            "section": group.pk,
            "code": "tamano",
            "type": "single_choice",
            "labels__0": hostile("pregunta de opciones"),
            "choices_text": f"micro | {hostile('opción')}\ngrande | Grande",
        },
    )
    client.post(
        questions,
        {
            **base,
            "section": group.pk,
            "code": "mercados",
            "type": "multiple_choice",
            "labels__0": hostile("pregunta múltiple"),
            "choices_text": f"usa | {hostile('opción múltiple')}\nue | Unión Europea",
        },
    )
    client.post(questions, {**base, "section": group.pk, "code": "aviso", "type": "note", "labels__0": hostile("nota")})
    client.post(
        questions,
        {**base, "section": repeat.pk, "code": "producto", "type": "text", "labels__0": hostile("en repetición")},
    )
    assert set(version.questions.values_list("code", flat=True)) == {
        "empleados",
        "tamano",
        "mercados",
        "aviso",
        "producto",
    }
    page(client, reverse("surveys:version_detail", kwargs={"pk": version.pk}))
    for question in version.questions.all():
        page(client, reverse("surveys:question_edit", kwargs={"pk": question.pk}))
    page(client, reverse("surveys:section_edit", kwargs={"pk": group.pk}))
    client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    return version


HEADER = ["type", "name", "label::Español (es)", "hint::Español (es)", "constraint", "constraint_message::Español (es)"]


def hostile_xlsform():
    return xlsx(
        survey=[
            HEADER,
            ["begin_group", "grupo", hostile("título de grupo")],
            ["integer", "empleados", hostile("pregunta"), hostile("ayuda"), ". < 10", hostile("mensaje de regla")],
            ["select_one tamanos", "tamano", hostile("pregunta de opciones"), hostile("ayuda de opciones")],
            ["select_multiple mercados", "mercados", hostile("pregunta múltiple")],
            ["note", "aviso", hostile("nota")],
            ["end_group"],
            ["begin_repeat", "lista", hostile("título de repetición")],
            ["text", "producto", hostile("en repetición")],
            ["end_repeat"],
        ],
        choices=[
            ["list_name", "name", "label::Español (es)"],
            ["tamanos", "micro", hostile("opción")],
            ["tamanos", "grande", "Grande"],
            ["mercados", "usa", hostile("opción múltiple")],
            ["mercados", "ue", "Unión Europea"],
        ],
        settings=[["form_title", "form_id", "default_language"], ["Hostil", "hostil", "Español (es)"]],
    )


def import_an_xlsform(client):
    upload = SimpleUploadedFile("hostil.xlsx", hostile_xlsform())
    response = client.post(reverse("surveys:questionnaire_import"), {"name": "Cuestionario hostil", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    version = QuestionnaireVersion.objects.get(questionnaire__name="Cuestionario hostil")
    page(client, reverse("surveys:version_detail", kwargs={"pk": version.pk}))
    client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    return version


def walk_an_interview(client_for, world, version):
    """The researcher fills the form (a broken rule first), submits; the coordinator reviews; every page is text."""
    researcher = client_for(world.users["researcher_a"])
    start = reverse("surveys:interview_start") + f"?version={version.pk}&cluster={world.cluster_a.slug}"
    html = page(researcher, start)
    for place in ("título de grupo", "título de repetición", "pregunta", "nota", "opción", "opción múltiple"):
        assert f"{place} {ESCAPED}" in html, place
    uid = uuid.uuid4()
    answers = {"empleados": "50", "tamano": "micro", "mercados": ["usa"]}
    broken = researcher.post(start, form_data(version, world.cluster_a, actor=world.actor_a, uid=uid, answers=answers))
    assert broken.status_code == 200
    assert_text_only(broken.content.decode(), "the form with a broken rule")
    assert f"mensaje de regla {ESCAPED}" in broken.content.decode()
    answers["empleados"] = "5"
    saved = researcher.post(start, form_data(version, world.cluster_a, actor=world.actor_a, uid=uid, answers=answers))
    assert saved.status_code == 302
    interview = Interview.objects.get(version=version)
    edit = reverse("surveys:interview_edit", kwargs={"pk": interview.pk})
    page(researcher, edit)
    answers.update(tamano="grande", mercados=["ue"])
    data = form_data(
        version, world.cluster_a, uid=uid, answers=answers, submit=True, lock_version=interview.lock_version
    )
    assert researcher.post(edit, data).status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    coordinator = client_for(world.users["coordinator"])
    detail = page(coordinator, reverse("surveys:interview_detail", kwargs={"pk": interview.pk}))
    assert f"pregunta {ESCAPED}" in detail
    page(coordinator, reverse("surveys:review_queue"))
    page(coordinator, reverse("surveys:interview_list"))
    findings = reverse("surveys:cluster_findings", kwargs={"slug": world.cluster_a.slug})
    page(coordinator, f"{findings}?version={version.pk}&statuses=submitted")
    page(coordinator, reverse("surveys:findings_index"))
    page(coordinator, reverse("surveys:questionnaire_list"))
    page(coordinator, "/")


def test_text_typed_in_the_builder_is_shown_as_text_in_the_builder_the_form_the_review_and_the_findings(
    client_for, world
):
    version = build_through_the_builder(client_for(world.users["coordinator"]))
    walk_an_interview(client_for, world, version)


def test_text_imported_from_an_xlsform_is_shown_as_text_everywhere(client_for, world):
    version = import_an_xlsform(client_for(world.users["coordinator"]))
    walk_an_interview(client_for, world, version)


def test_the_interview_form_drawn_by_django_or_crispy_keeps_its_hints_as_text(client_for, world):
    """Django and crispy print a field's help_text as HTML: a question's hint must reach them escaped."""
    version = import_an_xlsform(client_for(world.users["coordinator"]))
    start = reverse("surveys:interview_start") + f"?version={version.pk}&cluster={world.cluster_a.slug}"
    form = client_for(world.users["researcher_a"]).get(start).context["form"]
    assert_text_only(form.as_div(), "Django's form rendering")
    assert_text_only(render_crispy_form(form), "crispy's form rendering")
    assert f"ayuda {ESCAPED}" in form.as_div()
