"""Every form of tests/surveys/pyxform_cases.py (the shapes of pyxform's own test suite) imported as a coordinator
does, through the import page: either a draft version whose XLSForm export pyxform converts and whose device
form ODK Collect can list and download, or a refusal that names the sheet and the row, in Spanish and in
English. Never a server error, never a questionnaire other than the file's."""

import dataclasses

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyxform.xls2xform import convert

from openrosa import xforms
from surveys.models import QuestionnaireVersion
from surveys.services.questionnaires import version_problems
from surveys.xlsform import read_xlsform
from tests.openrosa.conftest import basic
from tests.surveys.pyxform_cases import CASES, IMPORTED

pytestmark = pytest.mark.django_db


def _converts(data: bytes) -> bool:
    try:
        convert(xlsform=data, file_type=".xlsx", form_name="data", validate=False)
    except Exception:  # pyxform refuses in many ways; any of them is a refusal
        return False
    return True


def _import(client, case, language="es"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        reverse("surveys:questionnaire_import"),
        {"file": SimpleUploadedFile(f"{case.name}.xlsx", case.xlsx()), "name": f"{case.name} ({language})"},
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_pyxform_converts_exactly_the_cases_marked_as_converted(case):
    assert _converts(case.xlsx()) == case.pyxform


def _where(sheet, row, language):
    if language == "es":
        return f"Hoja {sheet}, fila {row}:" if row else f"Hoja {sheet}:"
    return f"Sheet {sheet}, row {row}:" if row else f"Sheet {sheet}:"


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome != IMPORTED], ids=lambda case: case.name)
def test_a_case_the_site_cannot_represent_is_refused_naming_its_sheet_and_row(case, client_for, world):
    client = client_for(world.users["coordinator"])
    before = QuestionnaireVersion.objects.count()
    refusal = case.outcome
    for language, fragment in (("es", refusal.spanish), ("en", refusal.english)):
        response = _import(client, case, language)
        assert response.status_code == 200
        content = response.content.decode()
        assert 'id="import-problems"' in content
        problems = content.split('id="import-problems"', 1)[1].split("</ul>", 1)[0]
        line = next(
            (item for item in problems.split("<li>")[1:] if _where(refusal.sheet, refusal.row, language) in item), ""
        )
        assert line, (language, problems)
        assert fragment.lower() in line.lower(), (language, line)
    assert QuestionnaireVersion.objects.count() == before


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome == IMPORTED], ids=lambda case: case.name)
def test_a_case_the_site_takes_becomes_a_version_that_exports_and_reaches_devices(case, client_for, world):
    client = client_for(world.users["coordinator"])
    response = _import(client, case)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = QuestionnaireVersion.objects.get(questionnaire__name=f"{case.name} (es)")
    assert client.get(response["Location"]).status_code == 200  # the version page the import leads to
    exported = client.get(reverse("surveys:version_export", kwargs={"pk": version.pk})).content
    assert _converts(exported)
    # The export reads back as the same questionnaire as the file (the site numbers the versions itself, and
    # its title is the questionnaire's name).
    original = read_xlsform(case.xlsx())
    assert dataclasses.replace(read_xlsform(exported), version=original.version, title=original.title) == original
    # The device form: made from the draft, and, once published, listed and downloaded by a researcher.
    assert xforms.version_xform(version).xml
    if version_problems(version):  # files to attach (select_one_from_file, pulldata): not publishable yet
        return
    response = client.post(reverse("surveys:version_publish", kwargs={"pk": version.pk}))
    assert response.status_code == 302
    device = {"headers": {"Authorization": basic("researcher_a")}, "secure": True}
    listing = client.get(reverse("openrosa:form_list"), **device)
    assert listing.status_code == 200
    download_url = reverse("openrosa:form_xml", kwargs={"pk": version.pk})
    assert download_url.encode() in listing.content
    download = client.get(download_url, **device)
    assert download.status_code == 200
    assert download.content == xforms.version_xform(version).xml
    # And the web form a researcher fills.
    researcher = client_for(world.users["researcher_a"])
    page = researcher.get(reverse("surveys:interview_start"), {"version": version.pk, "cluster": world.cluster_a.slug})
    assert page.status_code == 200


def test_an_xls_cell_with_a_control_character_is_refused_on_the_page_by_sheet_and_row(client_for, world):
    # Not one of pyxform's cases: .xls cells (BIFF) may hold characters XML cannot carry, which markdown and
    # .xlsx cannot; such a file was refused as a whole, without sheet or row.
    from tests.surveys.xlsform_corpus import xls

    data = xls(survey=[["type", "name", "label"], ["text", "a", "Hola\x0bmundo"]])
    response = client_for(world.users["coordinator"]).post(
        reverse("surveys:questionnaire_import"), {"file": SimpleUploadedFile("viejo.xls", data), "name": "viejo"}
    )
    assert response.status_code == 200
    assert "Hoja survey, fila 2: La celda de la columna «label» tiene un carácter de control invisible (U+000B)" in (
        response.content.decode()
    )
    assert not QuestionnaireVersion.objects.filter(questionnaire__name="viejo").exists()
