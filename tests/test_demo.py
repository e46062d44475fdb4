import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from clusters.access import Role, role_of, visible_clusters
from clusters.models import Actor, Cluster
from clusters.validators import validate_ruc

pytestmark = pytest.mark.django_db


def _load(**kwargs):
    call_command("load_demo", stdout=open("/dev/null", "w"), **kwargs)  # noqa: SIM115


def test_demo_refuses_to_load_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _load()
    assert not Cluster.objects.exists()


def test_demo_builds_a_believable_programme_and_loading_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    _load()
    counts = (Cluster.objects.count(), Actor.objects.count())
    _load()
    assert (Cluster.objects.count(), Actor.objects.count()) == counts
    assert counts[0] >= 8
    assert Cluster.objects.filter(name="Pelos Finos de Camélidos").exists()
    assert set(Actor.objects.values_list("kind", flat=True)) == {choice for choice, _ in Actor.Kind.choices}
    for ruc in Actor.objects.exclude(ruc="").values_list("ruc", flat=True):
        validate_ruc(ruc)


def test_demo_accounts_sign_in_with_the_documented_password(settings):
    _load(force=True)
    expected = {
        "investigadora": Role.RESEARCHER,
        "investigador2": Role.RESEARCHER,
        "coordinador": Role.COORDINATOR,
        "gerente": Role.MANAGER,
        "admin": Role.ADMIN,
    }
    from django.test import RequestFactory

    for username, role in expected.items():
        user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password="casebook-demo")
        assert user is not None, username
        assert role_of(user) == role


def test_demo_researchers_work_on_different_clusters(settings):
    _load(force=True)
    from django.contrib.auth.models import User

    first = set(visible_clusters(User.objects.get(username="investigadora")))
    second = set(visible_clusters(User.objects.get(username="investigador2")))
    assert first and second and not first & second
