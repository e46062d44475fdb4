"""Interview exports: CSV and XLSX, wide (one row per interview) and long (one row per answer).

Interviews are read in keyset-paginated chunks with their answers, and rows are written as they are
made: a CSV streams to the client, an XLSX is written row by row (openpyxl write-only mode, inline
strings) to a temporary file that is then streamed in chunks. Memory stays flat with 100,000
interviews. Every text cell goes through ``safe_cell`` so that no answer becomes a formula.
"""

import csv
import tempfile
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from clusters.spreadsheets import safe_cell
from surveys.models import Answer, Choice, Question

CHUNK = 500
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


def _chunks(interviews):
    """(interview rows, {interview id: {question id: answer}}) per chunk, by keyset pagination on pk."""
    base = interviews.order_by("pk").values(*(key for key, _header in INTERVIEW_COLUMNS))
    last = 0
    while True:
        rows = list(base.filter(pk__gt=last)[:CHUNK])
        if not rows:
            return
        last = rows[-1]["id"]
        answers = {}
        for interview_id, question_id, text, number, date, flag, choice_id, actor_name in (
            Answer.objects.filter(interview_id__in=[row["id"] for row in rows])
            .order_by("interview_id", "question_id", "chosen__choice__order", "named_actors__actor__name")
            .values_list(
                "interview_id",
                "question_id",
                "text_value",
                "number_value",
                "date_value",
                "bool_value",
                "chosen__choice_id",
                "named_actors__actor__name",
            )
            .iterator(chunk_size=2000)
        ):
            answer = answers.setdefault(interview_id, {}).setdefault(
                question_id, {"text": text, "number": number, "date": date, "flag": flag, "choices": [], "actors": []}
            )
            if choice_id is not None:
                answer["choices"].append(choice_id)
            if actor_name is not None:
                answer["actors"].append(actor_name)
        yield rows, answers


def _answer_value(question, answer, choices, choices_as):
    """(display value, code value) of one answer."""
    if question.type in Question.TEXT_TYPES:
        return answer["text"], answer["text"]
    if question.type in Question.NUMBER_TYPES:
        return answer["number"], answer["number"]
    if question.type == T.DATE:
        return answer["date"], answer["date"]
    if question.type == T.YES_NO:
        code = None if answer["flag"] is None else ("yes" if answer["flag"] else "no")
        label = None if code is None else (_("Yes") if answer["flag"] else _("No"))
        return (code if choices_as == CODES else label), code
    if question.type in Question.CHOICE_TYPES:
        picked = [choices[pk] for pk in answer["choices"] if pk in choices]
        codes = "; ".join(c.value for c in picked)
        labels = "; ".join(c.label for c in picked)
        return (codes if choices_as == CODES else labels), codes
    if question.type == T.ACTOR_RELATIONSHIP:
        names = "; ".join(answer["actors"])
        return names, names
    return None, None


def _cell(value):
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def wide_rows(interviews, choices_as=LABELS):
    """The header, then one row per interview with one column per question code."""
    questions, choices = _questions(interviews)
    codes, by_code = [], {}
    for question in questions:
        if question.code not in by_code:
            codes.append(question.code)
        by_code.setdefault(question.code, []).append(question)
    by_pk = {q.pk: q for q in questions}
    yield [header for _key, header in INTERVIEW_COLUMNS] + codes
    position = {code: index for index, code in enumerate(codes)}
    for rows, answers in _chunks(interviews):
        for row in rows:
            cells = [None] * len(codes)
            for question_id, answer in answers.get(row["id"], {}).items():
                question = by_pk[question_id]
                display, _code = _answer_value(question, answer, choices, choices_as)
                cells[position[question.code]] = _cell(display)
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
    by_pk = {q.pk: q for q in questions}
    order = {q.pk: index for index, q in enumerate(questions)}
    yield LONG_HEADER
    for rows, answers in _chunks(interviews):
        for row in rows:
            start = [row["id"], str(row["uuid"]), safe_cell(row["cluster__name"]), safe_cell(row["actor__name"])]
            for question_id in sorted(answers.get(row["id"], {}), key=order.get):
                question = by_pk[question_id]
                display, code = _answer_value(question, answers[row["id"]][question_id], choices, choices_as)
                yield [
                    *start,
                    row["date"],
                    row["status"],
                    question.code,
                    safe_cell(question.label),
                    question.type,
                    _cell(display),
                    _cell(code),
                ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows):
    """CSV text in pieces (UTF-8 with a byte-order mark, so that spreadsheet programs read the accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(["" if value is None else _text(value) for value in row])


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
