"""A coordinator registers a cluster, adds two actors and a tie in the browser, and sees the tie drawn."""

import re

import pytest
from playwright.sync_api import expect

from clusters.models import Actor, Cluster, Relationship
from tests.factories import make_ruc

pytestmark = pytest.mark.django_db(transaction=True)


def field(label):
    """A form field by its label, with or without the required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")


def test_a_coordinator_builds_a_small_network_and_sees_the_tie_on_the_network_page(signed_in_page, world, live_server):
    page = signed_in_page(world.users["coordinator"])

    # Register the cluster.
    page.get_by_role("link", name="Clústeres", exact=True).first.click()
    page.get_by_role("link", name="Registrar un clúster").click()
    page.get_by_label(field("Nombre")).fill("Quinua de Puno")
    page.get_by_label(field("Sector principal (CIIU Rev.4)")).select_option(
        label="01 · Agricultura, ganadería, caza y actividades de servicios conexas"
    )
    page.get_by_role("checkbox", name="Puno (21)", exact=True).check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quinua de Puno")
    assert Cluster.objects.filter(slug="quinua-de-puno").exists()

    # Two actors, from the cluster's actors tab; the region picker fills provinces as the department is chosen.
    actors = [
        ("Cooperativa Quinuera Cabana", "Empresa", make_ruc(8101)),
        ("Universidad del Altiplano Quinuero", "Universidad", ""),
    ]
    for name, kind, ruc in actors:
        page.get_by_role("link", name="Actores", exact=True).last.click()
        page.get_by_role("link", name="Añadir un actor nuevo").click()
        page.get_by_label(field("Nombre")).fill(name)
        page.get_by_label(field("Tipo")).select_option(label=kind)
        page.get_by_label(field("RUC")).fill(ruc)
        page.get_by_label(field("Departamento")).select_option(label="Puno")
        page.get_by_label(field("Provincia")).select_option(label="San Román")
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(name)
    assert Actor.objects.get(name="Cooperativa Quinuera Cabana").region.name == "San Román"

    # The tie, on the network page.
    page.get_by_role("link", name="Red", exact=True).click()
    page.get_by_label(field("Desde")).select_option(label="Universidad del Altiplano Quinuero")
    page.get_by_label(field("Tipo de vínculo")).select_option(label="capacita a")
    page.get_by_label(field("Hacia")).select_option(label="Cooperativa Quinuera Cabana")
    page.get_by_role("button", name="Registrar el vínculo").click()
    expect(page).to_have_url(re.compile(r"/clusters/quinua-de-puno/network/$"))
    ties = page.get_by_test_id("ties")
    expect(ties).to_contain_text("Universidad del Altiplano Quinuero")
    expect(ties).to_contain_text("capacita a")
    tie_line = page.locator("[data-testid=network-svg] line title")
    expect(tie_line).to_have_text("Universidad del Altiplano Quinuero → Cooperativa Quinuera Cabana: capacita a")
    expect(page.get_by_test_id("components")).to_have_text("1")
    assert Relationship.objects.filter(cluster__slug="quinua-de-puno", kind="trains").count() == 1


def test_the_network_page_fits_a_phone(signed_in_page, world, page, live_server):
    page.set_viewport_size({"width": 375, "height": 740})
    signed_in_page(world.users["researcher_a"])
    page.goto(f"{live_server.url}/clusters/camelidos/network/")
    expect(page.get_by_test_id("network-svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
