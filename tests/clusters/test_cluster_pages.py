"""Cluster list and profile, registering and editing clusters, headline figures and the team."""

import pytest
from django.urls import reverse

from clusters.models import Cluster, HeadlineFigure
from tests import factories as f

pytestmark = pytest.mark.django_db


def _list(client, **params):
    return client.get(reverse("clusters:list"), params).content.decode()


def test_cluster_list_searches_by_name_and_filters_by_region_sector_stage_status_and_coordinator(world, client_for):
    other_coordinator = f.UserFactory(
        username="coordinadora2", first_name="Marta", last_name="Ríos", role="coordinator"
    )
    f.ClusterFactory(
        name="Cacao de San Martín",
        slug="cacao",
        main_sector=f.sector("01"),
        regions=[f.region("22")],
        stage=Cluster.Stage.EMBRYONIC,
        status=Cluster.Status.IDENTIFIED,
        coordinator=other_coordinator,
    )
    client = client_for(world.users["manager"])
    assert "Cacao de San Martín" in _list(client, q="cacao")
    assert "Café del Perú" not in _list(client, q="cacao")
    # Region: the department of San Martín (22), also matching provinces and districts inside it.
    by_region = _list(client, region="22")
    assert "Cacao de San Martín" in by_region and "Café del Perú" not in by_region
    # Sector: section A (agriculture) holds division 01 of both the coffee and the cacao clusters.
    section_a = f.sector("A")
    by_sector = _list(client, sector=section_a.pk)
    assert "Cacao de San Martín" in by_sector and "Café del Perú" in by_sector
    assert "Pelos Finos de Camélidos" not in by_sector
    assert "Cacao de San Martín" not in _list(client, stage="growing")
    assert "Cacao de San Martín" in _list(client, status="identified")
    by_coordinator = _list(client, coordinator=other_coordinator.pk)
    assert "Cacao de San Martín" in by_coordinator and "Café del Perú" not in by_coordinator


def test_cluster_list_sorts_by_actor_count_and_paginates(world, client_for):
    for number in range(30):
        f.ClusterFactory(name=f"Clúster {number:02d}", slug=f"c{number:02d}")
    client = client_for(world.users["coordinator"])
    content = _list(client, sort="-actors")
    # Cluster A has two actors, B one, the rest none: most actors first.
    assert content.index("Pelos Finos de Camélidos") < content.index("Café del Perú") < content.index("Clúster 00")
    assert "32 clústeres" in content
    assert "Página 1 de 2" in content
    second = _list(client, sort="-actors", page=2).split('data-testid="cluster-map"')[0]  # the map names them all
    assert "Clúster 29" in second and "Pelos Finos" not in second
    assert 'aria-sort="descending"' in content


def test_researchers_see_only_their_clusters_in_the_list_counts_and_filters(world, client_for):
    content = _list(client_for(world.users["researcher_a"]))
    assert "Pelos Finos de Camélidos" in content
    assert "Café del Perú" not in content
    assert "1 clúster" in content
    assert "Sus clústeres" in content
    # Searching for the other cluster's name finds nothing.
    assert "Café del Perú" not in _list(client_for(world.users["researcher_a"]), q="Café")


def test_cluster_profile_shows_latest_figures_with_year_and_source_team_members_and_evaluation(world, client_for):
    cluster = world.cluster_a
    HeadlineFigure.objects.create(cluster=cluster, metric="firms", value=100, year=2022, source="Censo 2022")
    HeadlineFigure.objects.create(cluster=cluster, metric="exports", value=5000000, year=2023, source="SUNAT")
    content = client_for(world.users["researcher_a"]).get(cluster.get_absolute_url()).content.decode()
    figures = content.split('data-testid="figures"')[1].split("</table>")[0]
    # The latest year of each figure, with its source: firms 2024 (the world's), not 2022.
    assert "2024" in figures and "Encuesta de prueba" in figures
    assert "Censo 2022" not in figures
    assert "SUNAT" in figures and "5,000,000" in figures
    assert world.users["researcher_a"].get_full_name() in content.split('data-testid="cluster-team"')[1]
    breakdown = content.split('data-testid="breakdown"')[1]
    assert "Empresa" in breakdown and "Universidad" in breakdown
    assert "Miembros: 2 actores" in content
    assert "Última evaluación" in content
    assert "Sin seguimiento ni evaluación" in content  # the world's evaluation rates it "watch"
    # The tab bar leads to the other pages of the cluster.
    assert reverse("clusters:network", kwargs={"slug": cluster.slug}) in content
    assert reverse("clusters:evaluations", kwargs={"slug": cluster.slug}) in content
    # A researcher reads, but has no editing buttons.
    assert reverse("clusters:edit", kwargs={"slug": cluster.slug}) not in content


def test_a_researcher_asking_for_another_clusters_profile_gets_404_and_no_data(world, client_for):
    response = client_for(world.users["researcher_a"]).get(world.cluster_b.get_absolute_url())
    assert response.status_code == 404
    content = response.content.decode()
    assert "Café del Perú" not in content
    assert world.actor_b.name not in content


def _cluster_data(**overrides):
    data = {
        "name": "Cacao Amazónico",
        "slug": "",
        "main_sector": f.sector("01").pk,
        "departments": [f.region("22").pk],
        "other_regions": "1601",
        "description": "Productores de cacao fino de aroma.",
        "stage": "growing",
        "status": "prioritised",
        "coordinator": "",
        "latitude": "-6.03",
        "longitude": "-76.97",
    }
    data.update(overrides)
    return data


def test_a_coordinator_registers_a_cluster_with_a_slug_made_from_its_name(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("clusters:create"), _cluster_data(coordinator=world.users["coordinator"].pk))
    cluster = Cluster.objects.get(name="Cacao Amazónico")
    assert response.status_code == 302
    assert response["Location"] == cluster.get_absolute_url()
    assert cluster.slug == "cacao-amazonico"
    assert {r.code for r in cluster.regions.all()} == {"22", "1601"}
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Se registró el clúster «Cacao Amazónico»." in page


def test_a_cluster_form_with_errors_keeps_what_was_typed_and_ties_errors_to_fields(world, client_for):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("clusters:create"),
        _cluster_data(name="Pelos Finos de Camélidos", departments=[], other_regions="9999", slug="new"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Corrija los errores indicados abajo." in content
    assert "Códigos de ubigeo desconocidos: 9999." in content
    assert "Productores de cacao fino de aroma." in content
    assert 'value="Pelos Finos de Camélidos"' in content
    assert Cluster.objects.count() == 2


def test_a_coordinator_edits_a_cluster_and_a_stale_form_is_refused_with_the_input_kept(world, client_for):
    cluster = world.cluster_a
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:edit", kwargs={"slug": cluster.slug})
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    data = _cluster_data(name=cluster.name, slug=cluster.slug, status="evaluated", version=1)
    assert client.post(url, data).status_code == 302
    cluster.refresh_from_db()
    assert (cluster.status, cluster.version) == ("evaluated", 2)
    # Someone else saved in between: the second save from version 1 is refused, not silently applied.
    stale = client.post(url, {**data, "description": "Mi versión", "version": 1})
    content = stale.content.decode()
    assert stale.status_code == 200
    assert "Otra persona modificó este registro" in content
    assert "Mi versión" in content
    assert 'name="version" value="2"' in content
    cluster.refresh_from_db()
    assert cluster.description == "Productores de cacao fino de aroma."


def test_managers_and_researchers_cannot_register_or_edit_clusters(world, client_for):
    for persona in ("manager", "researcher_a"):
        client = client_for(world.users[persona])
        assert client.post(reverse("clusters:create"), _cluster_data()).status_code == 403
        edit = reverse("clusters:edit", kwargs={"slug": world.cluster_a.slug})
        assert client.post(edit, _cluster_data(version=1)).status_code == 403
    assert not Cluster.objects.filter(name="Cacao Amazónico").exists()


def test_a_coordinator_adds_corrects_and_deletes_headline_figures(world, client_for):
    client = client_for(world.users["coordinator"])
    url = reverse("clusters:figures", kwargs={"slug": world.cluster_a.slug})
    response = client.post(url, {"metric": "employment", "value": "12500", "year": "2024", "source": "INEI"})
    assert response.status_code == 302
    figure = HeadlineFigure.objects.get(cluster=world.cluster_a, metric="employment")
    # The same figure and year twice is refused on the year field.
    again = client.post(url, {"metric": "employment", "value": "1", "year": "2024", "source": "x"})
    assert "ya tiene una cifra «Empleo (puestos de trabajo)» para 2024" in again.content.decode()
    edit = reverse("clusters:figure_edit", kwargs={"slug": world.cluster_a.slug, "pk": figure.pk})
    client.post(edit, {"metric": "employment", "value": "13000", "year": "2024", "source": "INEI 2025"})
    figure.refresh_from_db()
    assert (figure.value, figure.source) == (13000, "INEI 2025")
    gdp = client.post(url, {"metric": "regional_gdp_share", "value": "120", "year": "2024", "source": "INEI"})
    assert "La participación en el PBI regional no puede ser mayor que 100 %." in gdp.content.decode()
    client.post(reverse("clusters:figure_delete", kwargs={"slug": world.cluster_a.slug, "pk": figure.pk}))
    assert not HeadlineFigure.objects.filter(pk=figure.pk).exists()


def test_putting_a_researcher_on_the_team_lets_them_see_the_cluster_and_taking_them_off_hides_it(world, client_for):
    researcher_b = world.users["researcher_b"]
    coordinator = client_for(world.users["coordinator"])
    team_url = reverse("clusters:team", kwargs={"slug": world.cluster_a.slug})
    assert coordinator.post(team_url, {"user": researcher_b.pk}).status_code == 302
    assert client_for(researcher_b).get(world.cluster_a.get_absolute_url()).status_code == 200
    coordinator = client_for(world.users["coordinator"])
    remove = reverse("clusters:team_remove", kwargs={"slug": world.cluster_a.slug, "user_id": researcher_b.pk})
    assert "¿Retirar a" in coordinator.get(remove).content.decode()
    coordinator.post(remove)
    assert client_for(researcher_b).get(world.cluster_a.get_absolute_url()).status_code == 404


def test_the_profile_and_list_read_in_english_on_request(world, client_for):
    client = client_for(world.users["manager"])
    client.post(reverse("set_language"), {"language": "en"})
    content = client.get(world.cluster_a.get_absolute_url()).content.decode()
    assert "Headline figures" in content and "Latest evaluation" in content


def test_a_cluster_whose_coordinator_changed_role_can_still_be_saved(world, client_for):
    from django.contrib.auth.models import Group

    former = f.UserFactory(username="excoordinadora", role="coordinator")
    Cluster.objects.filter(pk=world.cluster_a.pk).update(coordinator=former)
    former.groups.set([Group.objects.get(name="manager")])
    client = client_for(world.users["coordinator"])
    data = _cluster_data(name=world.cluster_a.name, slug=world.cluster_a.slug, coordinator=former.pk, version=1)
    assert client.post(reverse("clusters:edit", kwargs={"slug": world.cluster_a.slug}), data).status_code == 302
