"""Each persona's first screen on a phone (375 x 740) holds the role's main action, and the dashboard's map
shows every demo cluster inside its own department, reachable by keyboard."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clusters.models import Cluster

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


def _first_screen(page, locator):
    """The element is visible and its top edge is within the first screen, without scrolling."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] + min(box["height"], 40) <= PHONE["height"], f"below the first screen: {box}"
    assert page.evaluate("window.scrollY") == 0


def test_a_researchers_first_screen_starts_an_interview(signed_in_page, world, page):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["researcher_a"])
    _first_screen(page, page.get_by_role("link", name="Iniciar una entrevista"))
    _first_screen(page, page.get_by_role("button", name="English"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coordinators_first_screen_is_the_review_queue(signed_in_page, world, page):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])
    _first_screen(page, page.get_by_role("heading", name="Entrevistas por revisar"))
    _first_screen(page, page.get_by_test_id("home-interviews").get_by_role("link").first)


def test_a_managers_first_screen_is_the_dashboard(signed_in_page, world, page):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["manager"])
    _first_screen(page, page.get_by_role("heading", name="Panel del programa"))
    _first_screen(page, page.get_by_test_id("headline-figures"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Programme dashboard")).to_be_visible()


DEPARTMENT_UNDER_MARK = """(mark) => {
    const circle = mark.querySelector('circle').getBoundingClientRect();
    const x = circle.left + circle.width / 2, y = circle.top + circle.height / 2;
    const area = document.elementsFromPoint(x, y).map((el) => el.closest('a.map-area')).find(Boolean);
    return area ? area.dataset.code : null;
}"""


def test_the_dashboard_map_shows_each_demo_cluster_in_its_department(page, live_server, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    departments = {
        cluster.name: {region.code[:2] for region in cluster.regions.all()}
        for cluster in Cluster.objects.prefetch_related("regions")
    }
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("gerente")
    page.get_by_label("Contraseña").fill("casebook-demo")
    page.get_by_role("button", name="Ingresar").click()
    marks = page.get_by_test_id("map-mark")
    expect(marks).to_have_count(len(departments))
    for index in range(marks.count()):
        mark = marks.nth(index)
        mark.scroll_into_view_if_needed()
        name = mark.locator("title").text_content()
        assert mark.evaluate(DEPARTMENT_UNDER_MARK) in departments[name], name
    # Keyboard: a department is a link with its name and figure; Enter opens its clusters.
    puno = page.locator('a.map-area[data-code="21"]')
    puno.focus()
    expect(puno).to_be_focused()
    assert puno.get_attribute("aria-label").startswith("Puno: ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/clusters/?region=21*")
    expect(page.get_by_role("link", name="Pelos Finos de Camélidos")).to_be_visible()


def test_the_manager_reaches_the_map_by_keyboard(signed_in_page, world, page):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["manager"])
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('map-area')"):
            break
    else:
        pytest.fail("no department of the map could be reached with Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')")
