"""Actors in and out of spreadsheets: preview before writing, all or nothing, re-import updates, hostile files."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import Actor, Cluster, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = ["name", "kind", "ruc", "size", "region", "email", "cluster", "role"]
RUC_1, RUC_2, RUC_3 = f.make_ruc(7001), f.make_ruc(7002), f.make_ruc(7003)
GOOD_ROWS = [
    ["Hilandería Inca S.A.", "firm", RUC_1, "large", "040101", "ventas@inca.example", "camelidos", ""],
    ["Tintes Andinos E.I.R.L.", "Proveedor", RUC_2, "pequeña", "21", "", "camelidos", "supplier"],
    ["Instituto del Camélido", "research_centre", "", "", "2101", "", "", ""],
]


def csv_file(rows, header=HEADER, name="actores.csv", delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="actores.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files waiting for confirmation go to a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator_client(world, client_for):
    return client_for(world.users["coordinator"])


def upload(client, uploaded):
    return client.post(reverse("clusters:actor_import"), {"file": uploaded})


def confirm(client, preview):
    token = preview.content.decode().split('name="token" value="')[1].split('"')[0]
    return client.post(reverse("clusters:actor_import_confirm"), {"token": token}, follow=True)


def rows_of(response):
    """(line, action text, reasons) of each row of the preview table."""
    table = response.content.decode().split('data-testid="import-rows"')[1].split("</table>")[0]
    return table.split("<tr")[2:]


def test_a_file_with_good_and_bad_rows_shows_each_reason_and_writes_nothing(world, coordinator_client):
    actors_before = Actor.objects.count()
    bad_rows = [
        ["Mala Cifra S.A.C.", "firm", "20512333798", "", "", "", "", ""],
        ["Región Perdida S.A.", "firm", "", "", "999999", "", "", ""],
        ["", "firm", "", "", "", "", "", ""],
        ["Tipo Raro S.A.", "dragon", "", "", "", "", "", ""],
        ["Tamaño Raro S.A.", "firm", "", "enorme", "", "", "", ""],
        ["Hilandería Inca Bis", "firm", RUC_1, "", "", "", "", ""],
        ["Clúster Raro S.A.", "firm", "", "", "", "", "no-existe", ""],
    ]
    response = upload(coordinator_client, csv_file(GOOD_ROWS + bad_rows))
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 por crear" in content and "7 rechazadas" in content
    assert "dígito" in content  # the RUC's check digit
    assert "Código de ubigeo desconocido «999999»." in content
    assert "Falta el nombre." in content
    assert "Tipo desconocido «dragon»" in content
    assert "Tamaño desconocido «enorme»" in content
    assert "Mismo RUC que la fila 2 del archivo." in content
    assert "Clúster desconocido «no-existe»" in content
    # Each reason is on its own row, numbered as in the spreadsheet (the header is row 1).
    rows = rows_of(response)
    assert "<td>5</td>" in rows[3] and "dígito" in rows[3]
    assert "<td>6</td>" in rows[4] and "Código de ubigeo desconocido «999999»." in rows[4]
    assert "<td>2</td>" in rows[0] and "Crear" in rows[0]
    assert 'data-testid="cannot-apply"' in content
    assert "Confirmar la importación" not in content
    assert Actor.objects.count() == actors_before
    # Even a hand-made confirmation writes nothing.
    token = coordinator_client.session["clusters_actor_import"]["token"]
    response = coordinator_client.post(reverse("clusters:actor_import_confirm"), {"token": token})
    assert "No se escribió nada" in response.content.decode()
    assert Actor.objects.count() == actors_before


def test_a_good_file_writes_all_rows_with_their_memberships(world, coordinator_client):
    preview = upload(coordinator_client, csv_file(GOOD_ROWS))
    assert "3 por crear" in preview.content.decode()
    assert not Actor.objects.filter(ruc=RUC_1).exists()  # the preview writes nothing
    waiting = coordinator_client.session["clusters_actor_import"]["path"]
    assert default_storage.exists(waiting)
    done = confirm(coordinator_client, preview)
    assert "Importación realizada: 3 actores creados, 0 actualizados." in done.content.decode()
    inca = Actor.objects.get(ruc=RUC_1)
    assert (inca.kind, inca.size, inca.region.code, inca.email) == ("firm", "large", "040101", "ventas@inca.example")
    assert inca.created_by == world.users["coordinator"]
    tintes = Actor.objects.get(ruc=RUC_2)
    assert (tintes.kind, tintes.size, tintes.region.code) == ("supplier", "small", "21")
    assert Membership.objects.get(actor=inca, cluster=world.cluster_a).role == "core_firm"
    assert Membership.objects.get(actor=tintes, cluster=world.cluster_a).role == "supplier"
    assert not Actor.objects.get(name="Instituto del Camélido").memberships.exists()
    # The uploaded file does not linger once applied.
    assert "clusters_actor_import" not in coordinator_client.session
    assert not default_storage.exists(waiting)


def test_reimporting_the_same_file_updates_instead_of_duplicating(world, coordinator_client):
    confirm(coordinator_client, upload(coordinator_client, csv_file(GOOD_ROWS)))
    count = Actor.objects.count()
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][5] = "nuevo@inca.example"
    changed[2][3] = "micro"
    preview = upload(coordinator_client, csv_file(changed))
    content = preview.content.decode()
    assert "0 por crear" in content and "3 por actualizar" in content
    done = confirm(coordinator_client, preview)
    assert "0 actores creados, 3 actualizados" in done.content.decode()
    assert Actor.objects.count() == count
    inca = Actor.objects.get(ruc=RUC_1)
    assert inca.email == "nuevo@inca.example"
    assert inca.version == 2  # an edit form opened before the import will not overwrite it
    # The actor without RUC was matched by its exact name.
    assert Actor.objects.get(name="Instituto del Camélido").size == "micro"
    assert Membership.objects.filter(actor=inca).count() == 1


def test_an_empty_cell_does_not_erase_what_is_stored(world, coordinator_client):
    confirm(coordinator_client, upload(coordinator_client, csv_file(GOOD_ROWS)))
    sparse = [["Hilandería Inca S.A.", "", RUC_1, "", "", "", "", ""]]
    confirm(coordinator_client, upload(coordinator_client, csv_file(sparse)))
    inca = Actor.objects.get(ruc=RUC_1)
    assert (inca.kind, inca.size, inca.email) == ("firm", "large", "ventas@inca.example")


def test_xlsx_files_import_like_csv_and_numbers_keep_their_leading_zeros(world, coordinator_client):
    rows = [
        ["Hilandería Inca S.A.", "Empresa", int(RUC_1), "Grande", 40101, "", "camelidos", ""],
        ["Tintes Andinos E.I.R.L.", "supplier", RUC_2, "small", 4, "", "", ""],
    ]
    preview = upload(coordinator_client, xlsx_file(rows))
    assert "2 por crear" in preview.content.decode()
    confirm(coordinator_client, preview)
    assert Actor.objects.get(ruc=RUC_1).region.code == "040101"
    assert Actor.objects.get(ruc=RUC_2).region.code == "04"
    again = upload(coordinator_client, xlsx_file(rows))
    assert "2 por actualizar" in again.content.decode()


def test_spanish_headers_and_an_excel_csv_with_semicolons_in_windows_encoding_are_read(world, coordinator_client):
    uploaded = csv_file(
        [["Cooperativa Ñuñoa", "Proveedor", "", "Micro", "21"]],
        header=["Nombre", "Tipo", "RUC", "Tamaño", "Ubigeo"],
        delimiter=";",
        encoding="cp1252",
    )
    confirm(coordinator_client, upload(coordinator_client, uploaded))
    actor = Actor.objects.get(name="Cooperativa Ñuñoa")
    assert (actor.kind, actor.size) == ("supplier", "micro")


def test_a_file_applies_all_or_nothing_even_if_the_registry_changed_since_the_preview(world, coordinator_client):
    preview = upload(coordinator_client, csv_file(GOOD_ROWS))
    assert "3 por crear" in preview.content.decode()
    # Meanwhile the cluster of the first two rows gets another short name: those rows no longer apply.
    Cluster.objects.filter(pk=world.cluster_a.pk).update(slug="fibra-de-camelidos")
    before = Actor.objects.count()
    done = confirm(coordinator_client, preview)
    content = done.content.decode()
    assert "No se escribió nada" in content
    assert "Clúster desconocido «camelidos»" in content
    # The third row was fine on its own, but an import writes every row or none.
    assert Actor.objects.count() == before
    assert not Actor.objects.filter(name="Instituto del Camélido").exists()


@pytest.mark.parametrize(
    ("uploaded", "message"),
    [
        (SimpleUploadedFile("actores.pdf", b"%PDF-1.4 hello"), "Suba un archivo CSV o XLSX"),
        (SimpleUploadedFile("actores.xlsx", b"name,kind\nA,firm\n"), "Este archivo no es un libro XLSX"),
        (SimpleUploadedFile("actores.xlsx", b"PK\x03\x04 broken zip"), "Este archivo no es un libro XLSX"),
        (SimpleUploadedFile("actores.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "no es un archivo de texto CSV"),
        (SimpleUploadedFile("actores.csv", b""), "vacío"),
        (SimpleUploadedFile("actores.csv", b"nombre;ruc\nA;1\n"), "faltan estas: kind"),
        (SimpleUploadedFile("actores.csv", b"name,name,kind\n"), "aparece dos veces"),
    ],
    ids=["pdf", "csv-named-xlsx", "broken-zip", "binary-csv", "empty", "missing-column", "twice"],
)
def test_files_that_are_not_tables_of_actors_get_a_clear_message(world, coordinator_client, uploaded, message):
    response = upload(coordinator_client, uploaded)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "clusters_actor_import" not in coordinator_client.session


def test_formula_cells_are_rejected_in_csv_and_xlsx(world, coordinator_client):
    formula = '=HYPERLINK("http://evil.example","clic")'
    csv_preview = upload(coordinator_client, csv_file([[formula, "firm", "", "", "", "", "", ""]]))
    assert "La celda contiene una fórmula" in csv_preview.content.decode()
    rows = [["Empresa Fórmula", "firm", "", "", "", "=1+1", "", ""]]
    xlsx_preview = upload(coordinator_client, xlsx_file(rows))
    content = xlsx_preview.content.decode()
    assert "email: La celda contiene una fórmula" in content
    assert not Actor.objects.filter(name="Empresa Fórmula").exists()


def test_a_file_over_the_size_limit_is_refused(world, coordinator_client, settings):
    settings.CASEBOOK_MAX_IMPORT_BYTES = 1000
    response = upload(coordinator_client, csv_file(GOOD_ROWS * 20))
    assert "El archivo pesa más de 1000" in response.content.decode()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_read(world, coordinator_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (70 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = upload(coordinator_client, SimpleUploadedFile("bomba.xlsx", buffer.getvalue()))
    assert "al descomprimirse" in response.content.decode()


def test_a_file_with_too_many_rows_is_refused(world, coordinator_client):
    rows = [[f"Empresa {n}", "firm", "", "", "", "", "", ""] for n in range(5001)]
    response = upload(coordinator_client, csv_file(rows))
    assert "más de 5000 filas" in response.content.decode()


def test_only_coordinators_and_admins_import(world, client_for):
    for persona in ("researcher_a", "manager"):
        client = client_for(world.users[persona])
        assert upload(client, csv_file(GOOD_ROWS)).status_code == 403
        assert client.get(reverse("clusters:actor_list")).content.decode().count(reverse("clusters:actor_import")) == 0
    assert not Actor.objects.filter(ruc=RUC_1).exists()


def _export(client, file_format="csv", **params):
    response = client.get(reverse("clusters:actor_export"), {"format": file_format, **params})
    assert response.status_code == 200
    if file_format == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def test_export_honours_the_list_filters_and_neutralises_formulas(world, client_for):
    f.MembershipFactory(cluster=world.cluster_a, actor=f.ActorFactory(name='=HYPERLINK("http://evil","x")', ruc=""))
    client = client_for(world.users["coordinator"])
    rows = _export(client, cluster="camelidos")
    names = [row["name"] for row in rows]
    assert "Textil Altiplano S.A.C." in names
    assert world.actor_b.name not in names
    assert '\'=HYPERLINK("http://evil","x")' in names
    textil = next(row for row in rows if row["name"] == "Textil Altiplano S.A.C.")
    assert (textil["kind"], textil["ruc"], textil["region"], textil["cluster"], textil["role"]) == (
        "firm",
        world.actor_a.ruc,
        "21",
        "camelidos",
        "core_firm",
    )
    assert [row["name"] for row in _export(client, kind="university")] == ["Universidad Nacional del Altiplano"]
    xlsx_names = [row["name"] for row in _export(client, "xlsx", cluster="camelidos")]
    assert '\'=HYPERLINK("http://evil","x")' in xlsx_names


def test_a_researchers_export_holds_only_their_clusters_actors_and_clusters(world, client_for):
    f.MembershipFactory(cluster=world.cluster_b, actor=world.actor_a)
    client = client_for(world.users["researcher_a"])
    rows = _export(client)
    assert {row["name"] for row in rows} == {"Textil Altiplano S.A.C.", "Universidad Nacional del Altiplano"}
    assert all("Café del Perú" not in row["clusters"] for row in rows)
    # Asking for the other cluster is not a filter they can use: still only their own actors.
    assert world.actor_b.name not in {row["name"] for row in _export(client, cluster="cafe")}
    xlsx = _export(client, "xlsx")
    assert world.actor_b.name not in {row["name"] for row in xlsx}


def test_an_export_imported_back_changes_nothing_and_duplicates_nothing(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("clusters:actor_export"), {"format": "xlsx", "cluster": "camelidos"})
    count = Actor.objects.count()
    preview = upload(client, SimpleUploadedFile("export.xlsx", response.content))
    content = preview.content.decode()
    assert "0 por crear" in content and "2 por actualizar" in content and "0 rechazadas" in content
    confirm(client, preview)
    assert Actor.objects.count() == count


def test_the_template_downloads_and_imports_cleanly(world, client_for):
    client = client_for(world.users["coordinator"])
    template = client.get(reverse("clusters:actor_import_template"), {"format": "xlsx"})
    assert template["Content-Disposition"].endswith('.xlsx"')
    preview = upload(client, SimpleUploadedFile("plantilla.xlsx", template.content))
    assert "1 por crear" in preview.content.decode()


def test_files_of_previews_never_confirmed_are_swept_after_a_day(world, coordinator_client, settings):
    import datetime
    import os

    upload(coordinator_client, csv_file(GOOD_ROWS))
    abandoned = coordinator_client.session["clusters_actor_import"]["path"]
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(abandoned), (two_days_ago, two_days_ago))
    other = f.UserFactory(username="coordinadora2", role="coordinator")
    from django.test import Client

    second = Client()
    second.force_login(other)
    upload(second, csv_file(GOOD_ROWS))
    assert not default_storage.exists(abandoned)
    assert default_storage.exists(second.session["clusters_actor_import"]["path"])


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_huge_cell_is_rejected_on_its_row_naming_the_column_and_the_preview_stays_small(
    world, coordinator_client, make_file
):
    """One 1 MB cell used to come back whole in the preview (a 55 MB cell made a 57 MB page)."""
    huge = "Ñ" + "x" * (1024 * 1024)
    rows = [
        GOOD_ROWS[0],
        [huge, "firm", "", "", "", "", "", ""],
        ["Clúster Enorme S.A.", "firm", "", "", "", "", huge, ""],
    ]
    response = upload(coordinator_client, make_file(rows))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 100_000, len(response.content)
    assert "1 por crear" in content and "2 rechazadas" in content
    rows = rows_of(response)
    assert "<td>3</td>" in rows[1]
    # The whole reason, and only it (a CSV cell is counted whole; openpyxl reads at most 32,767 characters).
    too_long = r"<li>{}: La celda tiene (1,048,577|32,767) caracteres; se admiten como máximo 5,000.</li></ul>"
    assert re.search(too_long.format("name"), rows[1])
    assert "Ñxxxxxxxxx" in rows[1] and "…" in rows[1]  # the name, cut short
    assert "<td>4</td>" in rows[2]
    assert re.search(too_long.format("cluster"), rows[2])
    assert "Clúster desconocido" not in rows[2]
    assert not Actor.objects.filter(name__startswith="Ñxxx").exists()


def test_a_cell_at_the_limit_is_read_whole(world, coordinator_client):
    notes = "n" * 5000
    preview = upload(coordinator_client, csv_file([["Notas Largas S.A.", "firm", "", "", "", "", "", ""]]))
    assert "1 por crear" in preview.content.decode()
    header = [*HEADER, "notes"]
    preview = upload(
        coordinator_client, csv_file([["Notas Largas S.A.", "firm", "", "", "", "", "", "", notes]], header)
    )
    assert "1 por crear" in preview.content.decode()
    confirm(coordinator_client, preview)
    assert Actor.objects.get(name="Notas Largas S.A.").notes == notes
