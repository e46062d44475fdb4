"""Interview exports: CSV and XLSX, wide (one row per interview) and long (one row per answer).

Interviews are read in keyset-paginated chunks with their answers, and rows are written as they are
made: a CSV streams to the client, an XLSX is written row by row (openpyxl write-only mode, inline
strings) to a temporary file that is then streamed in chunks. Memory stays flat with 100,000
interviews. Every text cell goes through ``safe_cell`` so that no answer becomes a formula.
"""

import csv
import tempfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connection, connections
from django.utils.translation import gettext as _
from openpyxl import Workbook

from clusters.spreadsheets import safe_cell
from surveys.models import Answer, AnswerActor, Choice, Question

CHUNK = 1000
STREAM_PIECE = 64 * 1024
T = Question.Type
LABELS, CODES = "labels", "codes"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value.normalize())
    return value


def _questions(interviews):
    """Questions of the versions in the export, in questionnaire order, and their choices (two queries)."""
    versions = interviews.order_by().values("version_id").distinct()
    questions = list(
        Question.objects.filter(version__in=versions).select_related("section").order_by("version_id", "order", "pk")
    )
    choices = {c.pk: c for c in Choice.objects.filter(question__version__in=versions)}
    return questions, choices


INTERVIEW_COLUMNS = [
    ("id", "interview_id"),
    ("uuid", "uuid"),
    ("cluster__name", "cluster"),
    ("actor__name", "actor"),
    ("actor__ruc", "actor_ruc"),
    ("version__questionnaire__name", "questionnaire"),
    ("version__number", "version"),
    ("interviewer__username", "researcher"),
    ("date", "date"),
    ("place", "place"),
    ("mode", "mode"),
    ("duration", "duration_minutes"),
    ("consent_given", "consent"),
    ("status", "status"),
    ("respondent_name", "respondent"),
    ("respondent_position", "respondent_position"),
]


def _interview_cells(row):
    cells = []
    for key, _header in INTERVIEW_COLUMNS:
        value = row[key]
        if key == "duration":
            value = int(value.total_seconds() // 60) if value is not None else None
        elif key == "uuid":
            value = str(value)
        elif key == "consent_given":
            value = "yes" if value else "no"
        cells.append(safe_cell(value) if isinstance(value, str) else value)
    return cells


# A stored answer as _chunks reads it: [text, number, date, flag, choice ids or None, actor names or None].
TEXT, NUMBER, DATE, FLAG, CHOSEN, ACTORS = range(6)


# An answer with its chosen options as _chunks reads them: an answer with two options comes twice.
ANSWER_COLUMNS = (
    "interview_id",
    "question_id",
    "text_value",
    "number_value",
    "date_value",
    "bool_value",
    "chosen__choice_id",
)


def _answers_of(interviews, after, last):
    """The answers, with their chosen options, of the interviews with ``after`` < pk <= ``last``.

    The chunk's interviews are a subquery (the export's filters and a range of ids): PostgreSQL plans
    it as an index scan of each interview's answers, where a list of the ids as parameters made it
    read every chosen option in the table."""
    chunk = interviews.filter(pk__gt=after, pk__lte=last).order_by().values("pk")
    return list(Answer.objects.filter(interview__in=chunk).values_list(*ANSWER_COLUMNS))


def _reads_ahead():
    """Whether the next chunk's answers may be read by a thread while this one is written: on
    PostgreSQL, outside a transaction (the thread's own connection would not see what the
    transaction has written). Elsewhere (SQLite) the chunks are read in turn."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _chunks(interviews, questions):
    """(interview rows, {interview id: {question id: answer}}) per chunk, by keyset pagination on pk.

    One read per chunk of CHUNK interviews for the answers with their chosen options, and one for
    named actors when the form has actor questions, each an index scan on the chunk's interviews: no
    sorting of millions of rows in the database, and no per-row work in Python beyond putting each
    value in its place. On PostgreSQL a thread with its own connection reads the next chunk's answers
    while the caller writes this one, so that the database's time overlaps the export's instead of
    adding to it (the export had waited for the database about a third of its time)."""
    base = interviews.order_by("pk").values(*(key for key, _header in INTERVIEW_COLUMNS))
    with_actors = any(q.type == T.ACTOR_RELATIONSHIP for q in questions)
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") if _reads_ahead() else None

    def start(after):
        """The chunk after ``after``: its interview rows, and its answers being read (or a way to read them)."""
        rows = list(base.filter(pk__gt=after)[:CHUNK])
        if not rows:
            return None
        last = rows[-1]["id"]
        if reader is None:
            return rows, after, last, lambda: _answers_of(interviews, after, last)
        return rows, after, last, reader.submit(_answers_of, interviews, after, last).result

    try:
        current = start(0)
        while current is not None:
            rows, after, last, read = current
            found = read()
            current = start(last)  # its answers are read while the caller writes this chunk
            answers = {row["id"]: {} for row in rows}
            for interview_id, question_id, text, number, date, flag, choice_id in found:
                given = answers[interview_id]
                answer = given.get(question_id)
                if answer is None:  # the option lists are made only for answers that have options
                    given[question_id] = [text, number, date, flag, None if choice_id is None else [choice_id], None]
                else:
                    answer[CHOSEN].append(choice_id)
            found.clear()
            if with_actors:
                chunk = interviews.filter(pk__gt=after, pk__lte=last).order_by().values("pk")
                for interview_id, question_id, name in (
                    AnswerActor.objects.filter(answer__interview__in=chunk)
                    .order_by("actor__name")
                    .values_list("answer__interview_id", "answer__question_id", "actor__name")
                ):
                    answer = answers[interview_id][question_id]
                    if answer[ACTORS] is None:
                        answer[ACTORS] = []
                    answer[ACTORS].append(name)
            yield rows, answers
            # The caller is done with this chunk: free it, so that besides the chunk being written only
            # the next one, being read, is held (the caller's loop variables would keep it alive).
            rows.clear()
            answers.clear()
    finally:
        if reader is not None:
            reader.submit(connections.close_all).result()  # the thread's own connection
            reader.shutdown()


def _formatters(questions, choices, choices_as):
    """{question id: function(answer) -> (display cell, code cell)}, made once per export.

    Labels are looked up once per option here, not once per answer (a label reads the active
    language each time it is read)."""
    yes, no = _("Yes"), _("No")
    order = {pk: choice.order for pk, choice in choices.items()}
    codes = {pk: choice.value for pk, choice in choices.items()}
    labels = {pk: choice.label for pk, choice in choices.items()}
    shown = codes if choices_as == CODES else labels

    def text(answer):
        value = safe_cell(answer[TEXT]) if answer[TEXT] is not None else None
        return value, value

    def number(answer):
        value = answer[NUMBER]  # a Decimal or None: written as an integer when it is one
        if value is not None:
            value = int(value) if value == value.to_integral_value() else float(value)
        return value, value

    def date(answer):
        return answer[DATE], answer[DATE]

    def flag(answer):
        if answer[FLAG] is None:
            return None, None
        code = "yes" if answer[FLAG] else "no"
        return (code if choices_as == CODES else (yes if answer[FLAG] else no)), code

    made = {}  # the few combinations of options there are, each formatted once

    def chosen(answer):
        key = tuple(answer[CHOSEN] or ())
        cells = made.get(key)
        if cells is None:
            picked = sorted((pk for pk in key if pk in codes), key=order.get)
            cells = made[key] = (
                safe_cell("; ".join(shown[pk] for pk in picked)),
                safe_cell("; ".join(codes[pk] for pk in picked)),
            )
        return cells

    def actors(answer):
        names = safe_cell("; ".join(answer[ACTORS] or ()))
        return names, names

    def nothing(answer):
        return None, None

    def formatter(question):
        if question.type in Question.TEXT_TYPES:
            return text
        if question.type in Question.NUMBER_TYPES:
            return number
        if question.type == T.DATE:
            return date
        if question.type == T.YES_NO:
            return flag
        if question.type in Question.CHOICE_TYPES:
            return chosen
        if question.type == T.ACTOR_RELATIONSHIP:
            return actors
        return nothing

    return {question.pk: formatter(question) for question in questions}


def wide_rows(interviews, choices_as=LABELS):
    """The header, then one row per interview with one column per question code."""
    questions, choices = _questions(interviews)
    codes, by_code = [], {}
    for question in questions:
        if question.code not in by_code:
            codes.append(question.code)
        by_code.setdefault(question.code, []).append(question)
    yield [header for _key, header in INTERVIEW_COLUMNS] + codes
    position = {code: index for index, code in enumerate(codes)}
    # Per question: (its column, its formatter).
    place = {q.pk: position[q.code] for q in questions}
    formatters = _formatters(questions, choices, choices_as)
    width = len(codes)
    for rows, answers in _chunks(interviews, questions):
        for row in rows:
            cells = [None] * width
            for question_id, answer in answers[row["id"]].items():
                cells[place[question_id]] = formatters[question_id](answer)[0]
            yield _interview_cells(row) + cells


LONG_HEADER = [
    "interview_id",
    "uuid",
    "cluster",
    "actor",
    "date",
    "status",
    "question",
    "label",
    "type",
    "value",
    "code",
]


def long_rows(interviews, choices_as=LABELS):
    """The header, then one row per answer."""
    questions, choices = _questions(interviews)
    order = {q.pk: index for index, q in enumerate(questions)}
    formatters = _formatters(questions, choices, choices_as)
    described = {q.pk: (q.code, safe_cell(q.label), q.type) for q in questions}
    yield LONG_HEADER
    for rows, answers in _chunks(interviews, questions):
        for row in rows:
            start = [row["id"], str(row["uuid"]), safe_cell(row["cluster__name"]), safe_cell(row["actor__name"])]
            given = answers[row["id"]]
            for question_id in sorted(given, key=order.get):
                display, code = formatters[question_id](given[question_id])
                yield [*start, row["date"], row["status"], *described[question_id], display, code]


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows):
    """CSV text in pieces (UTF-8 with a byte-order mark, so that spreadsheet programs read the accents)."""
    writer = csv.writer(_Echo())
    pending, size = ["\ufeff"], 0
    for row in rows:
        # The csv module writes None as an empty cell; a Decimal is written the way _text writes it.
        line = writer.writerow([_text(value) if isinstance(value, Decimal) else value for value in row])
        pending.append(line)
        size += len(line)
        if size >= STREAM_PIECE:  # a piece per 64 KB, not per row: a write to the socket each
            yield "".join(pending)
            pending, size = [], 0
    yield "".join(pending)


def xlsx_file(rows, title):
    """An open temporary file holding the workbook, written row by row; the caller streams and closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the FileResponse that streams it
    workbook.save(handle)
    handle.seek(0)
    return handle
