"""The wide CSV export written by PostgreSQL: one ``COPY (SELECT …) TO STDOUT`` makes every line.

The Python export (surveys/exports.py) parses 4 million answers into Python values and formats them one
by one: at 100,000 interviews that was three quarters of its time. Here the database pivots each
interview's answers into its CSV line, in the interviews' order, and Python only passes the lines on.
The bytes are the Python export's, for every kind of cell (``values.shown_as``): the formatting below
mirrors ``exports._formatters`` and Python's csv module (quoted when a cell holds a comma, a quote or a
line break; lines end in CRLF), and tests/integration/test_exports.py compares the two on every
question type. Used for the wide CSV on PostgreSQL; SQLite, the long shape and XLSX use the Python path.

Memory stays flat: the rows stream from the server as COPY data, a 64 KB piece at a time.
"""

import collections
import csv
import io
import itertools
import re
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections

from surveys import exports, values

# The prefixes safe_cell neutralises, and the characters that make Python's csv module quote a cell.
_FORMULA = "('=', '+', '-', '@', E'\\t', E'\\r')"


def available():
    return connection.vendor == "postgresql"


def _safe(expr):
    """clusters.spreadsheets.safe_cell in SQL."""
    return f"(CASE WHEN left({expr}, 1) IN {_FORMULA} THEN '''' || {expr} ELSE {expr} END)"


def _text_cell(expr):
    """A text cell as Python's csv module writes safe_cell(value) (QUOTE_MINIMAL, excel dialect); NULL as empty.

    Whether to quote is asked of the value itself: the apostrophe _safe() may put in front quotes nothing, and
    asked of _safe()'s result the prefix's test ran again for each of the four characters (a chunk's statement
    took 174 ms with it, 136 ms without, best of 15 on 2026-12-07)."""
    # strpos() four times costs less than one regular expression.
    special = " OR ".join(f"strpos({expr}, {char}) > 0" for char in ("','", "'\"'", "E'\\r'", "E'\\n'"))
    safe = _safe(expr)
    return f"(CASE WHEN {special} THEN '\"' || replace({safe}, '\"', '\"\"') || '\"' ELSE coalesce({safe}, '') END)"


def _float(expr):
    """repr(float(x)) of a float8 ``expr``, for the range an answer's number holds (|x| < 10^15): PostgreSQL
    writes the same shortest digits, without Python's ``.0`` on a whole number."""
    return f"(CASE WHEN ({expr})::text ~ '^-?[0-9]+$' THEN ({expr})::text || '.0' ELSE ({expr})::text END)"


def _number(expr):
    """A Decimal written as an integer when it is one, else as a float (exports._formatters). Between 10^-4
    and 10^9 a number of the column (6 decimals) has at most 15 digits, which a float keeps: its repr is the
    number's own digits, and trim_scale() writes them without going through a float."""
    # In that range trim_scale() writes a whole number as an integer too: most numbers take the first branch.
    return (
        f"(CASE WHEN abs({expr}) >= 0.0001 AND abs({expr}) < 1000000000 THEN trim_scale({expr})::text "
        f"WHEN {expr} = trunc({expr}) THEN trunc({expr})::text "
        f"ELSE {_float(f'{expr}::float8')} END)"
    )


def _location_part(n):
    part = f"split_part(btrim(regexp_replace(a.text_value, '\\s+', ' ', 'g')), ' ', {n})"
    return f"(CASE WHEN {part} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN {_float(f'{part}::float8')} ELSE '' END)"


def _moment(expr):
    """values.to_instance of a date and time: local time, milliseconds and the offset ("-05:00")."""
    local = f"({expr} AT TIME ZONE %(zone)s)"
    minutes = f"floor(extract(epoch FROM {local} - ({expr} AT TIME ZONE 'UTC')) / 60)::int"
    return (
        f"(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') || CASE WHEN {minutes} < 0 THEN '-' ELSE '+' END "
        f"|| lpad((abs({minutes}) / 60)::text, 2, '0') || ':' || lpad(mod(abs({minutes}), 60)::text, 2, '0'))"
    )


K = values.Shown


def _chosen_labels(unrolled=3):
    """The chosen options' labels of an answer ``a``, in the options' order, joined by the separator; an option's
    label is read from an array indexed by its id.

    From ``a.choice_ids`` (the options' ids in their order, Answer.choice_ids): up to ``unrolled`` options are
    looked up in the expression itself, more by a subquery. A subquery for every answer, on its AnswerChoice
    rows, cost two fifths of the export's time; that is what an answer without the copy still takes (one
    written while an upgrade to this code was under way, before the code was restarted)."""

    def label(element):
        return f"(%(labels)s::text[])[({element})::int - %(choice_base)s]"

    cases = " ".join(
        f"WHEN {n} THEN concat_ws(%(separator)s, {', '.join(label(f'a.choice_ids->>{k}') for k in range(n))})"
        for n in range(1, unrolled + 1)
    )
    more = (
        f"(SELECT string_agg({label('e.id')}, %(separator)s ORDER BY e.n)"  # noqa: S608 - SQL of this module only
        " FROM jsonb_array_elements_text(a.choice_ids) WITH ORDINALITY AS e(id, n))"
    )
    rows = (
        "(SELECT string_agg(s.label, %(separator)s ORDER BY s.place, s.id) FROM ("
        "SELECT ac.choice_id AS id, (%(labels)s::text[])[ac.choice_id - %(choice_base)s] AS label,"
        " (%(places)s::int[])[ac.choice_id - %(choice_base)s] AS place"
        " FROM surveys_answerchoice ac WHERE ac.answer_id = a.id) s)"
    )
    return (
        f"coalesce(CASE WHEN a.choice_ids IS NULL THEN {rows}"
        f" ELSE CASE jsonb_array_length(a.choice_ids) {cases} ELSE {more} END END, '')"
    )


# Each kind's cell from an answer ``a``: the text kinds' raw text (neutralised and quoted once, in LINES),
# the others' finished cell. Named actors come from a correlated subquery.
RAW = {
    K.TEXT: "a.text_value",
    K.CHOSEN: _chosen_labels(),
    K.ACTORS: (
        "coalesce((SELECT string_agg(n.name, %(separator)s ORDER BY n.name) FROM surveys_answeractor aa"
        " JOIN clusters_actor n ON n.id = aa.actor_id WHERE aa.answer_id = a.id), '')"
    ),
}
CELLS = {
    K.NUMBER: f"coalesce({_number('a.number_value')}, '')",
    K.DATE: "coalesce(to_char(a.date_value, 'YYYY-MM-DD'), '')",
    K.TIME: "coalesce(left(a.time_value::text, 8), '')",
    K.MOMENT: f"coalesce({_moment('a.datetime_value')}, '')",
    K.FLAG: "(CASE a.bool_value WHEN true THEN %(yes)s WHEN false THEN %(no)s ELSE '' END)",
    K.LOCATION: " || ',' || ".join(_location_part(n) for n in range(1, 5)),
    K.NOTHING: "''",
}
SPAN = {K.LOCATION: 4}  # a location is four cells

INTERVIEW_CELLS = [
    "i.id::text",
    "i.uuid::text",
    _text_cell("c.name"),
    _text_cell("ac.name"),
    _text_cell("ac.ruc"),
    _text_cell("qn.name"),
    "v.number::text",
    _text_cell("u.username"),
    "to_char(i.date, 'YYYY-MM-DD')",
    _text_cell("i.place"),
    _text_cell("i.mode"),
    "coalesce(floor(extract(epoch FROM i.duration) / 60)::bigint::text, '')",
    "(CASE WHEN i.consent_given THEN 'yes' ELSE 'no' END)",
    _text_cell("i.status"),
    _text_cell("i.respondent_name"),
    _text_cell("i.respondent_position"),
]
assert len(INTERVIEW_CELLS) == len(exports.INTERVIEW_COLUMNS)

# OFFSET 0 keeps the answers' subquery from being pulled up, so that each answer's subqueries run once, not
# once per use of their value.
# string_agg() takes the cells in the order the window function's sort left them, by place: the second sort
# an ORDER BY in the aggregate costs (135 → 122 ms a chunk, best of 21, on PostgreSQL 15; 16 skips it) is
# not made. PostgreSQL's manual (4.2.7, Aggregate Expressions) gives input from a sorted subquery as the way
# to order an aggregate's input without ORDER BY, and warns only of a join in the outer query, which
# could reorder the rows; the query level of this aggregate reads the window's subquery alone.
# A question's place in the line and its kind, packed in one integer (position * 16 + kind) in an array
# indexed by the question's id: one subscript per answer, where a join with the export's questions
# would hash them again for each interview.
KINDS = list(K)
LINES = """
COPY (
    SELECT {interview} || coalesce((
        SELECT string_agg(repeat(',', x.pos - x.prev_end + 1) || x.cell, '')
               || repeat(',', %(width)s - max(x.pos + x.span))
        FROM (
            SELECT y.pos, y.span, CASE WHEN y.raw IS NULL THEN y.cell ELSE {quoted} END AS cell,
                   lag(y.pos + y.span, 1, 0) OVER (ORDER BY y.pos) AS prev_end
            FROM (
                SELECT m.code / 16 AS pos, CASE m.code %% 16 {spans} ELSE 1 END AS span,
                       CASE m.code %% 16 {raw} END AS raw, CASE m.code %% 16 {cells} END AS cell
                FROM surveys_answer a
                CROSS JOIN LATERAL (SELECT (%(codes)s::int[])[a.question_id - %(base)s] AS code) m
                WHERE a.interview_id = i.id AND a.repeat = '' AND m.code >= 0
                OFFSET 0
            ) y
        ) x
    ), repeat(',', %(width)s))
    FROM ({chosen}) AS chosen(id)
    JOIN surveys_interview i ON i.id = chosen.id
    JOIN clusters_cluster c ON c.id = i.cluster_id
    JOIN clusters_actor ac ON ac.id = i.actor_id
    JOIN surveys_questionnaireversion v ON v.id = i.version_id
    JOIN surveys_questionnaire qn ON qn.id = v.questionnaire_id
    JOIN auth_user u ON u.id = i.interviewer_id
    WHERE {range}
    ORDER BY i.id
) TO STDOUT
"""


# The longest array indexed by id (a question's place, an option's label and place) sent with the statement:
# the ids of one version's questions and options lie close together, but an export of versions made years
# apart could span millions of ids, whose arrays would cost more to send and parse than the SQL path saves.
MAX_SPAN = 200_000


def _by_id(items, empty):
    """(base, array): ``items`` ({id: value}) as an array where the value of ``id`` is at ``id - base``
    (PostgreSQL's arrays start at 1), ``empty`` elsewhere; None when the ids span more than MAX_SPAN."""
    base = min(items, default=1) - 1
    span = max(items, default=1) - base
    if span > MAX_SPAN:
        return None
    array = [empty] * span
    for pk, value in items.items():
        array[pk - base - 1] = value
    return base, array


def _layout(interviews, choices_as, language):
    """(the header row, the COPY statement with a ``{chosen}`` place for the interviews, its parameters), or
    None when the export's questions or options are too far apart by id (MAX_SPAN)."""
    questions, choices, repeat_of = exports._questions(interviews, language)
    main = [q for q in questions if q.pk not in repeat_of]
    names, place = exports._columns(main)
    header = [name for _key, name in exports.INTERVIEW_COLUMNS] + names
    codes = _by_id({q.pk: place[q.pk] * 16 + KINDS.index(values.shown_as(q)) for q in main}, -1)
    labels = _by_id({c.pk: (c.value if choices_as == exports.CODES else c.label) for c in choices.values()}, None)
    places = _by_id({c.pk: c.order for c in choices.values()}, None)
    if codes is None or labels is None:
        return None
    yes, no = ("yes", "no") if choices_as == exports.CODES else (values.yes_no(True), values.yes_no(False))
    interview = " || ',' || ".join(f"coalesce({cell}, '')" for cell in INTERVIEW_CELLS)
    statement = LINES.format(
        interview=interview,
        spans=" ".join(f"WHEN {KINDS.index(kind)} THEN {span}" for kind, span in SPAN.items()),
        raw=" ".join(f"WHEN {KINDS.index(kind)} THEN {sql}" for kind, sql in RAW.items()),
        cells=" ".join(f"WHEN {KINDS.index(kind)} THEN {sql}" for kind, sql in CELLS.items()),
        quoted=_text_cell("y.raw"),
        chosen="{chosen}",
        range="{range}",
    )
    params = {
        "base": codes[0],
        "codes": codes[1],
        "width": len(names),
        "choice_base": labels[0],  # the same for the places: the same ids
        "labels": labels[1],
        "places": places[1],
        "separator": values.LIST_SEPARATOR,
        "yes": yes,
        "no": no,
        "zone": settings.TIME_ZONE,
    }
    return header, statement, params


def _named(queryset):
    """The SQL of ``queryset``'s ids with named placeholders, and their parameters."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    pieces = re.split(r"(?<!%)%s", sql)
    named = "".join(piece + (f"%(chosen_{n})s" if n < len(params) else "") for n, piece in enumerate(pieces))
    return named, {f"chosen_{n}": value for n, value in enumerate(params)}


def _bounds(interviews):
    """The ids that end each chunk of CHUNK interviews (the last chunk ends with no bound)."""
    sql, params = _named(interviews)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ({sql}) AS chosen(id)) AS s "  # noqa: S608 - Django's SQL of the queryset, values as parameters
            "WHERE n %% %(chunk)s = 0 ORDER BY id",
            {**params, "chunk": CHUNK},
        )
        return [row[0] for row in cursor.fetchall()]


CHUNK = 2000
AHEAD = 2  # chunks made by the thread and not yet written: their lines are held in memory


def _chunk(layout, interviews, after, last):
    """The statement and parameters of the lines of the interviews with ``after`` < id <= ``last``."""
    _header, statement, params = layout
    chunk = interviews.filter(pk__gt=after) if after is not None else interviews
    if last is not None:
        chunk = chunk.filter(pk__lte=last)
    sql, chosen = _named(chunk)
    # The chunk's range on the interviews themselves too, so that they are read by their index, not by
    # a scan of every interview joined with the chunk's ids.
    limits = [f"i.id > {int(after)}"] if after is not None else []
    limits += [f"i.id <= {int(last)}"] if last is not None else []
    statement = statement.replace("{chosen}", sql).replace("{range}", " AND ".join(limits) or "true")
    return statement, {**params, **chosen}


def wide_csv_stream(interviews, choices_as=exports.LABELS, language=None):
    """The wide CSV in pieces, as exports.csv_stream(exports.wide_rows(…)) writes it: UTF-8 bytes as the
    database sends them (text from the Python export when it writes them instead).

    On a request outside a transaction the interviews go in chunks of CHUNK, and a thread with a connection
    of its own has the database make every other chunk while this one is written: the database's work
    (nearly all of the export's) runs on two processes (exports._reads_ahead)."""
    layout = _layout(interviews, choices_as, language)
    if layout is None:  # ids too far apart for the SQL path: the Python export writes the same bytes
        yield from exports.csv_stream(exports.wide_rows(interviews, choices_as, language=language))
        return
    first = io.StringIO()
    csv.writer(first).writerow(layout[0])
    yield ("\ufeff" + first.getvalue()).encode()
    if not exports._reads_ahead():
        yield from _copied(*_chunk(layout, interviews, None, None))
        return
    bounds = [None, *_bounds(interviews), None]
    ranges = list(itertools.pairwise(bounds))
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
    # The thread makes the odd chunks, this one the even; the thread keeps AHEAD of its chunks queued, so
    # that it goes on to the next as soon as one is made instead of waiting for this one to be written.
    odd = iter(ranges[1::2])
    ahead = collections.deque()

    def queue_next():
        if (limits := next(odd, None)) is not None:
            ahead.append(reader.submit(_gathered, *_chunk(layout, interviews, *limits)))

    try:
        for _index in range(AHEAD):
            queue_next()
        for limits in ranges[::2]:
            yield from _copied(*_chunk(layout, interviews, *limits))
            if ahead:
                yield from ahead.popleft().result()
                queue_next()
    finally:
        for waiting in ahead:
            waiting.cancel()
        reader.submit(connections.close_all).result()  # the thread's own connection
        reader.shutdown()


def _gathered(statement, params):
    return list(_copied(statement, params))


def _copied(statement, params):
    """The lines of one COPY statement in pieces of about STREAM_PIECE, on this thread's connection."""
    with connection.cursor() as cursor:
        # Compiling this statement's hundreds of expressions to machine code took longer than running it, and
        # parallel workers for a chunk of interviews cost more to start than they save.
        cursor.execute("SET jit = off; SET max_parallel_workers_per_gather = 0")
        try:
            yield from _lines(cursor, statement, params, [])
        finally:
            cursor.execute("RESET jit; RESET max_parallel_workers_per_gather")


def _lines(cursor, statement, params, pending):
    size = 0
    with cursor.cursor.copy(statement, params) as copy:
        for row in copy:
            line = bytes(row)
            if b"\\" in line:  # COPY's text format escapes backslashes and control characters
                line = _unescape(line)
            pending.append(line[:-1] + b"\r\n")  # UTF-8 already, as the response sends it
            size += len(line)
            if size >= exports.STREAM_PIECE:
                yield b"".join(pending)
                pending, size = [], 0
    yield b"".join(pending)


_ESCAPES = {b"\\": b"\\", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"v": b"\v"}


def _unescape(line):
    out, index = bytearray(), 0
    while True:
        found = line.find(b"\\", index)
        if found < 0:
            out += line[index:]
            return bytes(out)
        out += line[index:found]
        out += _ESCAPES[line[found + 1 : found + 2]]
        index = found + 2
