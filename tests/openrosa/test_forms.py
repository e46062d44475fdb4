"""The form list, the XForm pyxform makes from the questionnaire's XLSForm, its manifest and media files."""

import hashlib
import io
import shutil

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pyxform.xls2json_backends import xlsx_to_dict

from openrosa import xforms
from surveys import services as survey_services
from surveys.selectors import version_form_spec
from surveys.xlsform import write_xlsform
from tests.openrosa.conftest import XFORMS, basic
from tests.surveys.conftest import build_priced_questionnaire

pytestmark = pytest.mark.django_db
LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"


def _get(client, name, user="researcher_a", **kwargs):
    return client.get(reverse(f"openrosa:{name}", kwargs=kwargs), headers={"Authorization": basic(user)}, secure=True)


def test_an_imported_xlsform_is_listed_for_a_researcher_of_a_cluster_and_nobody_else(client, world, questionnaire):
    # Import the questionnaire's own XLSForm export as a new questionnaire, and publish it.
    from surveys.selectors import version_form_spec

    data = write_xlsform(version_form_spec(questionnaire))
    imported = survey_services.version_import_xlsform(
        data=data, created_by=world.users["coordinator"], name="Importado"
    )
    survey_services.version_publish(version=imported, published_by=world.users["coordinator"])
    listing = ElementTree.fromstring(_get(client, "form_list").content)
    names = [item.findtext(f"{LIST}name") for item in listing.iter(f"{LIST}xform")]
    assert "Importado" in names
    # A researcher on no team fills nothing; coordinators and managers record no interviews.
    from tests.factories import UserFactory

    UserFactory(username="sin_equipo", role="field researcher")
    assert b"Importado" not in _get(client, "form_list", user="sin_equipo").content
    for persona in ("coordinator", "manager"):
        assert _get(client, "form_list", user=persona).status_code == 403


def test_a_form_written_with_plain_labels_is_listed_with_its_questions_in_every_language(client, world):
    # One language, a plain "label" column, as most XLSForms are written: the registry's translated columns
    # are put beside it and pyxform must still read every column of both.
    from tests.surveys.xlsform_files import xlsx

    data = xlsx(
        survey=[["type", "name", "label"], ["integer", "trabajadores", "¿Cuántas personas trabajan?"],
                ["select_one sino", "exporta", "¿Exporta?"]],
        choices=[["list_name", "name", "label"], ["sino", "yes", "Sí"], ["sino", "no", "No"]],
    )  # fmt: skip
    version = survey_services.version_import_xlsform(data=data, created_by=world.users["coordinator"], name="Simple")
    survey_services.version_publish(version=version, published_by=world.users["coordinator"])
    listing = ElementTree.fromstring(_get(client, "form_list").content)
    item = next(x for x in listing.iter(f"{LIST}xform") if x.findtext(f"{LIST}name") == "Simple")
    root = ElementTree.fromstring(
        client.get(
            item.findtext(f"{LIST}downloadUrl"), headers={"Authorization": basic("researcher_a")}, secure=True
        ).content
    )
    binds = {bind.get("nodeset"): bind.get("type") for bind in root.iter(f"{XFORMS}bind")}
    assert binds["/data/trabajadores"] == "int" and "/data/casebook-interview/casebook-cluster" in binds
    # The questionnaire's own labels stand in the body, shown whatever language the device picks.
    labels = {control.get("ref"): control.findtext(f"{XFORMS}label") for control in root.iter(f"{XFORMS}input")}
    assert labels["/data/trabajadores"] == "¿Cuántas personas trabajan?"


def test_the_form_list_gives_the_hash_of_the_xform_served_and_its_manifest(client, world, questionnaire):
    document = xforms.version_xform(questionnaire)
    listing = ElementTree.fromstring(_get(client, "form_list").content)
    item = next(x for x in listing.iter(f"{LIST}xform") if x.findtext(f"{LIST}formID") == document.form_id)
    xml = client.get(item.findtext(f"{LIST}downloadUrl"), headers={"Authorization": basic("researcher_a")}, secure=True)
    assert xml.status_code == 200
    assert item.findtext(f"{LIST}hash") == "md5:" + hashlib.md5(xml.content, usedforsecurity=False).hexdigest()
    assert xml.content == document.xml
    assert item.findtext(f"{LIST}version") == document.version
    manifest = client.get(
        item.findtext(f"{LIST}manifestUrl"), headers={"Authorization": basic("researcher_a")}, secure=True
    )
    files = {media.findtext(f"{MANIFEST}filename"): media for media in ElementTree.fromstring(manifest.content)}
    assert set(files) == {"clusters.csv", "actors.csv"}
    actors = client.get(
        files["actors.csv"].findtext(f"{MANIFEST}downloadUrl"),
        headers={"Authorization": basic("researcher_a")},
        secure=True,
    )
    assert (
        files["actors.csv"].findtext(f"{MANIFEST}hash")
        == "md5:" + hashlib.md5(actors.content, usedforsecurity=False).hexdigest()
    )
    assert "Textil Altiplano S.A.C." in actors.content.decode()
    assert "Cooperativa Cafetalera" not in actors.content.decode()  # cluster B's actor


def test_the_registry_csv_changes_its_hash_when_the_registry_changes(client, world, questionnaire):
    before = xforms.media_files(world.users["researcher_a"])["actors.csv"]
    from tests.factories import ActorFactory, MembershipFactory

    MembershipFactory(cluster=world.cluster_a, actor=ActorFactory(name="Hilandería Nueva"))
    after = xforms.media_files(world.users["researcher_a"])["actors.csv"]
    assert xforms.md5_hex(before) != xforms.md5_hex(after)
    assert b"Hilander\xc3\xada Nueva" in after


def test_the_xform_carries_the_registry_details_metadata_and_the_questions(world, questionnaire):
    root = ElementTree.fromstring(xforms.version_xform(questionnaire).xml)
    binds = {bind.get("nodeset"): bind for bind in root.iter(f"{XFORMS}bind")}
    group = "/data/casebook-interview"
    for name in ("casebook-cluster", "casebook-actor", "respondent-name", "interview-date", "consent-given"):
        assert f"{group}/{name}" in binds
    for name in ("start", "end", "today", "deviceid", "username"):
        assert binds[f"/data/casebook-{name}"].get("{http://openrosa.org/javarosa}preload")
    assert "/data/meta/instanceID" in binds
    assert binds["/data/perfil/empleados"].get("type") == "int"
    assert binds["/data/perfil/mercados"].get("relevant")
    actor = next(s for s in root.iter(f"{XFORMS}select1") if s.get("ref") == f"{group}/casebook-actor")
    assert "cluster=" in actor.find(f"{XFORMS}itemset").get("nodeset").replace(" ", "")
    sources = {instance.get("src") for instance in root.iter(f"{XFORMS}instance") if instance.get("src")}
    assert sources == {"jr://file-csv/clusters.csv", "jr://file-csv/actors.csv"}


def test_the_xform_is_built_from_the_same_xlsform_as_the_export(world, questionnaire):
    from surveys.selectors import version_form_spec

    exported = xlsx_to_dict(io.BytesIO(write_xlsform(version_form_spec(questionnaire))))["survey"]
    source = xforms.xform_source(questionnaire)["survey"]
    exported_names = [row.get("name") for row in exported if row.get("name")]
    assert [row.get("name") for row in source if row.get("name") in exported_names] == exported_names


@pytest.mark.skipif(
    shutil.which("java") is None, reason="tool test skipped: java not found (apt-get install default-jre-headless)"
)
def test_the_xform_passes_odk_validate(world, questionnaire):
    xforms.validate_xform(questionnaire)


def test_the_new_actor_choice_starts_with_no_markdown_marker(world):
    # ODK Web Forms and Enketo read labels as Markdown: a label starting "+ " would show as a bulleted list.
    import csv
    import re

    from django.utils import translation

    with translation.override("es"):
        data = xforms.media_files(world.users["researcher_a"])["actors.csv"].decode()
    labels = {label for name, label, _cluster in csv.reader(io.StringIO(data)) if name == xforms.NEW_ACTOR}
    assert labels == {"Un actor nuevo (no está en la lista)"}
    assert not any(re.match(r"\s*([-+*#>]|\d+[.)])\s", label) for label in labels)


@given(st.from_regex(r"\A(10|15|17|20|11|2)[0-9]{8,10}\Z") | st.text(alphabet="0123456789a ", max_size=12))
@settings(max_examples=300, deadline=None)
def test_the_device_form_checks_a_ruc_as_the_server_does(text):
    # The new actor's RUC constraint, in ODK's XPath, agrees with SUNAT's check (python-stdnum) on the server;
    # ODK's own engine evaluates it in tests/e2e/test_odk_engine.py.
    from stdnum.pe import ruc

    from surveys.expressions import Context, evaluate, parse, to_boolean

    assert to_boolean(evaluate(parse(xforms.RUC_CONSTRAINT), Context(current=text))) == ruc.is_valid(text)


def test_valid_rucs_pass_the_device_form_s_check():
    from stdnum.pe import ruc

    from surveys.expressions import Context, evaluate, parse, to_boolean

    for base in ("1046779354", "2010007097", "1512345678", "1798765432", "2060000000"):
        number = base + ruc.calc_check_digit(base)
        assert to_boolean(evaluate(parse(xforms.RUC_CONSTRAINT), Context(current=number))), number


def test_a_triggered_question_is_set_by_the_device_when_its_trigger_changes(world):
    version = build_priced_questionnaire(world.users["coordinator"])
    root = ElementTree.fromstring(xforms.version_xform(version).xml)
    actions = {}
    for control in root.iter(f"{XFORMS}input"):
        for action in control.findall(f"{XFORMS}setvalue"):
            assert action.get("event") == "xforms-value-changed"
            actions.setdefault(control.get("ref").rsplit("/", 1)[1], {})[action.get("ref").rsplit("/", 1)[1]] = (
                action.get("value")
            )
    assert set(actions) == {"precio", "unidades"}
    assert "precio" in actions["unidades"]["oferta"] and "unidades" in actions["unidades"]["oferta"]
    assert actions["precio"]["oferta"] == actions["unidades"]["oferta"]
    assert actions["precio"]["motivo"] is None  # no calculation: the device empties it
    binds = {bind.get("nodeset").rsplit("/", 1)[1]: bind for bind in root.iter(f"{XFORMS}bind")}
    assert binds["oferta"].get("calculate") is None  # not recomputed continuously


def test_a_form_with_names_the_registry_uses_is_listed_and_its_references_name_its_own_questions(client, world):
    # Imported names may carry hyphens, as the registry's details do. The registry's element then takes the
    # site's prefix: the questionnaire's ${consent-given} names its own question, and the instance's name still
    # comes from the interview's details.
    from tests.surveys.xlsform_files import xlsx

    data = xlsx(
        survey=[["type", "name", "label", "relevant"],
                ["select_one sn", "consent-given", "¿Acepta?"],
                ["begin group", "datos", "Datos", "${consent-given} = 'si'"],
                ["text", "respondent-name", "Nombre"],
                ["date", "interview-date", "Fecha"],
                ["end group"]],
        choices=[["list_name", "name", "label"], ["sn", "si", "Sí"], ["sn", "no", "No"]],
    )  # fmt: skip
    version = survey_services.version_import_xlsform(data=data, created_by=world.users["coordinator"], name="Guion")
    survey_services.version_publish(version=version, published_by=world.users["coordinator"])
    listing = ElementTree.fromstring(_get(client, "form_list").content)
    assert "Guion" in [item.findtext(f"{LIST}name") for item in listing.iter(f"{LIST}xform")]
    root = ElementTree.fromstring(_get(client, "form_xml", pk=version.pk).content)
    binds = {bind.get("nodeset"): bind for bind in root.iter(f"{XFORMS}bind")}
    assert binds["/data/datos"].get("relevant") == " /data/consent-given  = 'si'"
    assert {"/data/casebook-interview/casebook-consent-given", "/data/casebook-interview/interview-place"} <= set(binds)
    assert binds["/data/meta/instanceName"].get("calculate") == (
        "concat(/data/casebook-interview/casebook-respondent-name, ' · ', "
        "/data/casebook-interview/casebook-interview-date)"
    )


@pytest.mark.parametrize(
    "settings_rows",
    [
        [["Submission URL", "public_key"], ["https://kc.example.org/submission", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"]],
        [["omit_instanceID"], ["yes"]],
    ],
)
def test_an_imported_form_s_submission_url_public_key_and_omit_instance_id_stay_out_of_the_device_form(
    client, world, settings_rows
):
    # KoBoToolbox and ODK Central forms carry them: on the site's devices they would send the answers to another
    # server, encrypt them where the site cannot read them, or leave out the instance ID every submission needs.
    from tests.surveys.xlsform_files import xlsx

    data = xlsx(survey=[["type", "name", "label"], ["text", "a", "A"]], settings=settings_rows)
    version = survey_services.version_import_xlsform(data=data, created_by=world.users["coordinator"], name="Kobo")
    survey_services.version_publish(version=version, published_by=world.users["coordinator"])
    xml = _get(client, "form_xml", pk=version.pk).content.decode()
    assert "kc.example.org" not in xml and "base64RsaPublicKey" not in xml
    assert "<instanceID/>" in xml
    # The XLSForm download keeps them: they are the team's.
    exported = xlsx_to_dict(io.BytesIO(write_xlsform(version_form_spec(version))))["settings"][0]
    assert {key: exported[key] for key in settings_rows[0]} == dict(zip(*settings_rows, strict=True))
