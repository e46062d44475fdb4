"""The interview export on PostgreSQL, where a thread reads the next chunk's answers ahead."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from surveys import export_sql, exports
from surveys.models import Interview
from tests.surveys.conftest import build_questionnaire, bulk_interviews
from tests.world import build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _backends():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _manager_exporting(client, monkeypatch, interviews, chunk, *, by_sql=False):
    """``interviews`` approved interviews with every kind of answer (chosen options, named actors, a
    formula to neutralise), exported in chunks of ``chunk`` by the manager, signed in on ``client``; the
    wide CSV by the Python export unless ``by_sql`` (export_sql)."""
    world = build_world()
    questionnaire = build_questionnaire(world.users["coordinator"])
    bulk_interviews(questionnaire, world.cluster_a, world.actor_a, world.users["researcher_a"], interviews)
    monkeypatch.setattr(exports, "CHUNK", chunk)
    monkeypatch.setattr(export_sql, "available", lambda: by_sql)
    client.force_login(world.users["manager"])


def _export_threads():
    return [t for t in threading.enumerate() if t.name.startswith("export")]


def test_the_export_read_ahead_writes_what_the_plain_read_writes(client, monkeypatch):
    _manager_exporting(client, monkeypatch, 2300, 1000)  # more than two chunks
    assert exports._reads_ahead()  # a request on PostgreSQL outside a transaction
    before = _backends()
    outputs = {}
    for ahead in (True, False):
        monkeypatch.setattr(exports, "_reads_ahead", lambda ahead=ahead: ahead)
        for shape in ("wide", "long"):
            url = reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": shape})
            outputs[ahead, shape] = b"".join(client.get(url).streaming_content)
    assert outputs[True, "wide"] == outputs[False, "wide"]
    assert outputs[True, "long"] == outputs[False, "long"]
    assert outputs[True, "wide"].count(b"\n") == Interview.objects.count() + 1  # and the header
    # The reading thread is gone and its connection closed.
    assert not _export_threads()
    assert _backends() == before


def test_an_export_stopped_halfway_leaves_no_thread_or_connection(client, monkeypatch):
    _manager_exporting(client, monkeypatch, 2500, 500)
    before = _backends()
    response = client.get(reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": "wide"}))
    pieces = iter(response.streaming_content)
    assert next(pieces)  # the download has begun; the client goes away
    response.close()
    assert not _export_threads()
    assert _backends() == before


# Cells that make Python's csv module quote, a spreadsheet evaluate or COPY's text format escape.
AWKWARD_TEXTS = [
    "",
    "llano",
    "con, coma",
    'con "comillas"',
    "dos\nlíneas",
    "ret\r\nfin",
    "=1+1",
    "-3",
    "@a",
    "\tt",
    "a\\b",
]
NUMBERS = ["12", "-3.5", "0.000001", "0.1", "99999999999999.999999", "-0.000000", "1234567.891011", "7.000000"]


def _every_type_version(world):
    """A version with a question of every type there is (notes and media too), options in two languages
    whose order is not their ids' order, and awkward labels."""
    from surveys.models import Choice, Question
    from surveys.services import questionnaire_create

    version = questionnaire_create(name="Todos los tipos", created_by=world.users["coordinator"])
    for order, qtype in enumerate(Question.Type):
        question = Question.objects.create(
            version=version,
            order=order,
            code=f"q_{qtype.value.replace('-', '_')}",
            type=qtype,
            labels={"Español (es)": f"Pregunta {qtype.label}", "English (en)": f"Question {order}"},
            relationship_kind="supplies" if qtype == Question.Type.ACTOR_RELATIONSHIP else "",
        )
        if qtype in Question.CHOICE_TYPES:
            # Labels that an array literal would have to quote or escape, too (PostgreSQL reads the options'
            # labels from an array).
            awkward = [("z", "Última, la z"), ("a", '"A"'), ("m", "=m"), ("b", ""), ("n", "NULL"), ("k", "{k,\\ k}")]
            for n, (value, label) in enumerate(awkward):
                Choice.objects.create(
                    question=question,
                    order=len(awkward) - n,
                    value=value,
                    labels={"Español (es)": label, "English (en)": f"{label} (en)"} if label else {},
                )
    version.status = version.Status.PUBLISHED  # the list's filter offers versions that can have interviews
    version.save(update_fields=["status"])
    return version


def _every_type_answers(version, world, count):
    """``count`` interviews answering every question with values from the lists above, in turn."""
    import datetime
    import itertools
    import uuid
    from decimal import Decimal

    from clusters.models import Actor
    from surveys.models import Answer, AnswerActor, AnswerChoice, Question

    T = Question.Type
    zone = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
    named = list(Actor.objects.order_by("pk")[:3])
    Actor.objects.filter(pk=named[0].pk).update(name="Coma, S.A.C.")
    questions = list(version.questions.prefetch_related("choices"))
    for i in range(count):
        interview = Interview.objects.create(
            uuid=uuid.uuid4(),
            version=version,
            cluster=world.cluster_a,
            actor=world.actor_a,
            interviewer=world.users["researcher_a"],
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            status="approved",
            consent_given=bool(i % 2),
            duration=datetime.timedelta(minutes=45, seconds=59) if i % 3 else None,
            place=AWKWARD_TEXTS[i % len(AWKWARD_TEXTS)],
            respondent_name=AWKWARD_TEXTS[(i + 3) % len(AWKWARD_TEXTS)],
        )
        for n, question in enumerate(questions):
            if (i + n) % 7 == 0:
                continue  # unanswered: an empty cell (and a gap between answered ones)
            answer = Answer(interview=interview, question=question)
            qtype = question.type
            if qtype in Question.NUMBER_TYPES or (qtype == T.CALCULATE and i % 2):
                answer.number_value = Decimal(NUMBERS[(i + n) % len(NUMBERS)])
            if qtype == T.YES_NO:
                answer.bool_value = [True, False, None][i % 3]
            elif qtype in (T.DATE, T.TODAY):
                answer.date_value = datetime.date(1999 + i, 2, 28)
            elif qtype == T.TIME:
                answer.time_value = datetime.time(i % 24, 5, 7, 123456)
            elif qtype in (T.DATETIME, T.START, T.END):
                answer.datetime_value = datetime.datetime(2025, 3, 9, i % 24, 59, 1, 999999, tzinfo=zone)
            elif qtype == T.GEOPOINT:
                answer.text_value = ["-15.4997 -70.1333 3825 5", "-13.52  -71.97", "1 2 3.25 0.5", "x"][i % 4]
            else:
                answer.text_value = AWKWARD_TEXTS[(i + n) % len(AWKWARD_TEXTS)]
            picked = []
            if qtype in Question.CHOICE_TYPES:
                # One to five options (more than the export looks up without a subquery), in the options' order
                # as the services keep their ids on the answer.
                options = list(question.choices.all())
                picked = sorted(
                    set(itertools.islice(itertools.cycle(options), i % 4, i % 4 + (1 + i % 5))),
                    key=lambda c: (c.order, c.pk),
                )
                if i % 5 != 4:  # else as if written before the copy existed: read from its AnswerChoice rows
                    answer.choice_ids = [choice.pk for choice in picked]
            answer.save()
            for choice in picked:
                AnswerChoice.objects.create(answer=answer, choice=choice)
            if qtype == T.ACTOR_RELATIONSHIP:
                for actor in named[: i % 4]:
                    AnswerActor.objects.create(answer=answer, actor=actor)


def _exporting_every_type(client, interviews):
    """(the wide CSV's address, the version) of ``interviews`` of every question type, the manager signed in."""
    world = build_world()
    version = _every_type_version(world)
    _every_type_answers(version, world, interviews)
    client.force_login(world.users["manager"])
    return reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": "wide"}), version


@pytest.mark.parametrize("choices", ["labels", "codes"])
@pytest.mark.parametrize("language", ["", "English (en)"])
def test_postgresql_writes_the_wide_csv_byte_for_byte_as_the_python_export(client, monkeypatch, choices, language):
    url, version = _exporting_every_type(client, 24)
    query = {"version": version.pk, "choices": choices, "lang": language}
    outputs = {}
    for by_sql in (True, False):
        monkeypatch.setattr(export_sql, "available", lambda by_sql=by_sql: by_sql)
        outputs[by_sql] = b"".join(client.get(url, query).streaming_content)
    assert outputs[True].count(b"\r\n") > 24
    assert outputs[True].decode().splitlines() == outputs[False].decode().splitlines()  # a readable difference
    assert outputs[True] == outputs[False]


def test_postgresql_writes_the_same_bytes_in_many_chunks_made_by_two_connections(client, monkeypatch):
    url, version = _exporting_every_type(client, 24)
    monkeypatch.setattr(export_sql, "available", lambda: False)
    by_python = b"".join(client.get(url, {"version": version.pk}).streaming_content)
    monkeypatch.setattr(export_sql, "available", lambda: True)
    assert exports._reads_ahead()
    before = _backends()
    for chunk in (1, 3, 5, 24):  # 24 chunks, 8, 5 (the last short), one
        monkeypatch.setattr(export_sql, "CHUNK", chunk)
        by_chunks = b"".join(client.get(url, {"version": version.pk}).streaming_content)
        assert by_chunks.decode().splitlines() == by_python.decode().splitlines(), chunk
        assert by_chunks == by_python
    assert not _export_threads()
    assert _backends() == before


def test_the_migration_that_added_choice_ids_fills_them_on_postgresql_in_the_options_order(monkeypatch):
    import importlib
    import types

    from django.apps import apps

    from surveys.models import Answer, AnswerChoice

    world = build_world()
    _every_type_answers(_every_type_version(world), world, 5)  # options ordered against their ids
    expected = {}
    rows = AnswerChoice.objects.order_by("answer", "choice__order", "choice").values_list("answer", "choice")
    for answer, choice in rows:
        expected.setdefault(answer, []).append(choice)
    assert any(len(ids) > 1 and ids != sorted(ids) for ids in expected.values())
    Answer.objects.update(choice_ids=None)
    migration = importlib.import_module("surveys.migrations.0011_answer_choice_ids")
    monkeypatch.setattr(migration, "CHUNK", 7)  # several chunks
    migration.fill(apps, types.SimpleNamespace(connection=connection))
    assert dict(Answer.objects.filter(choice_ids__isnull=False).values_list("pk", "choice_ids")) == expected


def test_an_export_whose_ids_lie_too_far_apart_for_postgresql_is_written_by_python(client, monkeypatch):
    url, version = _exporting_every_type(client, 6)
    query = {"version": version.pk}
    written_by = []
    monkeypatch.setattr(export_sql, "_copied", lambda *args: written_by.append("sql") or iter(()))
    monkeypatch.setattr(
        exports,
        "wide_rows",
        lambda *args, real=exports.wide_rows, **kw: written_by.append("python") or real(*args, **kw),
    )
    monkeypatch.setattr(export_sql, "MAX_SPAN", 2)  # the options' ids span more than that
    by_python_instead = b"".join(client.get(url, query).streaming_content)
    assert written_by == ["python"]
    monkeypatch.setattr(export_sql, "available", lambda: False)
    assert b"".join(client.get(url, query).streaming_content) == by_python_instead
    assert by_python_instead.count(b"\r\n") > 6


def test_an_export_by_postgresql_stopped_halfway_leaves_the_connection_usable(client, monkeypatch):
    _manager_exporting(client, monkeypatch, 3000, 1000, by_sql=True)
    monkeypatch.setattr(export_sql, "CHUNK", 500)  # six chunks, made in turn by two connections
    count = Interview.objects.count()
    before = _backends()
    response = client.get(reverse("surveys:interview_export", kwargs={"fmt": "csv", "shape": "wide"}))
    pieces = iter(response.streaming_content)
    assert next(pieces)
    assert next(pieces)
    response.close()
    assert not _export_threads()
    assert _backends() == before
    assert Interview.objects.count() == count  # the connection answers again
