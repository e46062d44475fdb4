"""Interview exports: CSV and XLSX, wide (one row per interview) and long (one row per answer).

Interviews are read in keyset-paginated chunks with their answers, and rows are written as they are
made: a CSV streams to the client, an XLSX is written row by row (openpyxl write-only mode, inline
strings) to a temporary file that is then streamed in chunks. Memory stays flat with 100,000
interviews. Every text cell goes through ``safe_cell`` so that no answer becomes a formula.

Repeats (a firm's product lines): the wide XLSX has a sheet per repeat, one row per instance with the
interview's id and the instance's number; the wide CSV holds the questions outside repeats, and the long
exports hold every answer with its repetition. A location is four columns (latitude, longitude,
altitude, accuracy). Labels are in the form language asked for (``language``), else the usual one.
"""

import csv
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connection, connections
from django.utils.translation import gettext as _
from openpyxl import Workbook

from clusters.spreadsheets import safe_cell
from surveys import values
from surveys.models import Answer, AnswerActor, Choice, Question, Section

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


def _questions(interviews, language=None):
    """Questions of the versions in the export, in the form's order, their choices and the repeat each
    question is in (three queries); what a form records or shows by itself (notes) is left out."""
    versions = interviews.order_by().values("version_id").distinct()
    questions = [
        q
        for q in Question.objects.filter(version__in=versions)
        .select_related("section", "version")
        .order_by("version_id", "order", "pk")
        if q.is_answered
    ]
    choices = {c.pk: c for c in Choice.objects.filter(question__version__in=versions).select_related("question")}
    sections = {s.pk: s for s in Section.objects.filter(version__in=versions)}
    repeat_of = {}
    for question in questions:
        question.use_language(language, question.version.default_language)
        section = sections.get(question.section_id)
        while section is not None and not section.is_repeat:
            section = sections.get(section.parent_id)
        if section is not None:
            section.use_language(language, question.version.default_language)
            repeat_of[question.pk] = section
    for choice in choices.values():
        choice.use_language(language, choice.question.version.default_language)
    return questions, choices, repeat_of


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


# A stored answer as _chunks reads it: [text, number, date, flag, choice ids or None, actor names or None,
# time, date and time].
TEXT, NUMBER, DATE, FLAG, CHOSEN, ACTORS, TIME, MOMENT = range(8)


# An answer with its chosen options as _chunks reads them: an answer with two options comes twice.
ANSWER_COLUMNS = (
    "interview_id",
    "question_id",
    "repeat",
    "text_value",
    "number_value",
    "date_value",
    "bool_value",
    "chosen__choice_id",
    "time_value",
    "datetime_value",
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
            repeated = {}  # answers inside repeats: {interview id: {(question id, repeat): answer}}
            for interview_id, question_id, repeat, text, number, date, flag, choice_id, time, moment in found:
                if repeat:
                    given, key = repeated.setdefault(interview_id, {}), (question_id, repeat)
                else:
                    given, key = answers[interview_id], question_id
                answer = given.get(key)
                if answer is None:  # the option lists are made only for answers that have options
                    chosen = None if choice_id is None else [choice_id]
                    given[key] = [text, number, date, flag, chosen, None, time, moment]
                else:
                    answer[CHOSEN].append(choice_id)
            found.clear()
            if with_actors:
                chunk = interviews.filter(pk__gt=after, pk__lte=last).order_by().values("pk")
                for interview_id, question_id, repeat, name in (
                    AnswerActor.objects.filter(answer__interview__in=chunk)
                    .order_by("actor__name")
                    .values_list("answer__interview_id", "answer__question_id", "answer__repeat", "actor__name")
                ):
                    if repeat:
                        answer = repeated[interview_id][(question_id, repeat)]
                    else:
                        answer = answers[interview_id][question_id]
                    if answer[ACTORS] is None:
                        answer[ACTORS] = []
                    answer[ACTORS].append(name)
            yield rows, answers, repeated
            # The caller is done with this chunk: free it, so that besides the chunk being written only
            # the next one, being read, is held (the caller's loop variables would keep it alive).
            rows.clear()
            answers.clear()
            repeated.clear()
    finally:
        if reader is not None:
            reader.submit(connections.close_all).result()  # the thread's own connection
            reader.shutdown()


def _formatters(questions, choices, choices_as):
    """{question id: function(answer) -> (display cell, code cell)}, made once per export.

    Labels are looked up once per option here, not once per answer (a label reads the active
    language each time it is read)."""
    yes, no = values.yes_no(True), values.yes_no(False)
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

    def time(answer):
        value = answer[TIME]
        text = value.strftime("%H:%M:%S") if value is not None else None
        return text, text

    def moment(answer):
        value = answer[MOMENT]
        text = values.to_instance(_DATETIME, value) if value is not None else None
        return text, text

    def location(answer):
        # Four cells: latitude, longitude, altitude, accuracy (numbers), for the four columns of a location.
        parts = values.location_parts(answer[TEXT])
        cells = tuple(float(part) if part is not None else None for part in parts)
        return cells, cells

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
                safe_cell(values.LIST_SEPARATOR.join(shown[pk] for pk in picked)),
                safe_cell(values.LIST_SEPARATOR.join(codes[pk] for pk in picked)),
            )
        return cells

    def actors(answer):
        names = safe_cell(values.LIST_SEPARATOR.join(answer[ACTORS] or ()))
        return names, names

    def nothing(answer):
        return None, None

    by_kind = {
        values.Shown.LOCATION: location,
        values.Shown.TIME: time,
        values.Shown.MOMENT: moment,
        values.Shown.TEXT: text,
        values.Shown.NUMBER: number,
        values.Shown.DATE: date,
        values.Shown.FLAG: flag,
        values.Shown.CHOSEN: chosen,
        values.Shown.ACTORS: actors,
        values.Shown.NOTHING: nothing,
    }

    return {question.pk: by_kind[values.shown_as(question)] for question in questions}


LOCATION_PARTS = ("latitude", "longitude", "altitude", "accuracy")
_DATETIME = Question(type=T.DATETIME)


def _columns(questions):
    """(the column names, {question id: column}) of questions: one per code (a version's question shares
    its code's column with the same question of other versions); four for a location."""
    names, position, by_code = [], {}, {}
    for question in questions:
        if question.code not in by_code:
            by_code[question.code] = len(names)
            if question.type == T.GEOPOINT:
                names.extend(f"{question.code}_{part}" for part in LOCATION_PARTS)
            else:
                names.append(question.code)
        position[question.pk] = by_code[question.code]
    return names, position


def wide_rows(interviews, choices_as=LABELS, language=None):
    """The header, then one row per interview with a column per question outside repeats."""
    for _sheet, row in _wide(interviews, choices_as, language, with_repeats=False):
        yield row


def wide_sheets(interviews, choices_as=LABELS, language=None):
    """(sheet title, row) pairs: the interviews' sheet, then a sheet per repeat (one row per instance)."""
    return _wide(interviews, choices_as, language, with_repeats=True)


def _wide(interviews, choices_as, language, *, with_repeats):
    questions, choices, repeat_of = _questions(interviews, language)
    main = [q for q in questions if q.pk not in repeat_of]
    codes, place = _columns(main)
    main_title = _("Interviews")
    yield main_title, [header for _key, header in INTERVIEW_COLUMNS] + codes
    formatters = _formatters(questions, choices, choices_as)
    spread = {q.pk for q in questions if q.type == T.GEOPOINT}
    width = len(codes)
    repeats = {}  # repeat code -> (sheet title, its questions' columns, width)
    if with_repeats:
        for question in questions:
            section = repeat_of.get(question.pk)
            if section is not None:
                repeats.setdefault(section.code, (section, []))[1].append(question)
        sheets = {}
        for code, (_section, members) in repeats.items():
            names, positions = _columns(members)
            title = re.sub(r"[\[\]:*?/\\]", "_", code)[:31]
            if title.casefold() == str(main_title).casefold() or title in {t for t, _p, _w in sheets.values()}:
                title = f"{title[:28]}_{len(sheets) + 1}"
            sheets[code] = (title, positions, len(names))
            yield title, ["interview_id", "uuid", "repeat", *names]
        section_of = {q.pk: repeat_of[q.pk].code for q in questions if q.pk in repeat_of}
    for rows, answers, repeated in _chunks(interviews, questions):
        for row in rows:
            cells = [None] * width
            for question_id, answer in answers[row["id"]].items():
                if question_id in spread:
                    at = place[question_id]
                    cells[at : at + 4] = formatters[question_id](answer)[0]
                elif question_id in place:
                    cells[place[question_id]] = formatters[question_id](answer)[0]
            yield main_title, _interview_cells(row) + cells
            if not with_repeats or row["id"] not in repeated:
                continue
            instances = {}
            for (question_id, repeat), answer in repeated[row["id"]].items():
                code = section_of.get(question_id)
                if code is None:
                    continue
                title, positions, size = sheets[code]
                line = instances.get((code, repeat))
                if line is None:
                    line = instances[(code, repeat)] = [None] * size
                at = positions[question_id]
                if question_id in spread:
                    line[at : at + 4] = formatters[question_id](answer)[0]
                else:
                    line[at] = formatters[question_id](answer)[0]
            for (code, repeat), line in sorted(instances.items(), key=lambda item: (item[0][0], _path(item[0][1]))):
                yield sheets[code][0], [row["id"], str(row["uuid"]), repeat, *line]


def _path(repeat):
    return tuple(int(part) for part in repeat.split("."))


LONG_HEADER = [
    "interview_id",
    "uuid",
    "cluster",
    "actor",
    "date",
    "status",
    "question",
    "repeat",
    "label",
    "type",
    "value",
    "code",
]


def long_rows(interviews, choices_as=LABELS, language=None):
    """The header, then one row per answer (with its repetition inside repeats)."""
    questions, choices, _repeat_of = _questions(interviews, language)
    order = {q.pk: index for index, q in enumerate(questions)}
    formatters = _formatters(questions, choices, choices_as)
    described = {q.pk: (q.code, safe_cell(q.label), q.type) for q in questions}
    spread = {q.pk for q in questions if q.type == T.GEOPOINT}
    yield LONG_HEADER
    for rows, answers, repeated in _chunks(interviews, questions):
        for row in rows:
            start = [row["id"], str(row["uuid"]), safe_cell(row["cluster__name"]), safe_cell(row["actor__name"])]
            given = answers[row["id"]]
            every = [((question_id, ""), answer) for question_id, answer in given.items() if question_id in order]
            every += [(key, answer) for key, answer in repeated.get(row["id"], {}).items() if key[0] in order]
            every.sort(key=lambda item: (order[item[0][0]], _path(item[0][1]) if item[0][1] else ()))
            for (question_id, repeat), answer in every:
                display, code = formatters[question_id](answer)
                if question_id in spread:
                    display = code = answer[TEXT]
                code_, label, qtype = described[question_id]
                yield [*start, row["date"], row["status"], code_, repeat, label, qtype, display, code]


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


def xlsx_workbook(sheet_rows):
    """An open temporary file holding a workbook of several sheets, written as (sheet title, row) pairs
    arrive (a sheet is made on its first row); the caller streams and closes it."""
    workbook = Workbook(write_only=True)
    sheets = {}
    for title, row in sheet_rows:
        sheet = sheets.get(title)
        if sheet is None:
            sheet = sheets[title] = workbook.create_sheet(title=str(title)[:31] or "-")
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the FileResponse that streams it
    workbook.save(handle)
    handle.seek(0)
    return handle


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
