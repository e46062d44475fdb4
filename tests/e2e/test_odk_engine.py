"""ODK's own form engine fills one of our XForms in Chromium and sends it through our OpenRosa server.

ODK Web Forms (@getodk/web-forms, the form engine and interface of ODK Central's web forms, pinned in
package.json) is loaded from node_modules by a route of this test only: nothing is served by the site and
nothing comes from a CDN. The page acts as a researcher's device with its token URL: it reads the form list,
downloads the XForm, the manifest and its media files, renders the form with Web Forms (given a device id, as
ODK Central gives it), and when "Send" is pressed posts the instance the engine serialised, with the photo it
attached, to /submission: multipart with the OpenRosa headers, as Collect does. The test fills the form
through Web Forms' own controls and then looks in the database.
Needs `npm ci` (make install); skipped with a reason otherwise.
"""

import io
import mimetypes
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from openrosa import xforms
from openrosa.models import Submission
from openrosa.services import device_token_create
from surveys import services as survey_services
from surveys.models import Attachment, Interview
from surveys.selectors import review_queue_head
from tests.surveys.conftest import build_questionnaire
from tests.surveys.xlsform_files import xlsx

NODE_MODULES = Path(django_settings.BASE_DIR) / "node_modules"
WEB_FORMS = NODE_MODULES / "@getodk" / "web-forms" / "dist" / "index.js"
VUE = NODE_MODULES / "vue" / "dist" / "vue.esm-browser.prod.js"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (WEB_FORMS.exists() and VUE.exists()),
        reason="ODK Web Forms is not installed: run `make install` (npm ci) to fill our XForm with ODK's engine",
    ),
]
PREFIX = "/odk-web-forms-test/"
DEVICE = "web-forms:tableta-1"

PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8"><title>ODK Web Forms</title>
<script type="importmap">{"imports": {"vue": "/odk-web-forms-test/vue/dist/vue.esm-browser.prod.js"}}</script>
<script type="module">
import { createApp, h } from "vue";
import { OdkWebForm, webFormsPlugin } from "/odk-web-forms-test/@getodk/web-forms/dist/index.js";

const OPENROSA = {"X-OpenRosa-Version": "1.0"};
const state = (window.device = {errors: [], sent: []});
window.addEventListener("error", (event) => state.errors.push(String(event.message)));
window.addEventListener("unhandledrejection", (event) => state.errors.push(String(event.reason)));
const texts = (node, tag) => Array.from(node.getElementsByTagNameNS("*", tag)).map((e) => e.textContent.trim());
const get = async (url) => {
  const response = await fetch(url, {headers: OPENROSA});
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
};
const xml = async (url) => new DOMParser().parseFromString(await (await get(url)).text(), "text/xml");

window.startDevice = async (server, formId, preloadProperties) => {
  // As Collect does: the form list, then the form and its manifest, then each media file when the form asks.
  const listing = await xml(`${server}/formList`);
  const item = Array.from(listing.getElementsByTagNameNS("*", "xform"))
    .find((node) => texts(node, "formID")[0] === formId);
  const formXml = await (await get(texts(item, "downloadUrl")[0])).text();
  const manifest = await xml(texts(item, "manifestUrl")[0]);
  const media = {};
  for (const file of manifest.getElementsByTagNameNS("*", "mediaFile")) {
    media[texts(file, "filename")[0]] = texts(file, "downloadUrl")[0];
  }
  state.media = Object.keys(media);
  const fetchFormAttachment = (url) => {
    const name = String(url.href ?? url).split("/").pop();
    return media[name] ? get(media[name]) : Promise.resolve(new Response("", {status: 404}));
  };
  const onSubmit = async (payload, callback) => {
    const body = payload.data[0];
    const instance = await body.get("xml_submission_file").text();
    const submission = `${server}/submission?deviceID=${encodeURIComponent(preloadProperties.deviceID)}`;
    const response = await fetch(submission, {method: "POST", headers: OPENROSA, body});
    state.sent.push({status: response.status, instance, answer: await response.text()});
  };
  const app = createApp({render: () => h(OdkWebForm, {formXml, fetchFormAttachment, preloadProperties, onSubmit})});
  app.config.errorHandler = (error) => state.errors.push(String(error && error.stack || error));
  app.use(webFormsPlugin);
  app.mount("#form");
};
window.deviceReady = true;
</script></head><body><main id="form"></main></body></html>"""

CHOICES = ["list_name", "name", "label"]
# A questionnaire as a coordinator writes it in Excel: every kind of answer the engine types, a question
# skipped by a condition, a constraint, a group and a repeat.
SURVEY = [
    ["type", "name", "label", "required", "relevant", "constraint", "constraint_message"],
    ["begin group", "empresa", "La empresa"],
    ["text", "razon_social", "Razón social", "yes"],
    ["integer", "trabajadores", "¿Cuántas personas trabajan?", "yes", None, ". > 0 and . < 5000", "Entre 1 y 4999"],
    ["decimal", "ventas", "Ventas del último año (S/)"],
    ["date", "inicio", "¿Cuándo empezó a operar?"],
    ["end group"],
    ["select_one tamano", "tamano", "Tamaño de la empresa", "yes"],
    ["select_one sino", "exporta", "¿Exporta?", "yes"],
    ["select_multiple mercados", "mercados", "¿A qué mercados?", None, "${exporta} = 'yes'"],
    ["text", "por_que_no", "¿Por qué no exporta?", None, "${exporta} = 'no'"],
    ["begin repeat", "socios", "Socios"],
    ["text", "socio", "Nombre del socio"],
    ["integer", "aporte", "Aporte (%)"],
    ["end repeat"],
]
CHOICE_ROWS = [
    CHOICES,
    ["tamano", "micro", "Micro"],
    ["tamano", "pequena", "Pequeña"],
    ["tamano", "mediana", "Mediana"],
    ["sino", "yes", "Sí"],
    ["sino", "no", "No"],
    ["mercados", "usa", "Estados Unidos"],
    ["mercados", "ue", "Unión Europea"],
    ["mercados", "china", "China"],
]


@pytest.fixture
def web_forms(page, live_server):
    """The page of a device running ODK Web Forms, its files fulfilled from node_modules by this test."""

    def serve(route):
        path = route.request.url.split(PREFIX, 1)[1].split("?")[0]
        if path == "device.html":
            return route.fulfill(body=PAGE, content_type="text/html")
        target = (NODE_MODULES / path).resolve()
        if NODE_MODULES not in target.parents or not target.is_file():
            return route.fulfill(status=404, body="")
        kind = "text/javascript" if target.suffix == ".js" else mimetypes.guess_type(target.name)[0]
        return route.fulfill(body=target.read_bytes(), content_type=kind or "application/octet-stream")

    page.route(f"{live_server.url}{PREFIX}**", serve)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.goto(f"{live_server.url}{PREFIX}device.html")
    page.wait_for_function("window.deviceReady === true")
    return page


def _photo() -> bytes:
    """A real JPEG (Web Forms reads images before it attaches them)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def question(page, label):
    """A question as Web Forms draws it, found by its label."""
    return page.locator(".question-container").filter(
        has=page.locator(".control-text label").get_by_text(label, exact=True)
    )


def test_odk_web_forms_fills_our_xform_and_its_instance_arrives_typed(web_forms, live_server, world):
    page = web_forms
    coordinator, researcher = world.users["coordinator"], world.users["researcher_a"]
    version = survey_services.version_import_xlsform(
        data=xlsx(survey=SURVEY, choices=CHOICE_ROWS), created_by=coordinator, name="Censo de empresas"
    )
    survey_services.version_publish(version=version, published_by=coordinator)
    _row, token = device_token_create(user=researcher, name="Tableta")

    # The device reads our form list, form, manifest and media with its token, and ODK's engine loads the form.
    page.evaluate(
        "([server, formId, preload]) => window.startDevice(server, formId, preload)",
        [f"{live_server.url}/key/{token}", xforms.xform_id(version), {"deviceID": DEVICE, "username": "rosa"}],
    )
    expect(page.locator(".form-initialization-status.ready, .form-initialization-status.error")).to_be_attached()
    assert page.locator(".form-initialization-status.error").count() == 0, page.locator("#form").inner_text()
    assert page.evaluate("window.device.errors") == [] and page.console_errors == []
    assert page.evaluate("window.device.media") == ["clusters.csv", "actors.csv"]
    expect(page.get_by_role("heading", name="Censo de empresas").first).to_be_visible()

    # The researcher fills it in Web Forms' own controls. The actors offered come from actors.csv, filtered by
    # the cluster she chose; another team's actor is never offered.
    question(page, "Clúster").get_by_text(world.cluster_a.name, exact=True).click()
    actors = question(page, "Actor entrevistado")
    actors.get_by_text(world.actor_a.name, exact=True).click()
    expect(actors.get_by_text(world.actor_b.name, exact=True)).to_have_count(0)
    question(page, "Entrevistado(a)").locator("input").fill("Rosa Mamani")
    question(page, "Foto (opcional)").locator("input[type=file]").set_input_files(
        files=[{"name": "taller.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    question(page, "Consentimiento otorgado").get_by_text("Sí", exact=True).click()
    question(page, "Razón social").locator("input").fill("Textiles Andinos S.A.C.")
    workers = question(page, "¿Cuántas personas trabajan?")
    workers.locator("input").press_sequentially("0")
    question(page, "Ventas del último año (S/)").locator("input").press_sequentially("1250.75")
    question(page, "¿Cuándo empezó a operar?").locator("input").fill("03/15/2010")  # Web Forms' date picker
    page.keyboard.press("Escape")
    question(page, "Tamaño de la empresa").get_by_text("Pequeña", exact=True).click()
    expect(question(page, "¿A qué mercados?")).to_have_count(0)
    question(page, "¿Exporta?").get_by_text("Sí", exact=True).click()
    markets = question(page, "¿A qué mercados?")
    markets.get_by_text("Estados Unidos", exact=True).click()
    markets.get_by_text("Unión Europea", exact=True).click()
    expect(question(page, "¿Por qué no exporta?")).to_have_count(0)  # skipped: she exports
    question(page, "Nombre del socio").locator("input").fill("Ana Quispe")
    question(page, "Aporte (%)").locator("input").press_sequentially("60")
    page.get_by_role("button", name="Add Socios").click()
    question(page, "Nombre del socio").nth(1).locator("input").fill("Luis Mamani")
    question(page, "Aporte (%)").nth(1).locator("input").press_sequentially("40")

    # Our constraint holds in ODK's engine: zero workers stops the sending with the form's own message.
    page.get_by_role("button", name="Send").click()
    expect(workers.get_by_text("Entre 1 y 4999")).to_be_visible()
    assert page.evaluate("window.device.sent") == []
    workers.locator("input").fill("")
    workers.locator("input").press_sequentially("45")
    expect(workers.get_by_text("Entre 1 y 4999")).to_be_hidden()
    page.get_by_role("button", name="Send").click()
    page.wait_for_function("window.device.sent.length > 0")
    [sent] = page.evaluate("window.device.sent")
    assert sent["status"] == 201, sent["answer"]
    assert "Entrevista recibida" in sent["answer"]
    assert "<por_que_no" not in sent["instance"]  # ODK leaves what was skipped out of the instance

    # One interview, from the engine's instance, typed, in the coordinator's review queue.
    submission = Submission.objects.get(version=version)
    assert submission.state == Submission.State.MAPPED, submission.reason
    assert bytes(submission.xml).decode() == sent["instance"]  # the raw XML is kept as the engine wrote it
    assert submission.device_id == DEVICE and f"<casebook-deviceid>{DEVICE}<" in sent["instance"]
    interview = submission.interview
    assert Interview.objects.filter(version=version).count() == 1
    assert (interview.status, interview.interviewer, interview.cluster, interview.actor) == (
        Interview.Status.SUBMITTED, researcher, world.cluster_a, world.actor_a
    )  # fmt: skip
    assert interview.respondent_name == "Rosa Mamani" and interview.consent_given is True
    queue, _count = review_queue_head(coordinator, limit=50)
    assert interview in queue
    answers = {
        (answer.question.code, answer.repeat): answer
        for answer in interview.answers.select_related("question").prefetch_related("chosen__choice")
    }
    assert answers[("razon_social", "")].text_value == "Textiles Andinos S.A.C."
    workers_answer = answers[("trabajadores", "")].number_value
    assert workers_answer == 45 and workers_answer == workers_answer.to_integral_value()
    assert answers[("ventas", "")].number_value == Decimal("1250.75")
    assert answers[("inicio", "")].date_value == date(2010, 3, 15)
    assert [c.choice.value for c in answers[("tamano", "")].chosen.all()] == ["pequena"]
    assert sorted(c.choice.value for c in answers[("mercados", "")].chosen.all()) == ["ue", "usa"]
    assert not any(code == "por_que_no" for code, _repeat in answers)
    assert [answers[("socio", n)].text_value for n in ("1", "2")] == ["Ana Quispe", "Luis Mamani"]
    assert [answers[("aporte", n)].number_value for n in ("1", "2")] == [60, 40]
    # The photo chosen in Web Forms came in the same multipart post, under the name the instance gives it.
    [photo] = Attachment.objects.filter(interview=interview)
    assert photo.kind == Attachment.Kind.PHOTO and photo.size > 0
    assert f"<interview-photo>{photo.original_name}</interview-photo>" in sent["instance"]


def test_odk_web_forms_proposes_a_new_actor_and_names_ties_from_the_registry(web_forms, live_server, world):
    """The questionnaire made in the site's designer, with a new actor proposed from the form."""
    page = web_forms
    version = build_questionnaire(world.users["coordinator"])
    _row, token = device_token_create(user=world.users["researcher_a"], name="Tableta")
    page.evaluate(
        "([server, formId, preload]) => window.startDevice(server, formId, preload)",
        [f"{live_server.url}/key/{token}", xforms.xform_id(version), {"deviceID": DEVICE, "username": "rosa"}],
    )
    expect(page.locator(".form-initialization-status.ready, .form-initialization-status.error")).to_be_attached()
    assert page.locator(".form-initialization-status.error").count() == 0, page.locator("#form").inner_text()

    question(page, "Clúster").get_by_text(world.cluster_a.name, exact=True).click()
    question(page, "Actor entrevistado").get_by_text("Un actor nuevo (no está en la lista)", exact=True).click()
    question(page, "Nombre del nuevo actor").locator("input").fill("Hilandería Puno")
    question(page, "Tipo").get_by_text("Empresa", exact=True).click()
    ruc = question(page, "RUC (opcional)")
    ruc.locator("input").fill("2012345678")  # ten digits
    question(page, "Consentimiento otorgado").get_by_text("Sí", exact=True).click()
    question(page, "¿Cuántos trabajadores tiene?").locator("input").press_sequentially("12")
    question(page, "Tamaño").get_by_text("Micro", exact=True).click()
    question(page, "¿Exporta?").get_by_text("No", exact=True).click()
    expect(question(page, "Mercados de destino")).to_have_count(0)
    # Ties are named from the chosen cluster's actors (actors.csv with its choice_filter), never "a new actor".
    suppliers = question(page, "¿A quién le compra insumos?")
    expect(suppliers.get_by_text(world.actor_a.name, exact=True)).to_be_visible()
    expect(suppliers.get_by_text("Un actor nuevo (no está en la lista)")).to_have_count(0)
    suppliers.get_by_text(world.actor_a2.name, exact=True).click()
    question(page, "Confianza en el clúster").locator("input").press_sequentially("4")

    # Our RUC constraint (prefix and SUNAT's check digit, in XPath), evaluated by ODK's engine.
    message = ruc.get_by_text(
        "El RUC tiene 11 dígitos, empieza con 10, 15, 17 o 20 y termina en su dígito verificador."
    )
    page.get_by_role("button", name="Send").click()
    expect(message).to_be_visible()
    ruc.locator("input").fill("20123456789")  # eleven digits, a wrong check digit
    page.get_by_role("button", name="Send").click()
    expect(message).to_be_visible()
    assert page.evaluate("window.device.sent") == []
    ruc.locator("input").fill("20123456786")
    ruc.locator("input").blur()
    expect(message).to_be_hidden()
    page.get_by_role("button", name="Send").click()
    page.wait_for_function("window.device.sent.length > 0")
    [sent] = page.evaluate("window.device.sent")
    assert sent["status"] == 201, sent["answer"]

    submission = Submission.objects.get(version=version)
    assert submission.state == Submission.State.MAPPED, submission.reason
    interview = submission.interview
    assert interview.status == Interview.Status.SUBMITTED
    assert (interview.actor.name, interview.actor.kind, interview.actor.ruc) == (
        "Hilandería Puno",
        "firm",
        "20123456786",
    )
    assert interview.actor.memberships.filter(cluster=world.cluster_a).exists()
    assert interview.relationships.filter(source=interview.actor, target=world.actor_a2, kind="supplies").exists()
    values = {answer.question.code: answer for answer in interview.answers.select_related("question")}
    assert values["empleados"].number_value == 12 and values["confianza"].number_value == 4
    assert "mercados" not in values and "participacion_usa" not in values
