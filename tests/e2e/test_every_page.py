"""Every page of the site, on a phone, checked for the team's accessibility rule (WCAG 2.1 AA).

The walk opens each GET page of tests/access_table.py as one persona allowed to see it (a coordinator
when possible), in a 375 x 740 window, and runs tests/e2e/a11y_audit.js in it: no sideways scrolling,
one <h1>, a language and a title, named fields, images, links and buttons, and text contrast. Problems
are collected for all pages and reported together. Two more tests cover what a walk cannot: errors
tied to their fields after a failed submit, and the keyboard through the menu and a form.
docs/accessibility.md says what this covers and what it does not.
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f
from tests.access_table import ROUTES
from tests.factories import PASSWORD
from tests.surveys.conftest import build_questionnaire
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
# Swagger UI and Redoc draw the API reference themselves (drf-spectacular-sidecar): not our markup to audit.
# The accessible reference is docs/api.md; tests/e2e/test_api_tokens_and_docs.py checks their language,
# heading and that they load nothing from elsewhere.
THIRD_PARTY_PAGES = {"api:docs", "api:redoc"}
AUDIT = (Path(__file__).with_name("a11y_audit.js")).read_text()


@dataclass(frozen=True)
class Visit:
    label: str
    persona: str
    path: str
    status: int = 200
    post: dict | None = None  # submit these fields to the path from the page before (an invalid form)
    click: str | None = None  # then press this button (e.g. submit an incomplete interview)


def _persona_for(route):
    """A coordinator if allowed, else the first allowed persona; anonymous for public pages such as login."""
    if route.public:
        return "anonymous"
    if "coordinator" in route.allowed:
        return "coordinator"
    return next(persona for persona in PERSONAS if persona in route.allowed)


def _url_of(route, world):
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    if route.method == "GET" and route.data:  # a GET route's data is its query string
        url += ("&" if "?" in url else "?") + urlencode(route.data(world), doseq=True)
    return url


def _visits(world, extra):
    """Every GET page of the table; the table's invalid forms as the user sees them; a few pages the table cannot
    show (error pages, an interview of every question type refused for missing answers, very long words)."""
    visits = [
        Visit(route.id, _persona_for(route), _url_of(route, world))
        for route in ROUTES
        if route.method == "GET"
        and (route.allowed or route.public)
        and route.name not in THIRD_PARTY_PAGES
        and not route.device  # OpenRosa answers devices in XML: tests/openrosa and tests/e2e/test_odk_engine.py
    ]
    visits += [
        Visit(route.id, _persona_for(route), _url_of(route, world), post=route.data(world) if route.data else {})
        for route in ROUTES
        # The table's refused forms (a new device's page, shown once after its POST, is a success, not one).
        if route.method == "POST" and route.ok_status == 200 and route.name != "openrosa:device_create"
    ]
    questionnaire = f"{reverse('surveys:interview_start')}?version={extra['version'].pk}&cluster={world.cluster_a.slug}"
    visits += [
        Visit("404 page", "coordinator", "/clusters/no-such-cluster/", status=404),
        Visit("the manager's home: the dashboard", "manager", reverse("home")),
        Visit("a researcher's home", "researcher_a", reverse("home")),
        Visit("403 page", "researcher_a", reverse("clusters:create"), status=403),
        Visit("actor with a very long name and web address", "coordinator", extra["long_actor"].get_absolute_url()),
        Visit("interview form of every question type", "researcher_a", questionnaire),
        Visit("interview refused for missing answers", "researcher_a", questionnaire, click="Enviar a revisión"),
    ]
    order = {persona: index for index, persona in enumerate(("anonymous", "coordinator", *PERSONAS))}
    return sorted(visits, key=lambda visit: order[visit.persona])  # stable: table order within each persona


def _sign_in(page, base_url, user):
    page.context.clear_cookies()
    if user is None:
        return
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()


SUBMIT = """([action, fields]) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    const add = (name, value) => {
        const input = Object.assign(document.createElement('input'), {type: 'hidden', name, value: String(value)});
        form.append(input);
    };
    add('csrfmiddlewaretoken', document.querySelector('input[name=csrfmiddlewaretoken]').value);
    for (const [name, value] of Object.entries(fields)) [].concat(value).forEach((one) => add(name, one));
    document.body.append(form);
    form.submit();
}"""


def _open(page, url, visit):
    """Open the visit's page as a user would; return a problem, or None."""
    if visit.post is None:
        # Exports, JSON and files are not pages: ask first, open only HTML in the browser.
        probe = page.request.get(url, max_redirects=0)
        if probe.status != visit.status:
            return f"status {probe.status}, expected {visit.status}"
        if not probe.headers.get("content-type", "").startswith("text/html"):
            return "not html"
        page.goto(url)
    else:
        page.goto(url)
        with page.expect_navigation():
            page.evaluate(SUBMIT, [url, visit.post])
    if visit.click:
        with page.expect_navigation():
            page.get_by_role("button", name=visit.click).click()
    page.wait_for_load_state("load")
    if (visit.post is not None or visit.click) and not page.locator("#form-errors").count():
        return "meant to show a refused form, but there is no error summary"
    return None


@pytest.fixture
def extra(world):
    """What the table's world lacks: every question type, and words too long for a phone's line."""
    long_actor = f.ActorFactory(
        name="Asociación" + "Interdisciplinaria" * 4 + " de Productores",
        website="https://www.asociacion-interdisciplinaria-de-productores-altoandinos.org.pe/" + "x" * 60,
        address="Jr." + "Huancavelica" * 6,
    )
    f.MembershipFactory(cluster=world.cluster_a, actor=long_actor)
    return {"version": build_questionnaire(world.users["coordinator"]), "long_actor": long_actor}


def test_every_page_is_usable_on_a_phone_with_any_ability(page, live_server, world, extra):
    page.set_viewport_size(PHONE)
    visits = _visits(world, extra)  # every URL is built before the walk: the test thread stays off the database
    problems, not_html, audited = {}, [], 0
    skipped = {"textOverImage": 0, "svgText": 0}
    started, persona = time.monotonic(), object()
    for visit in visits:
        if visit.persona != persona:
            persona = visit.persona
            _sign_in(page, live_server.url, world.users[persona])
        where = f"{visit.label} ({persona}) {visit.path}"
        problem = _open(page, live_server.url + visit.path, visit)
        if problem == "not html":
            not_html.append(visit.label)
            continue
        if problem:
            problems[where] = [problem]
            continue
        result = page.evaluate(AUDIT)
        audited += 1
        for kind in skipped:
            skipped[kind] += result["skipped"][kind]
        if result["problems"]:
            problems[where] = result["problems"]
    elapsed = time.monotonic() - started
    print(
        f"\nAccessibility walk: {audited} pages audited in {elapsed:.0f} s; not HTML (exports, JSON, files): "
        f"{len(not_html)}; text over a picture, not checked: {skipped['textOverImage']}; "
        f"SVG text, not checked for contrast: {skipped['svgText']}"
    )
    report = "\n".join(
        f"{where}\n" + "\n".join(f"    - {problem}" for problem in found) for where, found in problems.items()
    )
    assert not problems, f"{len(problems)} of {audited} pages have accessibility problems:\n{report}"


BROKEN_PAGE = """<!doctype html><html><head></head><body style="margin:0">
<h1>One</h1><h1>Two</h1>
<input type="text" name="nameless">
<label for="gone">A label for nothing</label><input id="x" aria-describedby="nowhere"><a href="#astray">Astray</a>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<a href="/somewhere"></a><button type="button"><span class="icon"></span></button>
<p style="color:#999">Grey on white</p>
<div style="background:#1f4e5f"><span style="color:rgba(255,255,255,.55)">Pale on teal</span></div>
<p style="color:#777;font-size:24px">Large grey text passes at 3:1</p>
<div style="width:600px">Too wide for a phone</div>
<span id="twice">a</span><span id="twice">b</span>
</body></html>"""


def test_the_audit_finds_each_kind_of_problem(page):
    """The walk is only as good as its checker: on a page with one of each problem, each is named."""
    page.set_viewport_size(PHONE)
    page.set_content(BROKEN_PAGE)
    problems = "\n".join(page.evaluate(AUDIT)["problems"])
    for expected in [
        "lang: <html> has no lang",
        "title: the page has no <title>",
        "h1: 2 visible <h1>",
        "field-name: input[name=nameless] has no label",
        "field-name: input#x has no label",
        'aria-ref: aria-describedby="nowhere"',
        'aria-ref: link a "Astray" points at #astray, which is missing',
        "img-alt: img has no alt",
        "control-name: a",
        "control-name: button",
        'contrast: 2.85 < 4.5 for p "Grey on white"',
        'contrast: 3.99 < 4.5 for span "Pale on teal"',
        "overflow: page is 600px wide in a 375px window; sticking out: div",
        'duplicate-id: id "twice"',
    ]:
        assert expected in problems, f"{expected!r} not in:\n{problems}"
    assert "Large grey text" not in problems


def test_a_failed_submit_ties_each_error_to_its_field_and_leads_the_keyboard_there(
    signed_in_page, world, page, live_server
):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])
    page.goto(live_server.url + reverse("clusters:actor_create"))
    page.get_by_role("button", name="Guardar").click()

    # The summary at the top has the focus: a screen reader reads it, the keyboard starts from it.
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")

    # Each required field says it is invalid and is described by its own message.
    for field_id in ("id_name", "id_kind"):
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby") or ""
        messages = [page.locator(f"[id='{ref}']").text_content() or "" for ref in described_by.split()]
        assert any("obligatorio" in message for message in messages), f"{field_id}: {described_by!r} → {messages}"

    # The summary names the field in a link; following it by keyboard puts the cursor in the field.
    link = summary.get_by_role("link", name=re.compile(r"^Nombre"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_focused()
    page.keyboard.type("Hilandería Puneña")
    expect(page.locator("#id_name")).to_have_value("Hilandería Puneña")

    # A group of radio buttons drawn by hand (an evaluation's risks): its message describes the group, and
    # the summary's link leads to the group's first button.
    page.goto(live_server.url + reverse("clusters:evaluation_create", kwargs={"slug": world.cluster_a.slug}))
    page.get_by_role("button", name="Guardar la evaluación").click()
    expect(page.locator("#form-errors")).to_be_focused()
    group = page.get_by_role("group", name=re.compile(r"Expectativas poco realistas"))
    expect(group).to_have_attribute("aria-describedby", "id_level_unrealistic_expectations_error")
    expect(page.locator("#id_level_unrealistic_expectations_error")).to_have_text("Califique este riesgo.")
    page.locator("#form-errors").get_by_role("link", name="Expectativas poco realistas").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_level_unrealistic_expectations_0")).to_be_focused()


def _focused(page):
    """The focused element's id, name and outline; fails unless the outline shows and the element is on screen."""
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                text: (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\\s+/g, ' ').trim(),
                outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, f"focus not visible on {focused}"
    expect(page.locator(":focus")).to_be_in_viewport()  # retries: the browser may still be scrolling to it
    return focused


def test_the_keyboard_reaches_the_menu_and_a_form_on_a_phone_with_visible_focus(signed_in_page, world, page):
    page.set_viewport_size(PHONE)
    signed_in_page(world.users["coordinator"])

    # The skip link comes first and shows itself when focused.
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["text"] == "Saltar al contenido principal", focused

    # The brand, the language button, then the menu button; Enter opens the menu.
    page.keyboard.press("Tab")
    _focused(page)
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "English"
    page.keyboard.press("Tab")
    toggler = page.get_by_role("button", name="Mostrar u ocultar el menú")
    expect(toggler).to_be_focused()
    _focused(page)
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_be_visible()

    # Tab walks every menu entry, each with a visible focus, down to "Sign out".
    seen = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = _focused(page)
        seen.append(focused["text"])
        if focused["text"] == "Cerrar sesión":
            break
    assert seen[0] == "Clústeres" and seen[-1] == "Cerrar sesión", seen
    assert "Cambiar contraseña" in seen

    # A form: Tab from the first field reaches every field and the save button, in order, all visible.
    page.get_by_role("link", name="Actores", exact=True).first.click()
    page.get_by_role("link", name="Añadir un actor").click()
    page.get_by_role("heading", level=1).wait_for()
    fields = page.evaluate(
        """() => Array.from(document.querySelectorAll('main form[method=post] :is(input, select, textarea, button)'))
            .filter(el => el.type !== 'hidden' && el.getClientRects().length && !el.disabled)
            .map(el => el.id || el.textContent.trim())"""
    )
    page.locator(f"#{fields[0]}").focus()
    reached = [page.evaluate("document.activeElement.id")]
    for _ in range(len(fields) * 2):
        page.keyboard.press("Tab")
        focused = _focused(page)
        reached.append(focused["id"] or focused["text"])
        if focused["text"] == "Guardar":
            break
    assert reached == fields[: len(reached)] and reached[-1] == "Guardar", (reached, fields)

    # The skip link moves the keyboard past the menu, into the page.
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Typing and Enter submit the form from the keyboard alone.
    page.locator("#id_name").focus()
    page.keyboard.type("Tejidos Kantu")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_focused()
