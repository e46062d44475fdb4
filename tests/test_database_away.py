"""While the database restarts, a page says "try again" (503), not "the session was deleted" (400) or a 500.

The database is made to refuse the statements it would refuse during a restart, through Django's own
execute wrappers: the session's save at the end of a request, or a list's query.
"""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


class Refuse:
    """An execute wrapper that fails the statements containing ``words`` as a lost connection does."""

    def __init__(self, *words):
        self.words = words
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):
        if all(word in sql for word in self.words):
            self.refused += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_a_session_that_cannot_be_saved_while_the_database_restarts_asks_to_try_again(client_for, world):
    client = client_for(world.users["coordinator"])
    refuse = Refuse("UPDATE", "django_session")
    with connection.execute_wrapper(refuse):
        page = client.get("/clusters/")
    assert refuse.refused == 1
    assert page.status_code == 503
    assert page["Retry-After"]
    content = page.content.decode()
    assert "intente de nuevo" in content.lower()
    assert "session" not in content.lower()
    # The session was not lost: once the database is back the same person goes on.
    assert client.get("/clusters/").status_code == 200


def test_english_readers_are_asked_to_try_again_in_english(client_for, world):
    client = client_for(world.users["coordinator"])
    client.cookies["casebook_language"] = "en"
    with connection.execute_wrapper(Refuse("UPDATE", "django_session")):
        page = client.get("/clusters/")
    assert page.status_code == 503
    assert "try again" in page.content.decode()


def test_a_page_whose_query_fails_while_the_database_restarts_asks_to_try_again(client_for, world):
    client = client_for(world.users["coordinator"])
    with connection.execute_wrapper(Refuse("SELECT", "clusters_actor")):
        page = client.get("/actors/")
    assert page.status_code == 503
    assert "intente de nuevo" in page.content.decode().lower()


def test_a_session_deleted_by_signing_out_elsewhere_is_still_djangos_400(client_for, world):
    from django.contrib.sessions.models import Session

    client = client_for(world.users["coordinator"])
    refuse = Refuse("UPDATE", "django_session")

    def delete_then_go_on(execute, sql, params, many, context):
        if "UPDATE" in sql and "django_session" in sql:
            Session.objects.all().delete()  # signed out in another tab while this request ran
        return execute(sql, params, many, context)

    with connection.execute_wrapper(delete_then_go_on):
        page = client.get("/clusters/")
    assert page.status_code == 400
    assert refuse.refused == 0
