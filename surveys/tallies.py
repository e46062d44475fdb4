"""The findings from buckets of interviews kept in the database (FindingsBucket, FindingsTally).

A view of the findings reads, in one grouped query, the stamp of each bucket its interviews fall in (one
bucket per status and calendar month; a month a date filter cuts is a bucket of its own range), computes
again only the buckets whose stored stamp differs (an edit makes one bucket stale, not the whole cluster),
then adds the buckets' tallies up in a few queries, for the questions whose tallies changed only (each
question's tallies in a bucket have a digest: figures added up from the same digests are reused). The
figures are exactly those of the answers themselves (surveys.selectors._answer_aggregates): counts add up,
numbers are kept as histograms (one row per distinct value), so mean, minimum, maximum and median come out
of them exactly, and texts are counted by their lower-cased trimmed form, so the most said across buckets
ranks as it would over all the answers.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, RowNumber, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from clusters.collation import spanish
from surveys.models import (
    Answer,
    AnswerActor,
    AnswerChoice,
    FindingsBucket,
    FindingsDigest,
    FindingsTally,
    Interview,
    Question,
)

T = Question.Type
K = FindingsTally.Kind
logger = logging.getLogger(__name__)

# The text answers a question's findings quote: the most said first, each once, at most this long.
QUOTES_PER_QUESTION = 3
QUOTE_LENGTH = 400


class GroupedWindow(Window):
    """A window over the groups of a GROUP BY query. Its partition and order are grouped columns or
    aggregates already, so it adds nothing to the GROUP BY (Django would add the window itself there,
    which SQL refuses)."""

    def get_group_by_cols(self):
        return []


def clip(text, limit):
    """At most ``limit`` characters, cut at a word near the end, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.7 else cut).rstrip(" ,;:.-") + "…"


def two_places(value):
    """A figure as the findings show it: a Decimal with two decimals (None stays None)."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Bucket:
    """One bucket of the selected interviews, as they are now."""

    status: str
    first_day: datetime.date
    last_day: datetime.date
    stamp: str
    n: int
    first: datetime.date
    last: datetime.date

    @property
    def key(self):
        return (self.status, self.first_day, self.last_day)


def month_end(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def current_buckets(interviews, *, date_from=None, date_to=None):
    """The buckets of ``interviews`` (already filtered by cluster, version, statuses and dates) with their
    stamps now: one query, grouped by status and month (TruncMonth: date_trunc on PostgreSQL, a function of
    Django's on SQLite)."""
    rows = (
        interviews.annotate(month=TruncMonth("date"))
        .values("status", "month")
        .annotate(
            n=Count("*"),
            first=Min("date"),
            last=Max("date"),
            touched=Max("updated_at"),
            saves=Sum("lock_version"),
            ids=Sum("pk"),
        )
        .order_by()
    )
    buckets = []
    for row in rows:
        first_day, last_day = row["month"], month_end(row["month"])
        if date_from and date_from > first_day:
            first_day = date_from
        if date_to and date_to < last_day:
            last_day = date_to
        stamp = hashlib.sha256(
            repr((row["n"], row["touched"].isoformat(), row["saves"], row["ids"])).encode()
        ).hexdigest()
        buckets.append(Bucket(row["status"], first_day, last_day, stamp, row["n"], row["first"], row["last"]))
    return sorted(buckets, key=lambda bucket: bucket.key)


def bucket_ids(*, cluster, version, buckets):
    """The ids of the stored buckets for ``buckets``, computing again those missing or stale (one query when
    all are fresh)."""
    if not buckets:
        return []
    wanted = {bucket.key: bucket.stamp for bucket in buckets}
    stored = {
        (row["status"], row["first_day"], row["last_day"]): row
        for row in FindingsBucket.objects.filter(
            cluster=cluster,
            version=version,
            status__in={bucket.status for bucket in buckets},
            first_day__gte=min(bucket.first_day for bucket in buckets),
            last_day__lte=max(bucket.last_day for bucket in buckets),
        ).values("pk", "status", "first_day", "last_day", "stamp")
    }
    stale = [key for key, stamp in wanted.items() if key not in stored or stored[key]["stamp"] != stamp]
    computed = _recompute(cluster=cluster, version=version, stale=stale, wanted=wanted) if stale else {}
    return [computed[key] if key in computed else stored[key]["pk"] for key in wanted]


def _keys_q(keys):
    condition = Q()
    for status, first_day, last_day in keys:
        condition |= Q(status=status, first_day=first_day, last_day=last_day)
    return condition


@transaction.atomic
def _recompute(*, cluster, version, stale, wanted):
    """{key: bucket id} of the ``stale`` buckets, computed again. Their rows are created if missing and
    locked (a second viewer computing the same buckets waits, then finds them done), their tallies replaced
    in one transaction. The stamps were read before the answers are, so a stored stamp is never newer than
    its tallies."""
    FindingsBucket.objects.bulk_create(
        [
            FindingsBucket(cluster=cluster, version=version, status=status, first_day=first, last_day=last)
            for status, first, last in sorted(stale)
        ],
        ignore_conflicts=True,
    )
    locked = list(
        FindingsBucket.objects.select_for_update()
        .filter(_keys_q(stale), cluster=cluster, version=version)
        .order_by("pk")
    )
    todo = [bucket for bucket in locked if bucket.stamp != wanted[(bucket.status, bucket.first_day, bucket.last_day)]]
    ids = {(bucket.status, bucket.first_day, bucket.last_day): bucket.pk for bucket in locked}
    if not todo:
        return ids
    if connection.vendor == "postgresql":
        # The planner overestimates the chosen options' join by tenfold, which passes the cost above which
        # PostgreSQL compiles the query first (JIT): 30 ms of a month's 100 ms spent compiling.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    now = timezone.now()
    FindingsTally.objects.filter(bucket__in=todo).delete()
    FindingsDigest.objects.filter(bucket__in=todo).delete()
    _insert_tallies([bucket.pk for bucket in todo])
    for bucket in todo:
        bucket.stamp = wanted[(bucket.status, bucket.first_day, bucket.last_day)]
        bucket.computed_at = now
    FindingsBucket.objects.bulk_update(todo, ["stamp", "computed_at"])
    _insert_digests([bucket.pk for bucket in todo])
    return ids


def _insert_tallies(ids):
    """The buckets' tallies, written by the database from their interviews' answers: no answer row comes
    to Python. One INSERT ... SELECT: the buckets' answers are read once (a CTE, found by a join on each
    bucket's range), then grouped by bucket and question for each kind of tally."""
    table = connection.ops.quote_name

    def listed(values):
        return "(" + ", ".join(["%s"] * len(values)) + ")", sorted(values)

    buckets, bucket_params = listed(ids)
    numbers, number_params = listed({*Question.NUMBER_TYPES, T.CALCULATE})
    quoted, quoted_params = listed(Question.QUOTED_TYPES)
    choices, choice_params = listed(Question.CHOICE_TYPES)
    said = "LOWER(TRIM(a.text_value))"
    # Each SELECT fills the columns (bucket_id, kind, question_id, choice_id, actor_id, flag, number, key,
    # text, count) in that order; the kinds and types are parameters.
    selects = [
        # Typed NULLs: PostgreSQL takes a UNION's column types from its first SELECT.
        ("SELECT a.bucket_id, %s, a.question_id, CAST(NULL AS bigint), CAST(NULL AS bigint),"
         " CAST(NULL AS boolean), CAST(NULL AS numeric), '', '', COUNT(*) FROM a"
         " GROUP BY a.bucket_id, a.question_id", [K.ANSWERED]),
        # Options and actors of the questions that show them only (a look-up in the options for every
        # answer read would cost more than the rest of this query).
        ("SELECT a.bucket_id, %s, a.question_id, c.choice_id, NULL, NULL, NULL, '', '', COUNT(*) FROM a"  # noqa: S608
         f" JOIN {table(AnswerChoice._meta.db_table)} c ON c.answer_id = a.answer_id WHERE a.type IN {choices}"
         " GROUP BY a.bucket_id, a.question_id, c.choice_id", [K.CHOICE, *choice_params]),
        ("SELECT a.bucket_id, %s, a.question_id, NULL, NULL, a.bool_value, NULL, '', '', COUNT(*) FROM a"
         " WHERE a.bool_value IS NOT NULL AND a.type = %s GROUP BY a.bucket_id, a.question_id, a.bool_value",
         [K.FLAG, T.YES_NO]),
        ("SELECT a.bucket_id, %s, a.question_id, NULL, NULL, NULL, a.number_value, '', '', COUNT(*) FROM a"
         " WHERE a.number_value IS NOT NULL AND a.type = %s GROUP BY a.bucket_id, a.question_id, a.number_value",
         [K.SCALE, T.SCALE]),
        ("SELECT a.bucket_id, %s, a.question_id, NULL, NULL, NULL, a.number_value, '', '', COUNT(*) FROM a"  # noqa: S608
         f" WHERE a.number_value IS NOT NULL AND a.type IN {numbers}"
         " GROUP BY a.bucket_id, a.question_id, a.number_value", [K.NUMBER, *number_params]),
        ("SELECT a.bucket_id, %s, a.question_id, NULL, n.actor_id, NULL, NULL, '', '', COUNT(*) FROM a"  # noqa: S608
         f" JOIN {table(AnswerActor._meta.db_table)} n ON n.answer_id = a.answer_id WHERE a.type = %s"
         " GROUP BY a.bucket_id, a.question_id, n.actor_id", [K.ACTOR, T.ACTOR_RELATIONSHIP]),
        (f"SELECT a.bucket_id, %s, a.question_id, NULL, NULL, NULL, NULL, {said}, MIN(TRIM(a.text_value)),"  # noqa: S608
         f" COUNT(*) FROM a WHERE a.text_value <> '' AND a.type IN {quoted} GROUP BY a.bucket_id, a.question_id,"
         f" {said}", [K.QUOTE, *quoted_params]),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH a AS ("  # noqa: S608
            "SELECT b.id AS bucket_id, x.id AS answer_id, x.question_id, q.type, x.text_value, x.number_value,"
            f" x.bool_value FROM {table(FindingsBucket._meta.db_table)} b"
            f" JOIN {table(Interview._meta.db_table)} i ON i.cluster_id = b.cluster_id"
            " AND i.version_id = b.version_id AND i.status = b.status AND i.date >= b.first_day"
            f" AND i.date <= b.last_day JOIN {table(Answer._meta.db_table)} x ON x.interview_id = i.id"
            f" JOIN {table(Question._meta.db_table)} q ON q.id = x.question_id WHERE b.id IN {buckets})"
            f" INSERT INTO {table(FindingsTally._meta.db_table)}"
            " (bucket_id, kind, question_id, choice_id, actor_id, flag, number, key, text, count) "
            + " UNION ALL ".join(sql for sql, _params in selects),
            [*bucket_params, *(param for _sql, params in selects for param in params)],
        )


def _insert_digests(ids):
    """One digest per question of the buckets ``ids``, of its tallies there, written by the database with the
    bucket's stamp: the md5 of the rows in order of their columns, each written so that no two rows or lists
    of rows read the same (texts preceded by their length). SQLite before 3.44 orders no aggregate: the rows
    are concatenated in the order of a subquery, which it keeps in practice; were it not kept, a digest would
    differ for the same tallies, which only costs a question added up again."""
    table = connection.ops.quote_name
    buckets = "(" + ", ".join(["%s"] * len(ids)) + ")"
    row = (
        "t.kind || ',' || COALESCE(CAST(t.choice_id AS TEXT), '') || ',' || COALESCE(CAST(t.actor_id AS TEXT), '')"
        " || ',' || COALESCE(CAST(t.flag AS TEXT), '') || ',' || COALESCE(CAST(t.number AS TEXT), '') || ','"
        " || CAST(t.count AS TEXT) || ',' || CAST(LENGTH(t.key) AS TEXT) || ':' || t.key || ','"
        " || CAST(LENGTH(t.text) AS TEXT) || ':' || t.text"
    )
    order = "t.kind, t.choice_id, t.actor_id, t.flag, t.number, t.key"
    tallies = (
        f"{table(FindingsTally._meta.db_table)} t JOIN {table(FindingsBucket._meta.db_table)} b"
        f" ON b.id = t.bucket_id WHERE t.bucket_id IN {buckets}"
    )
    if connection.vendor == "postgresql":
        digests = (
            f"SELECT t.bucket_id, t.question_id, b.stamp, MD5(STRING_AGG({row}, ';' ORDER BY {order} COLLATE \"C\"))"  # noqa: S608
            f" FROM {tallies} GROUP BY t.bucket_id, t.question_id, b.stamp"
        )
    else:
        digests = (
            "SELECT bucket_id, question_id, stamp, MD5(GROUP_CONCAT(r, ';')) FROM ("  # noqa: S608
            f"SELECT t.bucket_id, t.question_id, b.stamp, {row} AS r FROM {tallies}"
            f" ORDER BY t.bucket_id, t.question_id, {order}) GROUP BY bucket_id, question_id, stamp"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(FindingsDigest._meta.db_table)} (bucket_id, question_id, stamp, digest) {digests}",
            sorted(ids),
        )


@dataclass(frozen=True)
class Added:
    """The tallies of a selection of buckets added up: the aggregates (as ``surveys.selectors._answer_aggregates``
    computes them from the answers), and per question the figures that depend on its tallies alone, with the
    key of the digests they were added up from (``aggregates`` takes them back to add up only what changed)."""

    aggregates: tuple
    parts: dict
    added_up: frozenset


def aggregates(stamps, parts=None):
    """What ``surveys.selectors._answer_aggregates`` computes from the answers, from the tallies of the buckets
    ``stamps`` ({bucket id: stamp}), as an ``Added``. ``parts`` are those of an earlier ``Added``: a question
    whose tallies are the same in the same buckets (the same digests) keeps its figures; the others are added
    up again, in four or five queries whatever their number and the interviews'. The digests are read in one
    query (and again once those are added up), and the named actors always added up again in one (they carry
    the actors' names, which the tallies do not)."""
    keys, digested = _question_keys(stamps)
    parts = {question: part for question, part in (parts or {}).items() if keys.get(question) == part[0]}
    changed = sorted(keys.keys() - parts.keys())
    figures = dict(parts)
    if changed:
        # Every question changed (a first view, a new approval): no list of them to send.
        fresh = _figures(list(stamps), questions=None if len(changed) == len(keys) else changed)
        figures |= {question: (keys[question], fresh.get(question, {})) for question in changed}
        # A bucket computed again by another viewer between the reading of the digests and that of the
        # tallies would leave figures of its new tallies under the digests of its old ones: those serve this
        # view only. Stamps never come back, so the same stamps read again mean the same tallies.
        if _question_keys(stamps)[1] == digested:
            parts = figures
    logger.debug("findings: %d of %d questions added up again", len(changed), len(keys))
    named = {}
    for question_id, name, n in (
        FindingsTally.objects.filter(bucket_id__in=list(stamps), kind=K.ACTOR)
        .values_list("question_id", "actor__name")
        .annotate(n=Sum("count"))
        .order_by("question_id", "-n", spanish("actor__name"))
    ):
        named.setdefault(question_id, []).append((name, n))
    return Added(aggregates=_merged(figures, named), parts=parts, added_up=frozenset(changed))


def _question_keys(stamps):
    """({question id: what its figures over the buckets ``stamps`` depend on}, {bucket id: the stamp its digests
    were read with}), from one query over the digests.
    A digest counts only if written with the bucket's stamp (tallies written again by anything else, an older
    release, are not taken for those it digested). A question without a digest in a bucket that has some has
    no tally there; in a bucket without any (computed before digests were kept) the bucket's stamp stands in:
    it changes whenever the bucket's interviews do."""
    digests, digested = {}, {}
    for question_id, bucket_id, stamp, digest in (
        FindingsDigest.objects.filter(bucket_id__in=list(stamps), stamp=F("bucket__stamp"))
        .values_list("question_id", "bucket_id", "stamp", "digest")
        .order_by()
    ):
        digests.setdefault(question_id, {})[bucket_id] = digest
        digested[bucket_id] = stamp
    unknown = {bucket: ("" if bucket in digested else stamp) for bucket, stamp in stamps.items()}
    keys = {
        question_id: hashlib.sha256(
            repr([(bucket, by_bucket.get(bucket, unknown[bucket])) for bucket in sorted(stamps)]).encode()
        ).hexdigest()
        for question_id, by_bucket in digests.items()
    }
    return keys, digested


def _figures(ids, *, questions):
    """{question id: its figures} over the tallies of the buckets ``ids``, of ``questions`` (None: all)."""
    tallies = FindingsTally.objects.filter(bucket_id__in=ids)
    numbers = quoted = True
    if questions is not None:
        tallies = tallies.filter(question_id__in=questions)
        # A few questions: only the kinds of tallies they can have are read (the tallies are indexed by bucket
        # and kind, so a kind none of them has would still be scanned through).
        types = set(Question.objects.filter(pk__in=questions).values_list("type", flat=True))
        numbers, quoted = bool(types & {*Question.NUMBER_TYPES, T.CALCULATE}), bool(types & Question.QUOTED_TYPES)
    figures = {}

    def of(question_id):
        return figures.setdefault(question_id, {})

    for kind, question_id, choice_id, flag, number, n in (
        tallies.filter(kind__in=[K.ANSWERED, K.CHOICE, K.FLAG, K.SCALE])
        .values_list("kind", "question_id", "choice_id", "flag", "number")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        if kind == K.ANSWERED:
            of(question_id)["answered"] = n
        elif kind == K.CHOICE:
            of(question_id).setdefault("chosen", {})[choice_id] = n
        elif kind == K.FLAG:
            of(question_id).setdefault("flags", {})[flag] = n
        else:
            of(question_id).setdefault("scale", {})[int(number)] = n
    stats, medians = _number_stats(tallies.filter(kind=K.NUMBER)) if numbers else ({}, {})
    for question_id, row in stats.items():
        of(question_id)["stats"] = row
    for question_id, median in medians.items():
        of(question_id)["median"] = median
    for question_id, quotes in (_quotes(tallies.filter(kind=K.QUOTE)) if quoted else {}).items():
        of(question_id)["quotes"] = quotes
    return figures


def _merged(parts, named):
    """The aggregates of ``_answer_aggregates``'s shape from the per-question figures and the named actors."""
    answered, chosen, flags, scale_counts, stats, medians, quotes = {}, {}, {}, {}, {}, {}, {}
    for question_id, (_key, figures) in parts.items():
        if "answered" in figures:
            answered[question_id] = figures["answered"]
        chosen |= figures.get("chosen", {})
        flags |= {(question_id, flag): n for flag, n in figures.get("flags", {}).items()}
        scale_counts |= {(question_id, value): n for value, n in figures.get("scale", {}).items()}
        if "stats" in figures:
            stats[question_id] = figures["stats"]
        if "median" in figures:
            medians[question_id] = figures["median"]
        if "quotes" in figures:
            quotes[question_id] = figures["quotes"]
    return answered, chosen, flags, scale_counts, stats, medians, named, quotes


def _quotes(texts):
    """{question id: [(text, how many said it)]}, the most said first (then the alphabet), in two queries:
    the ranking by lower-cased trimmed text alone (carrying each text's spelling through the grouping of
    every text said costs more than ranking it), then the first spelling of the few ranked."""
    ranked = list(
        texts.values("question_id", "key")
        .annotate(
            n=Sum("count"),
            rank=GroupedWindow(
                RowNumber(), partition_by=[F("question_id")], order_by=[Sum("count").desc(), F("key").asc()]
            ),
        )
        .filter(rank__lte=QUOTES_PER_QUESTION)
        .order_by()
        .values_list("question_id", "key", "rank", "n")
    )
    if not ranked:
        return {}
    spelling = {
        (question_id, key): text
        for question_id, key, text in texts.filter(key__in={key for _q, key, _r, _n in ranked})
        .values("question_id", "key")
        .annotate(text=Min("text"))
        .order_by()
        .values_list("question_id", "key", "text")
    }
    quotes = {}
    for question_id, key, _rank, n in sorted(ranked, key=lambda row: (row[0], row[2])):
        quotes.setdefault(question_id, []).append((clip(spelling[(question_id, key)].strip(), QUOTE_LENGTH), n))
    return quotes


def _number_stats(numbers):
    """({question id: mean, minimum and maximum}, {question id: median}) from the histograms, in one query
    over their rows (no grouping: a value found in several buckets is several rows, which changes no sum,
    extreme or position). In order of value (equal values in any order: a position holds the same value
    whichever row holds it), each row holds the positions ``upto - count + 1`` .. ``upto``
    of its question's ``total`` values; the median is the mean of those at floor((total+1)/2) and
    floor((total+2)/2), held by the rows with 2*upto >= total and 2*(upto - count) <= total (no division,
    so no integer or numeric division to tell apart). Those rows also bring their question's mean (as AVG
    computes it: the sum over the count), minimum and maximum, windows over the whole question."""
    question = {"partition_by": [F("question_id")]}
    weighted = Window(Sum(F("number") * F("count")), **question)
    if connection.vendor == "sqlite":
        weighted = Cast(weighted, FloatField())  # as AVG does there; PostgreSQL divides numerics exactly as AVG
    rows = (
        numbers.annotate(
            upto=Window(Sum("count"), order_by=[F("number").asc(), F("pk").asc()], frame=RowRange(None, 0), **question),
            total=Window(Sum("count"), **question),
            mean=ExpressionWrapper(weighted / Window(Sum("count"), **question), output_field=DecimalField()),
            minimum=Window(Min("number"), **question),
            maximum=Window(Max("number"), **question),
        )
        .filter(
            GreaterThanOrEqual(F("upto") * 2, F("total")), LessThanOrEqual((F("upto") - F("count")) * 2, F("total"))
        )
        .order_by()
        .values_list("question_id", "number", "count", "upto", "total", "mean", "minimum", "maximum")
    )
    stats, middle = {}, {}
    for question_id, value, count, upto, total, mean, minimum, maximum in rows:
        stats[question_id] = {"question_id": question_id, "mean": mean, "minimum": minimum, "maximum": maximum}
        # The positions of the median (one for an odd count, two for an even one) this row holds.
        for position in sorted({(total + 1) // 2, (total + 2) // 2}):
            if upto - count < position <= upto:
                middle.setdefault(question_id, []).append(Decimal(value))
    return stats, {question_id: two_places(sum(values) / len(values)) for question_id, values in middle.items()}
