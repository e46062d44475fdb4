"""axe-core, the accessibility engine most audits use, over every persona's main pages, on a phone and a laptop.

axe-core comes from the npm registry (package.json, installed by `make install`); without it these tests say
plainly that they were skipped, as the browser tests do without Chromium. Each persona opens the main pages it
may see, at 375 px and at 1280 px: no serious or critical violation is allowed. Folded filters and the phone's
menu are opened first, so that what they hold is checked too. tests/e2e/a11y_audit.js stays: it checks what axe
does not (sideways scrolling on a phone, exactly one <h1>, every field named by its own label).
"""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.access_table import ROUTES
from tests.conftest import AXE_CORE, HAVE_AXE_CORE
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.axe]

WIDTHS = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1280, "height": 800}}
SEVERE = {"serious", "critical"}

# The pages people spend their time on: lists, profiles, the interview and instrument pages, reports, forms.
MAIN_PAGES = [
    "home",
    "clusters:list",
    "clusters:detail",
    "clusters:actors",
    "clusters:network",
    "clusters:evaluations",
    "clusters:evaluation_detail",
    "clusters:actor_list",
    "clusters:actor_detail",
    "clusters:actor_create",
    "surveys:interview_list",
    "surveys:interview_detail",
    "surveys:interview_start",
    "surveys:questionnaire_list",
    "surveys:version_detail",
    "surveys:cluster_findings",
    "surveys:review_queue",
    "instruments:portfolio",
    "instruments:catalogue",
    "instruments:cluster",
    "instruments:intervention_detail",
    "instruments:indicator_detail",
    "instruments:measurement_detail",
    "instruments:review_queue",
    "reports:list",
    "reports:detail",
    "reports:request",
]

RUN_AXE = """async () => {
    document.querySelectorAll("details:not([open])").forEach((details) => (details.open = true));
    document.querySelectorAll(".navbar-collapse.collapse").forEach((menu) => menu.classList.add("show"));
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}"""


def _main_pages(world, persona):
    """(label, url) of the main pages this persona may open: the table's first GET route of each name."""
    seen, pages = set(), []
    for route in ROUTES:
        if route.method != "GET" or route.name not in MAIN_PAGES or persona not in route.allowed:
            continue
        if route.name in seen:
            continue
        seen.add(route.name)
        url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
        if route.data:
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in route.data(world).items())
        pages.append((route.name, url))
    return pages


def _sign_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    if user is None:
        return
    page.get_by_label("Nombre de usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()


def _violations(page):
    # evaluate() runs in the page without a <script> tag, so the pages' Content-Security-Policy stays as it is.
    page.evaluate(AXE_SOURCE)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SEVERE]


AXE_SOURCE = Path(AXE_CORE).read_text() if HAVE_AXE_CORE else ""


@pytest.mark.parametrize("persona", ["anonymous", "researcher_a", "coordinator", "manager", "admin"])
def test_axe_finds_no_serious_problem_on_a_personas_main_pages(page, live_server, world, persona):
    user = world.users[persona]
    pages = _main_pages(world, persona) if user is not None else [("login", reverse("login"))]
    assert pages
    _sign_in(page, live_server.url, user)
    found = {}
    for width_name, size in WIDTHS.items():
        page.set_viewport_size(size)
        for name, url in pages:
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            for violation in _violations(page):
                found.setdefault(f"{name} at {width_name} ({url})", []).append(
                    f"{violation['impact']} {violation['id']}: {violation['help']} — {violation['nodes']}"
                )
    report = "\n".join(f"{where}\n    " + "\n    ".join(problems) for where, problems in found.items())
    assert not found, f"axe-core found serious problems as {persona}:\n{report}"


BROKEN = """<!doctype html><html lang="es"><head><title>Roto</title></head><body><main><h1>Roto</h1>
<div style="width:200px;overflow-x:auto"><table><tr><td style="white-space:nowrap">una celda muy ancha que no cabe
en la caja y la hace desplazarse</td></tr></table></div>
<dl><div><div><dt>Total</dt><dd>3</dd></div></div></dl>
<input type="text"></main></body></html>"""


def test_axe_finds_the_problems_the_site_had(page):
    """The engine is wired in: on a page with the problems the site had (a table box that scrolls but takes no
    focus, a definition list wrapped twice, a field without a label), axe names each one."""
    page.set_content(BROKEN)
    page.evaluate(AXE_SOURCE)
    found = {v["id"] for v in page.evaluate(RUN_AXE)}
    assert {"scrollable-region-focusable", "definition-list", "label"} <= found, found
