"""pulldata(): a form that looks values up in a CSV attached to it, from the import to the interview and devices."""

import hashlib

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys import engine
from surveys.models import Answer, Interview, QuestionnaireVersion
from tests.openrosa.conftest import basic
from tests.surveys.conftest import form_data
from tests.surveys.xlsform_files import xlsx

pytestmark = pytest.mark.django_db
FORM = xlsx(
    survey=[
        ["type", "name", "label", "calculation"],
        ["text", "codigo", "Código del cultivo", None],
        ["calculate", "precio", None, "pulldata('precios', 'precio', 'codigo', ${codigo})"],
        ["calculate", "cultivo", None, "pulldata('precios', 'cultivo', 'codigo', ${codigo})"],
    ],
    settings=[["form_title", "form_id"], ["Precios en chacra", "precios_chacra"]],
)
CSV = "codigo,cultivo,precio,zona\n1,maíz,2.5,norte\n7,quinua,9,sur\n7,otra quinua,0,sur\n".encode()


def _upload(client, version, data):
    return client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("precios.csv", data, content_type="text/csv")},
    )


@pytest.fixture
def version(client_for, world):
    """The form imported through the page, published once its CSV is attached."""
    client = client_for(world.users["coordinator"])
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")
    response = client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}), follow=True)
    assert "necesita el archivo precios.csv" in response.content.decode()  # as select_one_from_file's CSVs
    _upload(client, version, CSV)
    client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    return version


def test_an_interview_stores_what_pulldata_reads_from_the_attached_csv(client_for, world, version):
    client = client_for(world.users["researcher_a"])
    start = reverse("surveys:interview_start")
    page = client.get(start, {"version": version.pk, "cluster": world.cluster_a.slug})
    # The browser gets the rows, only the columns pulldata() reads.
    assert page.context["logic"]["data"] == {
        "precios": [
            {"codigo": "1", "cultivo": "maíz", "precio": "2.5"},
            {"codigo": "7", "cultivo": "quinua", "precio": "9"},
            {"codigo": "7", "cultivo": "otra quinua", "precio": "0"},
        ]
    }
    client.post(start, form_data(version, world.cluster_a, actor=world.actor_a, answers={"codigo": "7"}))
    interview = Interview.objects.get(version=version)
    stored = {a.question.code: a.text_value for a in Answer.objects.filter(interview=interview)}
    assert stored == {"codigo": "7", "precio": "9", "cultivo": "quinua"}  # the first row with the key


def test_a_csv_replaced_on_a_draft_is_read_again(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")

    def price():  # as a request evaluates the form: a structure of its own (it keeps the files it read)
        structure = engine.Structure.of(list(version.questions.all()))
        return engine.evaluate(structure, {("codigo", ""): "1"}).kept.get(("precio", ""))

    assert price() is None  # no file yet
    _upload(client, version, CSV)
    assert price() == "2.5"
    _upload(client, version, CSV.replace(b"2.5", b"3.75"))
    assert price() == "3.75"  # the parsed files are kept by (file, md5): a new file is read again


def test_a_csv_saved_by_excel_in_windows_1252_is_refused_and_the_one_attached_before_stays(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")
    _upload(client, version, CSV)
    before = version.files.get()
    structure = engine.Structure.of(list(version.questions.all()))
    latin = "codigo,cultivo,precio\n1,maíz,3\n2,ñuña,4\n".encode("cp1252")
    response = client.post(
        reverse("surveys:version_file_upload", kwargs={"pk": version.pk}),
        {"file": SimpleUploadedFile("precios.csv", latin, content_type="text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert "precios.csv no está guardado como texto UTF-8 (la línea 2" in page
    assert "CSV UTF-8 (delimitado por comas)" in page
    assert [(f.pk, f.md5) for f in version.files.all()] == [(before.pk, before.md5)]
    assert engine.evaluate(structure, {("codigo", ""): "1"}).kept[("cultivo", "")] == "maíz"


def test_a_csv_with_columns_separated_by_semicolons_is_read_as_odk_reads_it(client_for, world):
    """Excel writes ';' where it is the list separator; JavaRosa (getodk/javarosa#644) and Web Forms read it."""
    client = client_for(world.users["coordinator"])
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")
    _upload(client, version, 'codigo;cultivo;precio\n1;maíz;3,5\n7;"quinua; blanca";9\n'.encode())
    structure = engine.Structure.of(list(version.questions.all()))
    kept = engine.evaluate(structure, {("codigo", ""): "7"}).kept
    assert (kept[("cultivo", "")], kept[("precio", "")]) == ("quinua; blanca", "9")
    assert engine.evaluate(structure, {("codigo", ""): "1"}).kept[("precio", "")] == "3,5"


def test_a_csv_in_utf_8_with_the_bom_excel_writes_is_read(client_for, world):
    client = client_for(world.users["coordinator"])
    client.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")
    _upload(client, version, "\ufeff".encode() + CSV)
    structure = engine.Structure.of(list(version.questions.all()))
    assert engine.evaluate(structure, {("codigo", ""): "7"}).kept[("cultivo", "")] == "quinua"
    # Devices get it without the BOM, which ODK Collect would read into the first column's name.
    stored = version.files.get()
    download = client.get(reverse("surveys:version_file_download", kwargs={"pk": stored.pk}))
    assert b"".join(download.streaming_content) == CSV
    assert (stored.size, stored.md5) == (len(CSV), hashlib.md5(CSV, usedforsecurity=False).hexdigest())


def test_pulldata_naming_the_file_with_its_extension_is_refused_on_its_row(client_for, world):
    """pyxform declares pulldata('precios.csv', …) as the file precios.csv.csv, which ODK then looks for."""
    form = xlsx(
        survey=[
            ["type", "name", "label", "calculation"],
            ["text", "codigo", "Código del cultivo", None],
            ["calculate", "precio", None, "pulldata('precios.csv', 'precio', 'codigo', ${codigo})"],
        ],
        settings=[["form_title"], ["Con extensión"]],
    )
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("ext.xlsx", form)}
    )
    assert (
        "Hoja survey, fila 3: pulldata() en el carácter 1 nombra el archivo con su extensión, "
        "«precios.csv»: ODK Collect y Web Forms buscarían un archivo llamado precios.csv.csv. "
        "Escriba el nombre sin .csv: «precios»."
    ) in response.content.decode()
    assert not QuestionnaireVersion.objects.filter(questionnaire__name="Con extensión").exists()


def test_devices_get_the_csv_in_the_manifest_and_pulldata_in_the_xform(client, world, version):
    from openrosa import xforms

    xml = xforms.version_xform(version).xml.decode()
    # As pyxform writes it: the call as written, and the CSV as a secondary instance devices load.
    assert "calculate=\"pulldata('precios', 'precio', 'codigo',  /data/codigo )\"" in xml
    assert '<instance id="precios" src="jr://file-csv/precios.csv"/>' in xml
    manifest = client.get(
        reverse("openrosa:manifest", kwargs={"pk": version.pk}),
        headers={"Authorization": basic("researcher_a")},
        secure=True,
    )
    names = [
        media.findtext("{http://openrosa.org/xforms/xformsManifest}filename")
        for media in ElementTree.fromstring(manifest.content)
    ]
    assert "precios.csv" in names


def test_a_csv_cell_that_is_markup_reaches_the_page_as_data_only(client_for, world):
    """pulldata's rows go to the browser inside the page: a cell written as HTML cannot end the script."""
    coordinator = client_for(world.users["coordinator"])
    coordinator.post(reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("precios.xlsx", FORM)})
    version = QuestionnaireVersion.objects.get(questionnaire__name="Precios en chacra")
    hostile = "</script><script>alert(1)</script><b>x</b>"
    _upload(coordinator, version, f"codigo,cultivo,precio\n1,{hostile},2\n".encode())
    coordinator.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    page = client_for(world.users["researcher_a"]).get(
        reverse("surveys:interview_start"), {"version": version.pk, "cluster": world.cluster_a.slug}
    )
    html = page.content.decode()
    assert page.context["logic"]["data"]["precios"][0]["cultivo"] == hostile
    assert "<script>alert(1)" not in html and "<b>x</b>" not in html


def test_saving_an_interview_reads_the_form_s_csv_files_once(client_for, world, version):
    """The form's logic is evaluated more than once while an interview is checked and saved; the attached
    files are looked up once per request, not once per evaluation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["researcher_a"])
    start = reverse("surveys:interview_start")
    with CaptureQueriesContext(connection) as queries:
        client.post(start, form_data(version, world.cluster_a, actor=world.actor_a, answers={"codigo": "1"}))
    assert Answer.objects.get(question__code="precio").text_value == "2.5"
    file_reads = [q["sql"] for q in queries.captured_queries if 'FROM "surveys_versionfile"' in q["sql"]]
    assert len(file_reads) == 1, file_reads
