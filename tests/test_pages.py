"""The foundation's pages: login, home per role, language switch, error pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_in_spanish_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="es">' in content
    assert "Ingresar" in content
    assert "Nombre de usuario" in content


def test_every_page_but_login_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_with_the_password_lands_on_the_home_page(client, world):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Coordinador(a)" in response.content.decode()


def test_a_wrong_password_is_refused_in_spanish_and_keeps_the_username(client, world):
    response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in content
    assert 'value="coordinator"' in content


def test_a_wrong_password_is_said_once_in_one_alert_without_the_forms_reassurance(client, world):
    response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    content = response.content.decode()
    assert content.count("introduzca un nombre de usuario y clave correctos") == 1
    assert content.count('role="alert"') == 1
    assert "No se ha perdido nada" not in content
    assert "Corrija los errores" not in content


def test_an_empty_login_names_the_missing_fields_once_each(client, world):
    content = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert content.count('role="alert"') == 1
    assert "No se ha perdido nada" not in content
    assert 'href="#id_username">Nombre de usuario</a>' in content


@pytest.mark.parametrize(
    ("persona", "role_label", "heading"),
    [
        ("researcher_a", "Investigador(a) de campo", "Sus clústeres"),
        ("coordinator", "Coordinador(a)", "Clústeres del programa"),
        ("manager", "Gerente", "Panel del programa"),
        ("admin", "Administrador(a)", "Clústeres del programa"),
    ],
)
def test_home_page_shows_each_role_its_own_clusters(client_for, world, persona, role_label, heading):
    response = client_for(world.users[persona]).get(reverse("home"))
    content = response.content.decode()
    assert role_label in content
    assert heading in content
    assert world.cluster_a.name in content
    if persona == "researcher_a":
        assert world.cluster_b.name not in content
    else:
        assert world.cluster_b.name in content


def test_navigation_shows_the_administration_link_only_to_admins(client_for, world):
    admin_link = reverse("admin:index")
    assert admin_link in client_for(world.users["admin"]).get(reverse("home")).content.decode()
    assert admin_link not in client_for(world.users["manager"]).get(reverse("home")).content.decode()


def test_language_switch_turns_the_interface_to_english(client_for, world):
    client = client_for(world.users["manager"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "You are signed in as Manager." in content


def test_the_language_choices_name_each_language_in_itself_as_their_lang_attribute_says(client_for, world):
    import re

    client = client_for(world.users["manager"])
    for language in ("es", "en"):
        client.post(reverse("set_language"), {"language": language, "next": reverse("home")})
        html = client.get(reverse("home")).content.decode()
        options = re.findall(r'<option value="(\w+)"(?: selected)? lang="(\w+)">([^<]+)</option>', html)
        assert options == [("es", "es", "Español"), ("en", "en", "English")], language
        buttons = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\w+"[^>]*>([^<]+)<', html)
        assert buttons == [("en", "English")] if language == "es" else [("es", "Español")]


def test_unknown_page_is_a_spanish_404(client_for, world):
    response = client_for(world.users["manager"]).get("/no-such-page/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"


def test_password_change_page_is_in_spanish(client_for, world):
    response = client_for(world.users["researcher_a"]).get(reverse("password_change"))
    assert "Contraseña antigua" in response.content.decode()


def test_the_health_page_answers_without_signing_in_or_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert b"OK" in response.content
