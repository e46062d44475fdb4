"""A browser signs in as each persona and sees its own home page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("persona", "role_label"),
    [
        ("researcher_a", "Investigador(a) de campo"),
        ("researcher_b", "Investigador(a) de campo"),
        ("coordinator", "Coordinador(a)"),
        ("manager", "Gerente"),
        ("admin", "Administrador(a)"),
    ],
)
def test_each_persona_signs_in_and_sees_its_home_page(signed_in_page, world, persona, role_label):
    page = signed_in_page(world.users[persona])
    expect(page.get_by_test_id("home-role")).to_contain_text(role_label)
    if persona == "manager":  # her home is the dashboard: its map names every cluster
        expect(page.get_by_test_id("peru-map")).to_contain_text("Pelos Finos de Camélidos")
        return
    clusters = page.get_by_test_id("home-clusters")
    if persona == "researcher_b":
        expect(clusters).to_contain_text("Café del Perú")
        expect(clusters).not_to_contain_text("Pelos Finos de Camélidos")
    else:
        expect(clusters).to_contain_text("Pelos Finos de Camélidos")


def test_sign_out_returns_to_the_login_page(signed_in_page, world, live_server):
    page = signed_in_page(world.users["manager"])
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_home_page_fits_a_phone_and_the_menu_opens_by_keyboard(signed_in_page, world, page):
    page.set_viewport_size({"width": 375, "height": 740})
    signed_in_page(world.users["researcher_a"])
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    toggler = page.get_by_role("button", name="Mostrar u ocultar el menú")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 1366])
@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_the_menu_fits_one_line_on_a_laptop_screen(signed_in_page, world, page, persona, width):
    page.set_viewport_size({"width": width, "height": 768})
    user = world.users[persona]
    user.first_name, user.last_name = "María Fernanda", "Quispe Mamani de la Cruz"
    user.save()
    signed_in_page(user)
    tops = page.evaluate(
        """() => Array.from(document.querySelectorAll('#main-nav .nav-link, #main-nav .navbar-text'))
            .filter(el => el.getClientRects().length).map(el => Math.round(el.getBoundingClientRect().top))"""
    )
    assert len(set(tops)) == 1, f"menu entries on several lines: {tops}"
    # ... and inside the screen: the administrator's bar ran past 1280 px, hiding her name and the language.
    rights = page.evaluate(
        """() => Array.from(document.querySelectorAll('nav.navbar a, nav.navbar button'))
            .filter(el => el.getClientRects().length && !el.closest('.dropdown-menu'))
            .map(el => Math.round(el.getBoundingClientRect().right))"""
    )
    assert max(rights) <= width, f"the bar runs past the screen: {rights} > {width}"
    assert page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height") <= 64
    # The person's account is one menu away: who they are, their password, signing out.
    menu = page.get_by_role("button", name=re.compile("María Fernanda"))
    menu.click()
    expect(page.get_by_role("link", name="Cambiar contraseña")).to_be_visible()
    if persona == "admin":
        expect(page.get_by_role("link", name="Administración")).to_be_visible()
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
