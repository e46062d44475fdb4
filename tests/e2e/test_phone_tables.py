"""On a phone (375 px), lists open on their rows, and a wide table keeps its key column in view and can be
scrolled sideways from the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}

IMPORT_WITH_A_BAD_ROW = (
    "name,kind,ruc,size,department,notes\n"
    "Hilandería Puneña S.A.C.,firm,,small,21,Una nota larga que ensancha la fila bastante más que la pantalla\n"
    "Cooperativa sin tipo,,,,,\n"
)


def _inside_the_screen(page, locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def test_the_import_preview_shows_why_a_row_is_rejected_without_scrolling(signed_in_page, world, page, live_server):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])
    page.goto(live_server.url + reverse("clusters:actor_import"))
    page.locator("input[type=file]").set_input_files(
        {"name": "actores.csv", "mimeType": "text/csv", "buffer": IMPORT_WITH_A_BAD_ROW.encode()}
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    rows = page.get_by_test_id("import-rows")
    expect(rows).to_be_visible()
    why = rows.get_by_role("columnheader", name="Motivo")
    assert _inside_the_screen(page, why), why.bounding_box()
    assert _inside_the_screen(page, rows.get_by_role("columnheader", name="Fila"))


@pytest.mark.parametrize(
    ("url_name", "content"),
    [
        ("clusters:list", "main table tbody tr"),
        ("clusters:actor_list", "main table tbody tr"),
        ("surveys:interview_list", "main table tbody tr"),
        ("instruments:portfolio", "[data-testid=portfolio-totals]"),
    ],
)
def test_a_list_page_shows_its_content_on_the_first_screen(signed_in_page, world, page, live_server, url_name, content):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])
    page.goto(live_server.url + reverse(url_name))
    first = page.locator(content).first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < PHONE["height"] / 2, f"the content starts at {first.bounding_box()}"
    # The folded filters open with one press.
    apply = page.locator("main details form button[type=submit]")
    expect(apply).to_be_hidden()
    page.locator("main details > summary").first.click()
    expect(apply).to_be_visible()


def test_a_table_wider_than_the_phone_scrolls_from_the_keyboard_and_says_what_it_is(
    signed_in_page, world, page, live_server
):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])
    page.goto(live_server.url + reverse("clusters:network", kwargs={"slug": world.cluster_a.slug}))
    boxes = page.locator(".table-responsive").all()
    wide = [box for box in boxes if box.evaluate("el => el.scrollWidth > el.clientWidth")]
    assert wide, "no table on the network page is wider than a phone: the test proves nothing"
    for box in wide:
        assert box.get_attribute("tabindex") == "0"
        assert box.get_attribute("role") == "region"
        name = box.evaluate(
            "el => (el.getAttribute('aria-labelledby') || '').split(' ').map(id => "
            "(document.getElementById(id) || {}).textContent || '').join(' ').trim() || el.getAttribute('aria-label')"
        )
        assert name, box.inner_html()[:200]
    box = wide[0]
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(box).to_have_js_property("scrollLeft", 80)
