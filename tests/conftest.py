"""Shared fixtures: the personas of STYLE.md and the small world the permission walk uses."""

import pytest

from tests.world import build_world, make_personas


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def personas(db):
    """The six personas without the rest of the world (anonymous is None)."""
    return make_personas()


@pytest.fixture
def researcher_a(world):
    return world.users["researcher_a"]


@pytest.fixture
def researcher_b(world):
    return world.users["researcher_b"]


@pytest.fixture
def coordinator(world):
    return world.users["coordinator"]


@pytest.fixture
def manager(world):
    return world.users["manager"]


@pytest.fixture
def admin(world):
    return world.users["admin"]


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that user (None: signs out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
