"""A researcher makes an API token in Chromium, reads the API reference (Swagger UI and Redoc, served
from the install under the site's CSP), and her token lists only her team's interviews."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT = (Path(__file__).with_name("a11y_audit.js")).read_text()


# Redoc's footer shows Redocly's logo from their site: the site's policy refuses it (nothing leaves).
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _csp_watch(page, live_server):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text and REDOC_LOGO not in message.text
            else None
        ),
    )
    page.on("requestfailed", lambda request: refused.append(request.url) if request.url != REDOC_LOGO else None)
    page.on(
        "requestfinished",
        lambda request: (
            refused.append(f"asked another site: {request.url}")
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    return refused


def test_a_researcher_makes_a_token_and_reads_the_reference(signed_in_page, live_server, world):
    page = signed_in_page(world.users["researcher_a"])
    refused = _csp_watch(page, live_server)
    page.set_viewport_size({"width": 375, "height": 740})
    page.get_by_role("button", name="Mostrar u ocultar el menú").click()
    page.get_by_role("link", name="Tokens de la API").click()
    # On a loaded machine (two suites on two cores) the live server can take more than expect's 5 s.
    page.wait_for_url(f"{live_server.url}/accounts/tokens/", timeout=30000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tokens de la API")
    page.get_by_label("Nombre").fill("Stata en el ministerio")
    page.get_by_label("Solo lectura").check()
    page.get_by_role("button", name="Crear el token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert re.fullmatch(r"cbk_[0-9a-f]{12}_[\w-]{40,}", token)
    audit = page.evaluate(AUDIT)
    assert not audit["problems"], audit["problems"]

    listing = page.request.get(
        f"{live_server.url}/api/v1/interviews/", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert {row["cluster"] for row in listing["results"]} == {"camelidos"}

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/docs/")
    # The schema is generated on request: allow for a slow machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cluster Casebook API", timeout=30000)
    assert not refused, refused
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/interviews/").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cluster Casebook API")
    expect(page.get_by_role("link", name="Volver al sitio")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_role("heading", name=re.compile("Cluster Casebook API"))).to_be_visible(timeout=20000)
    assert not refused, refused
