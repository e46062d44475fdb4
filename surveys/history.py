"""An interview's change log as people read it.

The log (InterviewChange.changes) stores ``[what, before, after]`` with question codes, field names and
stored values ("tamano: — → pequena", "consent_given: no → yes"): stable, whatever language the reader
speaks. This module puts them into words at display time, through the questions and choices of the
interview's own version, which the page has already read.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clusters.history import person
from clusters.models import Actor
from surveys.models import Interview, InterviewChange, Question

T = Question.Type


@dataclass(frozen=True)
class HistoryLine:
    what: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    who: str
    when: datetime.datetime
    comment: str
    lines: list[HistoryLine]


def interview_history(interview, questions, *, limit=50):
    """The latest ``limit`` entries of the interview's log, newest first, in words: question and choice labels,
    the form's field names and choices, actors by name. Saves that changed nothing are left out.

    ``questions`` are the version's questions with their choices prefetched (the detail page has them). Two
    queries at most: the log, and the actors whose change it records."""
    entries = list(
        interview.changes.exclude(action=InterviewChange.Action.SAVED, changes=[], comment="").select_related(
            "changed_by"
        )[:limit]
    )
    by_code = {question.code: question for question in questions}
    actor_ids = {
        int(value)
        for entry in entries
        for what, *values in entry.changes
        if what == "actor_id"
        for value in values
        if value and str(value).isdigit()
    }
    actors = dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name")) if actor_ids else {}
    return [
        HistoryEntry(
            action=entry.get_action_display(),
            who=person(entry.changed_by),
            when=entry.changed_at,
            comment=entry.comment,
            lines=[_line(what, before, after, by_code, actors) for what, before, after in entry.changes],
        )
        for entry in entries
    ]


def _line(what, before, after, by_code, actors):
    code, _sep, repeat = str(what).partition("__")  # an answer inside a repeat: "code__2"
    question = by_code.get(code)
    if question is not None:
        label = question.label or question.code
        if repeat:
            label = f"{label} ({repeat})"
        return HistoryLine(label, _answer(question, before), _answer(question, after))
    return HistoryLine(_field_name(what), _field_value(what, before, actors), _field_value(what, after, actors))


def _answer(question, value):
    if value is None:
        return None
    if question.type == T.YES_NO:
        return _yes_no(value)
    if question.type in Question.CHOICE_TYPES:
        labels = {choice.value: choice.label for choice in question.choices.all()}
        values = [value] if question.type == T.SINGLE_CHOICE else value.split("; ")
        return "; ".join(labels.get(v, v) for v in values)
    if question.type == T.DATE:
        return _date(value)
    return value


def _field_name(name):
    if name == "attachment":
        return _("Attachment")
    try:
        field = Interview._meta.get_field("actor" if name == "actor_id" else name)
    except FieldDoesNotExist:  # an old entry may name a field that no longer exists
        return name
    return capfirst(field.verbose_name)


def _field_value(name, value, actors):
    if value is None:
        return None
    if name == "consent_given":
        return _yes_no(value)
    if name == "mode":
        try:
            return Interview.Mode(value).label
        except ValueError:
            return value
    if name == "date":
        return _date(value)
    if name == "actor_id":
        return actors.get(int(value), value) if str(value).isdigit() else value
    return value


def _yes_no(value):
    return {"yes": _("Yes"), "no": _("No")}.get(value, value)


def _date(value):
    try:
        return date_format(datetime.date.fromisoformat(value))
    except ValueError:
        return value
