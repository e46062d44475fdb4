"""The map of Peru: the departments' outlines put every place in its department, and the pages draw it
with a focusable, named mark per cluster and the data as a table."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusters.models import Cluster, Region
from clusters.peru_map import GEOMETRY, department_at, outlines, shade_of

pytestmark = pytest.mark.django_db


def test_the_map_has_the_25_departments_of_the_ubigeo_tree_in_a_small_file():
    shapes, projection = outlines()
    departments = dict(Region.objects.filter(level="department").values_list("code", "name"))
    assert {shape.code: shape.name for shape in shapes} == departments
    assert GEOMETRY.stat().st_size < 60_000
    assert (GEOMETRY.parent / "README.md").read_text().count("public domain") >= 1
    assert projection.width == 400 and 500 < projection.height < 650  # Peru is taller than wide


def test_every_department_capital_falls_in_its_own_department():
    capitals = Region.objects.filter(level="department", latitude__isnull=False)
    assert capitals.count() == 25
    for region in capitals:
        assert department_at(float(region.latitude), float(region.longitude)) == region.code, region.name


def test_places_outside_peru_are_in_no_department():
    assert department_at(-16.5, -68.15) is None  # La Paz, Bolivia
    assert department_at(-12.0, -79.5) is None  # the Pacific off Lima


def test_each_demo_cluster_is_marked_inside_one_of_its_departments(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    clusters = Cluster.objects.prefetch_related("regions")
    assert clusters.count() >= 8
    for cluster in clusters:
        assert cluster.latitude is not None, cluster.name
        codes = {region.code[:2] for region in cluster.regions.all()}
        assert department_at(float(cluster.latitude), float(cluster.longitude)) in codes, cluster.name


def test_shades_grow_with_the_value():
    assert [shade_of(v, 8) for v in (0, 1, 2, 3, 5, 8)] == [0, 1, 1, 2, 3, 4]
    assert shade_of(3, 0) == 0


def test_the_cluster_list_draws_its_clusters_on_the_map(client_for, world):
    Cluster.objects.filter(pk=world.cluster_a.pk).update(latitude=-15.84, longitude=-70.02)
    page = client_for(world.users["coordinator"]).get(reverse("clusters:list")).content.decode()
    assert 'data-testid="peru-map"' in page
    assert len(re.findall(r'<a href="[^"]+" class="map-area"', page)) == 25
    marks = re.findall(r'<a href="([^"]+)" class="map-mark"[^>]*aria-label="([^"]+)"', page)
    assert marks == [(world.cluster_a.get_absolute_url(), "Pelos Finos de Camélidos (clúster, Puno)")]
    puno = re.search(r'<a href="([^"]+)" class="map-area" data-code="21" aria-label="([^"]+)"', page)
    assert puno.groups() == ("/clusters/?region=21", "Puno: 1 clúster")
    assert "Sin ubicación en el mapa: Café del Perú" in page  # cluster B has no point yet
    assert "Datos del mapa en una tabla" in page


def test_a_department_on_the_map_leads_to_its_clusters(client_for, world):
    response = client_for(world.users["coordinator"]).get("/clusters/?region=21")
    assert [c.pk for c in response.context["page"].object_list] == [world.cluster_a.pk]


def test_a_researcher_sees_only_her_clusters_on_the_map(client_for, world):
    response = client_for(world.users["researcher_b"]).get(reverse("clusters:list"))
    areas = {area.code: area.value for area in response.context["map"].areas}
    assert areas["12"] == 1 and areas["21"] == 0
