"""Fill a PostgreSQL database with the volume of a national programme, fast.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_bench .venv/bin/python bench/seed_volume.py --scale 1

Scale 1 is 50 clusters, 20,000 actors, a 40-question questionnaire, 100,000 interviews with their
answers (about 4 million answer rows and 2 million chosen options), 500 interventions with indicators
and measurements. Scale 0.01 is the small volume the benchmarks compare against: 1 % of the interviews,
actors and answers, but the same 50 clusters and at least one intervention each, so that the pages compared
side by side show the same visible content at both volumes (the portfolio's 25 rows x 50 clusters of its
gap matrix, not 5 x 5; a cluster's 25 members). Bulk rows go in with PostgreSQL's COPY; ids are
assigned here so that children can point at parents without a round trip.
With --bulk (bench/scale.py: --scale 10 is a million interviews) PostgreSQL generates the interviews, answers
and chosen options itself in parallel sessions, into tables whose indexes and keys are made again after
the load (bulk_interviews): the same shapes, not the same rows.
The database must be migrated and empty of programme data.
"""

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django

django.setup()

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, models, transaction
from django.utils import timezone
from stdnum.pe import ruc as stdnum_ruc

from clusters.access import Role
from clusters.models import Actor, Cluster, Membership, Region, Relationship, Sector
from instruments.models import Activity, Goal, Indicator, InstrumentType, Intervention, Measurement
from surveys.models import (
    Answer,
    AnswerChoice,
    Choice,
    Interview,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)

FULL = {"clusters": 50, "actors": 20_000, "interviews": 100_000, "interventions": 500}
QUESTION_PLAN = (
    # (type, how many)
    (Question.Type.SINGLE_CHOICE, 10),
    (Question.Type.MULTIPLE_CHOICE, 5),
    (Question.Type.SCALE, 10),
    (Question.Type.INTEGER, 5),
    (Question.Type.DECIMAL, 3),
    (Question.Type.YES_NO, 2),
    (Question.Type.TEXT, 3),
    (Question.Type.LONG_TEXT, 2),
)
OPTIONS_PER_CHOICE_QUESTION = 5
STATUSES = ["approved"] * 6 + ["submitted"] * 2 + ["draft", "returned"]
BATCH_ROWS = 200_000
# The columns the seed gives (both paths); the others get their defaults (defaults_for).
INTERVIEW_COLUMNS = (
    "id",
    "uuid",
    "version_id",
    "cluster_id",
    "actor_id",
    "respondent_name",
    "interviewer_id",
    "date",
    "place",
    "consent_given",
    "status",
)
ANSWER_COLUMNS = ("id", "interview_id", "question_id", "text_value", "number_value", "bool_value", "choice_ids")
# Interviews of the two clusters whose case studies the report benchmark compares (full volume only).
REPORT_CLUSTERS = (5000, 50)


def copy_rows(model, columns, rows):
    """COPY rows (tuples in the order of ``columns``) into the model's table; returns how many."""
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor() as pg, pg.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_text(value) for value in row))
                buffer.write("\n")
                count += 1
                if count % BATCH_ROWS == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
    return count


def _json(value):
    return None if value is None else json.dumps(value)


def _text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def defaults_for(model, given):
    """Column values for every concrete field the caller did not give (defaults, now, or NULL)."""
    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.column] = now
        elif field.has_default():
            default = field.get_default()
            values[field.column] = default.hex if isinstance(default, uuid.UUID) else default
        elif field.null:
            values[field.column] = None
        elif isinstance(field, (models.CharField, models.TextField)):
            values[field.column] = ""
        else:
            raise RuntimeError(f"{model.__name__}.{field.name} has no default: give it in the seed")
    return values


def copy_model(model, given_columns, rows):
    """COPY rows that give ``given_columns`` (attnames, id first); other fields get their defaults."""
    extra = defaults_for(model, set(given_columns))
    columns = [model._meta.get_field(name).column if name != "id" else "id" for name in given_columns]
    extra_values = tuple(extra.values())
    return copy_rows(model, columns + list(extra), (tuple(row) + extra_values for row in rows))


def next_id(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def reset_sequences(*model_list):
    with connection.cursor() as cursor:
        for model in model_list:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def ruc_for(number):
    body = f"20{number:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


WIDE_NAME = "Cuestionario ancho (250 preguntas)"


def make_questionnaire(name, form_id, size, coordinator):
    """A published questionnaire of ``size`` questions of every kind, in the proportions of
    QUESTION_PLAN (repeated as needed): (version, questions, {question id: [choice ids]})."""
    questionnaire = Questionnaire.objects.create(name=name, created_by=coordinator)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=QuestionnaireVersion.Status.PUBLISHED,
        form_id=form_id,
        languages=["Español (es)", "English (en)"],
        default_language="Español (es)",
    )
    section = Section.objects.create(version=version, order=1, code="general", labels={"Español (es)": "General"})
    plan = [qtype for qtype, how_many in QUESTION_PLAN for _ in range(how_many)]
    questions = Question.objects.bulk_create(
        Question(
            version=version,
            section=section,
            order=order,
            code=f"q{order:03d}" if size > 99 else f"q{order:02d}",
            type=qtype,
            labels={"Español (es)": f"Pregunta {order}", "English (en)": f"Question {order}"},
            min_value=Decimal(1) if qtype == Question.Type.SCALE else None,
            max_value=Decimal(5) if qtype == Question.Type.SCALE else None,
        )
        for order, qtype in enumerate((plan[i % len(plan)] for i in range(size)), start=1)
    )
    made = Choice.objects.bulk_create(
        Choice(
            question=question,
            order=k,
            value=f"o{k}",
            labels={"Español (es)": f"Opción {k}", "English (en)": f"Option {k}"},
        )
        for question in questions
        if question.type in Question.CHOICE_TYPES
        for k in range(OPTIONS_PER_CHOICE_QUESTION)
    )
    choices = {}
    for choice in made:
        choices.setdefault(choice.question_id, []).append(choice.pk)
    ensure_yes_no_choices()
    return version, questions, choices


def ensure_yes_no_choices():
    """Yes/no questions get their two choices, as the questionnaire services give them (the XForm and the
    XLSForm export name them); a database seeded before this lacks them."""
    lacking = Question.objects.filter(type=Question.Type.YES_NO, choices__isnull=True)
    Choice.objects.bulk_create(
        Choice(question=question, order=order, value=value, labels={"Español (es)": es, "English (en)": en})
        for question in lacking
        for order, (value, es, en) in enumerate((("yes", "Sí", "Yes"), ("no", "No", "No")))
    )


def ensure_wide_questionnaire():
    """The 250-question questionnaire, made if a database seeded before it existed lacks it."""
    found = QuestionnaireVersion.objects.filter(questionnaire__name=WIDE_NAME).first()
    if found is None:
        found, _questions, _choices = make_questionnaire(
            WIDE_NAME, "volumen-ancho", 250, User.objects.get(username="bench-coordinator")
        )
    ensure_yes_no_choices()
    return found


def _interview_cluster(index, n_interviews, n_clusters):
    """Which cluster the index-th interview belongs to: round robin, except that at full volume the
    first cluster has REPORT_CLUSTERS[0] interviews and the second REPORT_CLUSTERS[1], for the report
    benchmark (the others share the rest)."""
    big, small = REPORT_CLUSTERS
    if n_interviews < 10 * (big + small) or n_clusters < 3:
        return index % n_clusters
    if index < big:
        return 0
    if index < big + small:
        return 1
    return 2 + (index - big - small) % (n_clusters - 2)


def seed(scale, seed_value=2013, stdout=sys.stdout, bulk=False):
    if connection.vendor != "postgresql":
        raise SystemExit("seed_volume needs PostgreSQL (set DATABASE_URL)")
    if Interview.objects.exists() or Cluster.objects.exists():
        raise SystemExit("the database already has programme data: seed an empty, migrated database")
    rng = random.Random(seed_value)
    n_clusters = FULL["clusters"]  # what the pages show is the same at every scale; the volume behind it is not
    n_actors = max(n_clusters * 25, round(FULL["actors"] * scale))
    n_interviews = max(n_clusters * 4, round(FULL["interviews"] * scale))
    n_interventions = max(n_clusters, round(FULL["interventions"] * scale))
    started = time.monotonic()

    def log(text):
        stdout.write(f"[{time.monotonic() - started:6.1f}s] {text}\n")
        stdout.flush()

    with transaction.atomic():
        # One hash for the twelve accounts: hashing is slow on purpose, and they share the password anyway.
        password = make_password("bench-password-1")
        coordinator = User.objects.create(username="bench-coordinator", password=password)
        coordinator.groups.add(Group.objects.get(name=str(Role.COORDINATOR)))
        manager = User.objects.create(username="bench-manager", password=password)
        manager.groups.add(Group.objects.get(name=str(Role.MANAGER)))
        researchers = []
        for index in range(10):
            user = User.objects.create(username=f"bench-researcher-{index}", password=password)
            user.groups.add(Group.objects.get(name=str(Role.RESEARCHER)))
            researchers.append(user)
        departments = list(Region.objects.filter(level=Region.Level.DEPARTMENT))
        districts = list(Region.objects.filter(level=Region.Level.DISTRICT).values_list("id", flat=True))
        divisions = list(Sector.objects.filter(level=Sector.Level.DIVISION))
        clusters = Cluster.objects.bulk_create(
            Cluster(
                name=f"Clúster de volumen {index:03d}",
                slug=f"volumen-{index:03d}",
                main_sector=rng.choice(divisions),
                stage=rng.choice(Cluster.Stage.values),
                status=rng.choice(Cluster.Status.values),
                coordinator=coordinator,
                description="Clúster generado para medir la velocidad del sitio.",
            )
            for index in range(n_clusters)
        )
        for index, cluster in enumerate(clusters):
            cluster.regions.set(rng.sample(departments, 2))
            cluster.team.set([researchers[index % len(researchers)], researchers[(index + 1) % len(researchers)]])
        log(f"{n_clusters} clusters, {len(researchers)} researchers")

        # Actors and memberships: each actor belongs to one cluster.
        first_actor = next_id(Actor)
        kinds = Actor.Kind.values
        sizes = Actor.Size.values
        actor_rows = (
            (
                first_actor + i,
                f"Organización {i:06d} S.A.C.",
                kinds[i % len(kinds)],
                ruc_for(i + 1),
                sizes[i % 4],
                rng.choice(districts),
            )
            for i in range(n_actors)
        )
        copy_model(Actor, ["id", "name", "kind", "ruc", "size", "region_id"], actor_rows)
        actor_cluster = [clusters[i % n_clusters].pk for i in range(n_actors)]
        first_membership = next_id(Membership)
        copy_model(  # with the copies of the actor's kind and size that Membership.save() would make
            Membership,
            ["id", "cluster_id", "actor_id", "role", "actor_kind", "actor_size"],
            (
                (
                    first_membership + i,
                    actor_cluster[i],
                    first_actor + i,
                    "core_firm",
                    kinds[i % len(kinds)],
                    sizes[i % 4],
                )
                for i in range(n_actors)
            ),
        )
        if Membership.objects.stale_actor_copies().exists():
            raise RuntimeError("the seed's memberships do not copy their actors' kind and size")
        log(f"{n_actors} actors and memberships")

        # A believable network: about twenty ties per cluster.
        by_cluster = {}
        for i in range(n_actors):
            by_cluster.setdefault(actor_cluster[i], []).append(first_actor + i)
        ties = set()
        for cluster_id, members in by_cluster.items():
            for _ in range(min(20, len(members) * 2)):
                source, target = rng.sample(members, 2)
                ties.add((cluster_id, source, target, rng.choice(Relationship.Kind.values)))
        first_tie = next_id(Relationship)
        copy_model(
            Relationship,
            ["id", "cluster_id", "source_id", "target_id", "kind"],
            ((first_tie + i, *tie) for i, tie in enumerate(sorted(ties))),
        )
        log(f"{len(ties)} ties")

        # The questionnaire: 40 questions; and a wide one of 250 for the submission benchmark.
        version, questions, choices = make_questionnaire("Cuestionario de volumen", "volumen", 40, coordinator)
        make_questionnaire(WIDE_NAME, "volumen-ancho", 250, coordinator)
        log(f"questionnaires with {len(questions)} and 250 questions")

    if bulk:  # generated by PostgreSQL itself, in parallel sessions (they see what is committed above)
        n_answers, n_chosen = bulk_interviews(
            n_interviews, n_clusters, clusters, researchers, first_actor, n_actors, version, questions, choices, log
        )
    else:
        n_answers, n_chosen = _interviews(
            rng, n_interviews, n_clusters, clusters, by_cluster, version, questions, choices, log
        )

    with transaction.atomic():
        _instruments(rng, clusters, n_clusters, n_interventions, coordinator, log)
        reset_sequences(Actor, Membership, Relationship, Interview, Answer, AnswerChoice)
    # What autovacuum does after a bulk load, at once: planner statistics, and the visibility map
    # that lets index-only scans skip the table, as on a database that has been running for a while.
    if bulk:
        vacuum_analyze_parallel(log)
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    log("done (VACUUM ANALYZE run)")
    return {
        "clusters": n_clusters,
        "actors": n_actors,
        "interviews": n_interviews,
        "answers": n_answers,
        "chosen": n_chosen,
        "interventions": n_interventions,
    }


def _interviews(rng, n_interviews, n_clusters, clusters, by_cluster, version, questions, choices, log):
    """Interviews, answers and chosen options, made here and sent with COPY: (answers, chosen options)."""
    with transaction.atomic():
        first_interview = next_id(Interview)
        start_date = datetime.date(2024, 1, 1)
        cluster_team = {c.pk: [u.pk for u in c.team.all()] for c in clusters}
        interview_meta = []
        for i in range(n_interviews):
            cluster_id = clusters[_interview_cluster(i, n_interviews, n_clusters)].pk
            actor_id = rng.choice(by_cluster[cluster_id])
            status = STATUSES[i % len(STATUSES)]
            interview_meta.append((first_interview + i, cluster_id, actor_id, status))
        copy_model(
            Interview,
            INTERVIEW_COLUMNS,
            (
                (
                    pk,
                    uuid.UUID(int=rng.getrandbits(128)).hex,
                    version.pk,
                    cluster_id,
                    actor_id,
                    f"Persona {pk}",
                    rng.choice(cluster_team[cluster_id]),
                    start_date + datetime.timedelta(days=pk % 700),
                    "Lima",
                    True,
                    status,
                )
                for pk, cluster_id, actor_id, status in interview_meta
            ),
        )
        log(f"{n_interviews} interviews")

        first_answer = next_id(Answer)
        chosen = []

        def answers():
            answer_id = first_answer
            for interview_id, _cluster, _actor, _status in interview_meta:
                for question in questions:
                    text = number = boolean = picked = None
                    if question.type == Question.Type.SINGLE_CHOICE:
                        picked = [rng.choice(choices[question.pk])]
                    elif question.type == Question.Type.MULTIPLE_CHOICE:
                        # The options' ids ascend in their order: sorted, they are in it (Answer.choice_ids).
                        picked = sorted(rng.sample(choices[question.pk], rng.randint(1, 3)))
                    elif question.type == Question.Type.SCALE:
                        number = rng.randint(1, 5)
                    elif question.type == Question.Type.INTEGER:
                        number = rng.randint(0, 500)
                    elif question.type == Question.Type.DECIMAL:
                        number = round(rng.uniform(0, 1000), 2)
                    elif question.type == Question.Type.YES_NO:
                        boolean = rng.random() < 0.6
                    else:
                        text = (
                            f"Respuesta abierta {interview_id}-{question.code}: acceso a financiamiento y capacitación"
                        )
                    chosen.extend((answer_id, choice_id) for choice_id in picked or ())
                    yield (answer_id, interview_id, question.pk, text or "", number, boolean, _json(picked))
                    answer_id += 1

        n_answers = copy_model(Answer, ANSWER_COLUMNS, answers())
        log(f"{n_answers} answers")
        first_choice_row = next_id(AnswerChoice)
        n_chosen = copy_model(
            AnswerChoice,
            ["id", "answer_id", "choice_id"],
            ((first_choice_row + i, answer_id, choice_id) for i, (answer_id, choice_id) in enumerate(chosen)),
        )
        log(f"{n_chosen} chosen options")
    return n_answers, n_chosen


# --- The bulk path: a million interviews generated by PostgreSQL --------------------------------------

BULK_TABLES = ("surveys_interview", "surveys_answer", "surveys_answerchoice")
BULK_CHUNKS = 16  # pieces of the interviews, taken in turn by the parallel sessions


def bulk_sessions():
    """How many sessions load and index at once: the cores, at least two (one waits on the disk while one works)."""
    return max(2, os.cpu_count() or 2)


def _session():
    import psycopg

    conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    # Index builds sort in memory rather than on disk; each session builds one index at a time.
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET synchronous_commit = off")
    return conn


def _in_parallel(statements, log=None):
    """Run each (label, sql, params) in one of bulk_sessions() sessions; in the order given, as sessions free."""
    from concurrent.futures import ThreadPoolExecutor

    def run(item):
        label, sql, params = item
        began = time.monotonic()
        with _session() as conn:
            for statement in [sql] if isinstance(sql, str) else sql:
                conn.execute(statement, params)
        if log:
            log(f"  {label} ({time.monotonic() - began:.0f} s)")

    with ThreadPoolExecutor(bulk_sessions()) as pool:
        list(pool.map(run, statements))


def _schema_of(conn, tables):
    """What the migrations made on ``tables`` beyond the columns: foreign keys into and out of them, primary and
    unique constraints, and plain indexes, each as the SQL that makes it again."""
    oids = [f"'{table}'::regclass" for table in tables]
    where_tables = f"IN ({', '.join(oids)})"
    foreign = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND (conrelid {where_tables} OR confrelid {where_tables}) ORDER BY conname"
    ).fetchall()
    keys = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype IN ('p', 'u') AND conrelid {where_tables} ORDER BY conname"
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        f"WHERE i.indrelid {where_tables} "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
    ).fetchall()
    return foreign, keys, indexes


def bulk_interviews(
    n_interviews, n_clusters, clusters, researchers, first_actor, n_actors, version, questions, choices, log
):
    """Interviews, answers and chosen options written by PostgreSQL from generate_series, in parallel sessions,
    into tables stripped of their indexes and foreign keys, which are made again afterwards (sorting once is
    much cheaper than keeping nine indexes current row by row). The same shapes as the COPY path: interviews
    shared among the clusters as ``_interview_cluster`` shares them, each by an actor of its cluster and a
    researcher of its team, dated over 700 days, ten statuses in turn; every question answered, single choices
    with one option and multiple choices with one to three. Returns (answers, chosen options)."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for table in BULK_TABLES:
            if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                raise SystemExit(f"{table} is not empty: the bulk load needs empty tables")
        foreign, keys, indexes = _schema_of(conn, BULK_TABLES)
        with conn.transaction():
            for table, name, _definition in foreign:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for table, name, _definition in keys:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                conn.execute(f"DROP INDEX {name}")
        first_interview = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM surveys_interview").fetchone()[0]
        first_answer = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM surveys_answer").fetchone()[0]
    log(f"dropped {len(foreign)} foreign keys, {len(keys)} keys and {len(indexes)} indexes of {', '.join(BULK_TABLES)}")

    big, small = REPORT_CLUSTERS
    skewed = not (n_interviews < 10 * (big + small) or n_clusters < 3)
    team = {c.pk: sorted(c.team.values_list("pk", flat=True)) for c in clusters}
    interview_given = list(INTERVIEW_COLUMNS)
    interview_extra = defaults_for(Interview, set(interview_given))
    interview_extra_sql = ", ".join(f"%(extra{i})s" for i in range(len(interview_extra)))
    chunk = -(-n_interviews // BULK_CHUNKS)
    # n: the interview's index (0 ..), k: its cluster's index, as _interview_cluster gives them.
    cluster_of = (
        f"CASE WHEN n < {big} THEN 0 WHEN n < {big + small} THEN 1 ELSE 2 + (n - {big + small}) %% {n_clusters - 2} END"
        if skewed
        else f"n %% {n_clusters}"
    )
    interview_sql = f"""
        INSERT INTO surveys_interview ({", ".join(interview_given + list(interview_extra))})
        SELECT %(first)s + n, gen_random_uuid(), %(version)s, (%(clusters)s::bigint[])[k + 1],
               %(first_actor)s + k
                   + {n_clusters} * floor(random() * ((%(n_actors)s - k + {n_clusters - 1}) / {n_clusters}))::bigint,
               'Persona ' || (%(first)s + n), (%(teams)s::int[])[2 * k + 1 + (random() < 0.5)::int],
               DATE '2024-01-01' + ((%(first)s + n) %% 700)::int, 'Lima', true,
               (%(statuses)s::text[])[1 + n %% {len(STATUSES)}],
               {interview_extra_sql}
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS n, LATERAL (SELECT {cluster_of} AS k) AS c
    """
    teams = [pk for c in clusters for pk in (team[c.pk] * 2)[:2]]
    base = {
        "first": first_interview,
        "version": version.pk,
        "clusters": [c.pk for c in clusters],
        "first_actor": first_actor,
        "n_actors": n_actors,
        "teams": teams,
        "statuses": STATUSES,
        **{f"extra{i}": value for i, value in enumerate(interview_extra.values())},
    }
    began = time.monotonic()
    _in_parallel(
        [
            ("interviews", interview_sql, {**base, "lo": lo, "hi": min(lo + chunk, n_interviews)})
            for lo in range(0, n_interviews, chunk)
        ]
    )
    log(f"{n_interviews} interviews ({time.monotonic() - began:.0f} s)")

    # Each interview's questions in order, as set-returning functions in the select list expand them: row after
    # row of generate_series, forty rows each, so that an interview's answers lie together as the COPY path lays
    # them (a join of the two could take the questions as the outer loop and scatter them).
    T = Question.Type
    n_questions = len(questions)
    width = OPTIONS_PER_CHOICE_QUESTION
    each_question = """
        SELECT n, unnest(%(places)s::int[]) AS place, unnest(%(pks)s::bigint[]) AS pk,
               unnest(%(types)s::text[]) AS type, unnest(%(codes)s::text[]) AS code
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS n
    """
    answer_given = list(ANSWER_COLUMNS)
    answer_extra = defaults_for(Answer, set(answer_given))
    extra_sql = "".join(f", %(extra{i})s" for i in range(len(answer_extra)))
    # Options: a single choice one at random; a multiple choice one to three distinct ones (a random start and a
    # step of one or two through five options never meets itself within three), their ids kept on the answer in
    # the options' order (Answer.choice_ids, as the services write it) and made into chosen-option rows by the
    # same statement. Ids of those rows: the answer's times three, plus the option's rank.
    answer_sql = f"""
        WITH made AS (
            INSERT INTO surveys_answer ({", ".join(answer_given + list(answer_extra))})
            SELECT %(first_answer)s + q.n * {n_questions} + q.place, %(first)s + q.n, q.pk,
                   CASE WHEN q.type IN ('{T.TEXT}', '{T.LONG_TEXT}')
                        THEN 'Respuesta abierta ' || (%(first)s + q.n) || '-' || q.code
                             || ': acceso a financiamiento y capacitación' ELSE '' END,
                   CASE q.type WHEN '{T.SCALE}' THEN 1 + floor(random() * 5)
                               WHEN '{T.INTEGER}' THEN floor(random() * 501)
                               WHEN '{T.DECIMAL}' THEN round((random() * 1000)::numeric, 2) END,
                   CASE WHEN q.type = '{T.YES_NO}' THEN random() < 0.6 END,
                   CASE WHEN q.type IN ('{T.SINGLE_CHOICE}', '{T.MULTIPLE_CHOICE}') THEN (
                       SELECT jsonb_agg((%(options)s::bigint[])[{width} * q.place + 1 + slot] ORDER BY slot)
                       FROM generate_series(0, r.k - 1) AS j,
                            LATERAL (SELECT (r.start + j * r.step) %% {width} AS slot) AS s
                   ) END
                   {extra_sql}
            FROM ({each_question}) AS q
            CROSS JOIN LATERAL (
                SELECT floor(random() * {width})::int AS start, 1 + (random() < 0.5)::int AS step,
                       CASE WHEN q.type = '{T.MULTIPLE_CHOICE}' THEN 1 + floor(random() * 3)::int ELSE 1 END AS k
            ) AS r
            RETURNING id, choice_ids
        )
        INSERT INTO surveys_answerchoice (id, answer_id, choice_id)
        SELECT 3 * made.id + e.rank - 1, made.id, e.choice::bigint
        FROM made CROSS JOIN LATERAL jsonb_array_elements_text(made.choice_ids) WITH ORDINALITY AS e(choice, rank)
    """
    options = []
    for question in questions:
        found = choices.get(question.pk, [])
        options += (found + [0] * width)[:width]
    params = {
        "first": first_interview,
        "first_answer": first_answer,
        "places": list(range(n_questions)),
        "pks": [q.pk for q in questions],
        "types": [str(q.type) for q in questions],
        "codes": [q.code for q in questions],
        "options": options,
        **{f"extra{i}": value for i, value in enumerate(answer_extra.values())},
    }
    began = time.monotonic()
    _in_parallel(
        [
            (f"answers of interviews {lo}-{hi}", [answer_sql], {**params, "lo": lo, "hi": hi})
            for lo in range(0, n_interviews, chunk)
            for hi in [min(lo + chunk, n_interviews)]
        ]
    )
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        n_answers = conn.execute("SELECT count(*) FROM surveys_answer").fetchone()[0]
        n_chosen = conn.execute("SELECT count(*) FROM surveys_answerchoice").fetchone()[0]
    log(f"{n_answers} answers and {n_chosen} chosen options ({time.monotonic() - began:.0f} s)")

    began = time.monotonic()
    # The biggest first, so that the last to finish is a small one.
    builds = [(name, definition, None) for name, definition in indexes]
    builds += [
        (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}', None) for table, name, definition in keys
    ]
    order = {"surveys_answer": 0, "surveys_answerchoice": 1, "surveys_interview": 2}
    builds.sort(key=lambda item: next((rank for table, rank in order.items() if table in item[1]), 3))
    _in_parallel(builds, log)
    log(f"indexes and keys made again ({time.monotonic() - began:.0f} s)")
    began = time.monotonic()
    # Foreign keys: added unchecked at once, then checked, one session per table (a check locks its table).
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for table, name, definition in foreign:
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
    by_table = {}
    for table, name, _definition in foreign:
        by_table.setdefault(table, []).append(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')
    _in_parallel([(table, checks, None) for table, checks in by_table.items()], log)
    log(f"{len(foreign)} foreign keys made again and checked ({time.monotonic() - began:.0f} s)")
    return n_answers, n_chosen


def vacuum_analyze_parallel(log):
    """VACUUM ANALYZE, the two big tables each in a session of its own beside the rest of the database."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        others = [
            row[0]
            for row in conn.execute(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('surveys_answer', 'surveys_answerchoice') ORDER BY tablename"
            )
        ]
    began = time.monotonic()
    _in_parallel(
        [
            ("vacuum answers", "VACUUM ANALYZE surveys_answer", None),
            ("vacuum chosen options", "VACUUM ANALYZE surveys_answerchoice", None),
            ("vacuum the rest", "VACUUM ANALYZE " + ", ".join(others), None),
        ],
        log,
    )
    log(f"VACUUM ANALYZE ({time.monotonic() - began:.0f} s)")


def _instruments(rng, clusters, n_clusters, n_interventions, coordinator, log):
    """Interventions with two indicators of eight measurements, and two activities."""
    goals = list(Goal.objects.all()) or [
        Goal.objects.create(
            code="bench-goal", heading=Goal.Heading.ENGAGE_ACTORS, order=1, name_es="Meta", name_en="Goal"
        )
    ]
    instrument_types = list(InstrumentType.objects.all()) or [
        InstrumentType.objects.create(goal=goals[0], code="bench-instrument", name_es="Instrumento")
    ]
    interventions = Intervention.objects.bulk_create(
        Intervention(
            cluster=clusters[i % n_clusters],
            instrument_type=instrument_types[i % len(instrument_types)],
            title=f"Intervención {i:04d}",
            government_level=rng.choice(Intervention.GovernmentLevel.values),
            focus=rng.choice(Intervention.Focus.values),
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            budget_planned=Decimal(rng.randint(50, 900) * 1000),
            budget_executed=Decimal(rng.randint(10, 50) * 1000),
            status=Intervention.Status.RUNNING,
            created_by=coordinator,
        )
        for i in range(n_interventions)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            intervention=intervention,
            name=f"Indicador {k}",
            unit="empresas",
            baseline_value=Decimal(10),
            baseline_date=datetime.date(2024, 1, 1),
            target_value=Decimal(40),
            target_date=datetime.date(2026, 12, 31),
            direction=Indicator.Direction.INCREASE,
        )
        for intervention in interventions
        for k in range(2)
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=90 * m),
            value=Decimal(10 + 3 * m),
            source="Registro del programa",
            status=Measurement.Status.APPROVED,
            recorded_by=coordinator,
        )
        for indicator in indicators
        for m in range(8)
    )
    Activity.objects.bulk_create(
        Activity(
            intervention=intervention,
            date=datetime.date(2024, 6, 1) + datetime.timedelta(days=60 * k),
            kind=Activity.Kind.TRAINING,
            title=f"Taller {k}",
            women=rng.randint(0, 30),
            men=rng.randint(0, 30),
            firms_micro=rng.randint(0, 10),
            firms_small=rng.randint(0, 5),
        )
        for intervention in interventions
        for k in range(2)
    )
    log(f"{n_interventions} interventions, {len(indicators)} indicators, {len(indicators) * 8} measurements")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national programme, 0.01 = small")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument(
        "--bulk",
        action="store_true",
        help="let PostgreSQL generate the interviews, answers and options in parallel sessions (bench/scale.py)",
    )
    args = parser.parse_args(argv)
    print(seed(args.scale, args.seed, bulk=args.bulk))


if __name__ == "__main__":
    main()
