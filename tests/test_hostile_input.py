"""Every form of the project, fed hostile input, answers with a page or a message: never a 500, never a loss.

The forms are found, not listed: each GET page of tests/access_table.py is opened by a persona
allowed to use it, its POST forms are read from the HTML, and each form is submitted with every
entry of the corpus in every text field (selects and checkboxes keep a valid first value so that
the hostile text reaches validation). Afterwards the records of the test world must all still be
there: a rejected submission loses nothing that was saved before.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.urls import include, path, reverse

from tests.access_table import ROUTES
from tests.html_forms import PostForms

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = [
    "A" * 100_000,  # huge
    "\x00\x01\x02\x1b[31m",  # control characters, NUL first (refused as a whole: test_a_nul_character_...)
    "\x01\x02\x1b[31m\x7f",  # control characters without NUL, so that they reach the forms' validation
    "'; DROP TABLE clusters_cluster; --",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example","clic")',
    "+51 999 888 777",
    "١٢٣٤",  # Arabic-Indic digits
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "2025-02-30",
    "../../../../etc/passwd",
    "🦙 ñandú Ñuñoa \u202eRTL",
    "   ",
    "%s%n{{7*7}}${7*7}",
]
# A multipart body whose field is not valid UTF-8 (a wrongly encoded client).
BAD_ENCODING = "\udcff\udcfe"

PERSONA_ORDER = ["coordinator", "admin", "researcher_a", "manager", "researcher_b"]


def _pages_with_forms():
    seen = set()
    for route in ROUTES:
        # Device endpoints (OpenRosa) answer XML to devices, not forms to people; their input has its own tests.
        if route.method != "GET" or route.public or route.device or route.name in seen:
            continue
        seen.add(route.name)
        yield route


def _persona_for(route):
    return next((p for p in PERSONA_ORDER if p in route.allowed), None)


def _record_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"clusters", "surveys", "instruments", "reports", "mapping"}
        and not model._meta.label.split(".")[1].startswith("Historical")
    }


def _hostile_values(fields, text):
    data = {}
    for name, (kind, default) in fields.items():
        if name in ("csrfmiddlewaretoken",):
            continue
        if kind in ("hidden", "choice"):
            data[name] = default
        elif kind == "file":
            continue  # uploads have their own corpus in each app's tests
        else:
            data[name] = text
    return data


def open_page(client, url):
    """The page at url, or None when it is not an HTML page (an export, a file); a server error fails the test:
    a page that breaks before it is attacked is a finding, not something to skip."""
    page = client.get(url)
    if page.status_code >= 500:
        pytest.fail(f"{url} answered {page.status_code} before any hostile input")
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return None
    return page


def _broken_page(request):
    return HttpResponseServerError("<html><body>broken</body></html>")


urlpatterns = [path("broken/", login_not_required(_broken_page)), path("", include("config.urls"))]


@pytest.mark.urls(__name__)
def test_a_page_that_answers_500_fails_the_walk_instead_of_being_skipped(client):
    with pytest.raises(pytest.fail.Exception, match="answered 500"):
        open_page(client, "/broken/")


@pytest.mark.parametrize("route", list(_pages_with_forms()), ids=lambda route: route.id)
def test_every_form_survives_hostile_input(route, client_for, world):
    persona = _persona_for(route)
    if persona is None:
        pytest.skip("no signed-in persona may open this page")
    client = client_for(world.users[persona])
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    page = open_page(client, url)
    if page is None:
        pytest.skip("not an HTML page")
    parser = PostForms()
    parser.feed(page.content.decode())
    skipped_paths = {reverse("logout"), reverse("set_language")}
    forms = [
        form
        for form in parser.forms
        if urlsplit(urljoin(url, form["action"])).path not in skipped_paths
        # Deleting is what a delete button is for; it has its own tests.
        and not any(word in form["action"] for word in ("delete", "remove"))
    ]
    if not forms:
        pytest.skip("no POST form on this page")
    before = _record_counts()
    failures = []
    for form in forms:
        target = urljoin(url, form["action"]) if form["action"] else url
        for text in [*HOSTILE_TEXT, BAD_ENCODING]:
            data = _hostile_values(form["fields"], text)
            try:
                response = client.post(target, data)
            except UnicodeEncodeError:
                # The test client itself cannot encode lone surrogates; send raw bytes instead.
                response = client.generic(
                    "POST",
                    target,
                    data=b"field=\xff\xfe&" + b"&".join(f"{k}=x".encode() for k in data),
                    content_type="application/x-www-form-urlencoded",
                )
            if response.status_code >= 500:
                failures.append(f"{target} with {text[:30]!r}: {response.status_code}")
    assert not failures, failures
    after = _record_counts()
    if "delete" not in route.name and "remove" not in route.name:
        lost = {label: (before[label], after[label]) for label in before if after[label] < before[label]}
        assert not lost, f"records lost after hostile submissions: {lost}"


def test_what_devices_send_is_shown_escaped(client_for, world):
    """Device names, and the XML and reasons of device submissions, are text from outside: never markup."""
    from openrosa.models import Submission
    from openrosa.services import device_token_create

    script = "<script>alert('x')</script>"
    device_token_create(user=world.users["researcher_a"], name=script)
    submission = Submission.objects.create(
        instance_id=script,
        xml=f"<data>{script}</data>".encode(),
        xml_sha256="1",
        user=world.users["researcher_a"],
        state="observations",
        reason=script,
    )
    pages = [
        client_for(world.users["researcher_a"]).get(reverse("openrosa:devices")),
        client_for(world.users["coordinator"]).get(reverse("openrosa:devices")),
        client_for(world.users["coordinator"]).get(reverse("openrosa:observations")),
        client_for(world.users["coordinator"]).get(reverse("openrosa:submission_detail", kwargs={"pk": submission.pk})),
    ]
    for page in pages:
        assert page.status_code == 200
        assert script not in page.content.decode()
        assert "&lt;script&gt;" in page.content.decode()


# --- NUL: PostgreSQL cannot store or compare text that holds it, so every request with one is refused ---

NUL_MESSAGE = "contiene un carácter NUL"


@pytest.mark.parametrize(
    "url",
    [
        "/surveys/interviews/new/?version=1&cluster=%00",
        "/reports/?cluster=%00",
        "/actors/?q=a%00b",
        "/?next=%00",
        "/actors/?%00=1",
    ],
)
def test_a_nul_character_in_a_query_parameter_is_refused_with_a_clear_400(url, client_for, world):
    page = client_for(world.users["coordinator"]).get(url)
    assert page.status_code == 400
    assert NUL_MESSAGE in page.content.decode()


def test_every_get_page_refuses_a_nul_character_instead_of_failing(client_for, world):
    failures = []
    for route in _pages_with_forms():
        persona = _persona_for(route)
        if persona is None:
            continue
        url = reverse(route.name, kwargs=route.kwargs(world))
        query = route.query + ("&" if route.query else "?") + "q=%00&cluster=%00&version=%00"
        page = client_for(world.users[persona]).get(url + query)
        if page.status_code != 400:
            failures.append(f"{url}{query}: {page.status_code}")
    assert not failures, failures


def test_a_nul_character_in_a_form_field_is_refused_and_nothing_is_saved(client_for, world):
    from clusters.models import Actor

    client = client_for(world.users["coordinator"])
    before = Actor.objects.count()
    page = client.post(reverse("clusters:actor_create"), {"name": "Cooperativa\x00 Sur", "ruc": "20100070970"})
    assert page.status_code == 400
    assert NUL_MESSAGE in page.content.decode()
    page = client.post(reverse("clusters:actor_create"), {"name\x00": "Cooperativa Sur"})
    assert page.status_code == 400
    assert Actor.objects.count() == before


def test_a_nul_character_in_an_api_json_body_is_refused_as_a_problem(client_for, world):
    client = client_for(world.users["coordinator"])
    page = client.post("/api/", data='{"name": "a\\u0000b"}', content_type="application/json")
    assert page.status_code == 400
    assert page["Content-Type"] == "application/problem+json"  # as every error of the API
    assert NUL_MESSAGE in page.json()["detail"] and page.json()["status"] == 400


def test_english_readers_are_told_about_the_nul_character_in_english(client_for, world):
    client = client_for(world.users["coordinator"])
    client.cookies["casebook_language"] = "en"
    page = client.get("/reports/?cluster=%00")
    assert page.status_code == 400
    assert "NUL character" in page.content.decode()
