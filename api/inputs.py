"""API input as the site's forms read it, and the forms' errors back under the API's field names.

The API checks what people send with the very forms the pages use (the interview form's fields and
parsers, the registry's actor form), so that a value refused on a page is refused here with the same
message, and a value accepted here is stored exactly as the page would store it.
"""

import datetime
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext as _

from clusters.models import Actor
from surveys.forms import InterviewForm, count_field_name, question_field_name
from surveys.forms.interviews import MAX_INSTANCES
from surveys.models import Question

T = Question.Type


def query_dict(values):
    """A QueryDict (what a form gets from a POST) from {name: text or list of texts}."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None:
            continue
        data.setlist(name, [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)])
    return data


def form_errors(form, renames):
    """{api field: [messages]} from a bound form's errors; ``renames`` maps form field names to API names."""
    errors = {}
    for name, messages in form.errors.items():
        target = "" if name == "__all__" else renames.get(name, name)
        errors.setdefault(target, []).extend(str(message) for message in messages)
    return errors


# --- Actors -----------------------------------------------------------------------------------------

# The actor's fields as the form takes them; the region is three fields there (department, province, district).
ACTOR_TEXT_FIELDS = tuple(name for name in Actor.EDITABLE_FIELDS if name != "region")
ACTOR_RENAMES = {"department": "region", "province": "region", "district": "region", "create_anyway": "allow_similar"}


def actor_form_data(data):
    """ActorCreateForm's data from the API's actor (the region as one ubigeo code, 2, 4 or 6 digits)."""
    values = {name: data.get(name, "") for name in (*ACTOR_TEXT_FIELDS, "cluster", "role")}
    if data.get("sales_uit") is not None:
        values["sales_uit"] = data["sales_uit"]
    code = (data.get("region") or "").strip()
    if code:
        values["department"] = code[:2]
        if len(code) >= 4:
            values["province"] = code[:4]
        if len(code) >= 6:
            values["district"] = code[:6]
    if data.get("allow_similar"):
        values["create_anyway"] = "on"
    return query_dict(values)


# --- Interviews -------------------------------------------------------------------------------------


class WrongType(ValueError):
    pass


def _answer_text(question, value):
    """The text (or texts) the interview form's field for ``question`` reads, from a JSON value."""
    qtype = question.type
    if qtype in (T.INTEGER, T.DECIMAL, T.SCALE, T.RANGE):
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise WrongType(_("Send a number."))
        if qtype in (T.SCALE, T.INTEGER, T.RANGE) and isinstance(value, float | Decimal) and value == int(value):
            value = int(value)
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if qtype == T.YES_NO:
        if not isinstance(value, bool):
            raise WrongType(_("Send true or false."))
        return "yes" if value else "no"
    if qtype == T.ACKNOWLEDGE:
        if not isinstance(value, bool):
            raise WrongType(_("Send true or false."))
        return "on" if value else ""
    if qtype in (T.MULTIPLE_CHOICE, T.ACTOR_RELATIONSHIP):
        if not isinstance(value, list):
            raise WrongType(_("Send a list."))
        wanted = int if qtype == T.ACTOR_RELATIONSHIP else str
        if any(isinstance(item, bool) or not isinstance(item, wanted) for item in value):
            raise WrongType(_("Send a list of actor ids.") if wanted is int else _("Send a list of option values."))
        return [str(item) for item in value]
    if qtype == T.DATE:
        if not isinstance(value, str):
            raise WrongType(_("Send a date as YYYY-MM-DD."))
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise WrongType(_("Send a date as YYYY-MM-DD.")) from None
        return value
    if qtype in Question.MEDIA_TYPES:
        raise WrongType(_("Files are sent from the web form or a device (OpenRosa), not through the API."))
    if not isinstance(value, str):
        raise WrongType(_("Send text."))
    if qtype == T.GEOPOINT:
        return value.split()[:4] + [""] * (4 - len(value.split()[:4]))
    return value


def _instances(structure, code, value, errors):
    """[(repeat, value)] of an answer: the value itself outside repeats, {repetition: value} inside."""
    if not structure.repeats_of.get(code):
        return [("", value)]
    depth = len(structure.repeats_of[code])
    if not isinstance(value, dict):
        errors[f"answers.{code}"] = [_('This question is inside a repeat: send {repetition: value}, e.g. {"1": …}.')]
        return []
    pairs = []
    for repeat, item in value.items():
        parts = str(repeat).split(".")
        if len(parts) != depth or not all(part.isdigit() and 0 < int(part) <= MAX_INSTANCES for part in parts):
            errors[f"answers.{code}.{repeat}"] = [_("A repetition is a number from 1 (2.1 inside two repeats).")]
            continue
        pairs.append((".".join(str(int(part)) for part in parts), item))
    return pairs


def interview_form_data(data, structure, *, form_token):
    """(InterviewForm's data, errors) from the API's interview; errors for answers of the wrong JSON type
    or for unknown question codes."""
    errors = {}
    values = {
        "uuid": data["uuid"],
        "form_token": form_token,
        "date": data["date"].isoformat(),
        "respondent_name": data.get("respondent_name", ""),
        "respondent_position": data.get("respondent_position", ""),
        "place": data.get("place", ""),
        "mode": data.get("mode") or "in_person",
        "notes": data.get("notes", ""),
    }
    if data.get("actor") is not None:
        values["actor"] = data["actor"]
    new_actor = data.get("new_actor") or {}
    if new_actor:
        values.update(
            new_actor_name=new_actor.get("name", ""),
            new_actor_kind=new_actor.get("kind", ""),
            new_actor_ruc=new_actor.get("ruc", ""),
        )
    if data.get("duration_minutes") is not None:
        values["duration"] = data["duration_minutes"]
    if data.get("consent_given"):
        values["consent_given"] = "on"
    keys = {}
    for code, value in (data.get("answers") or {}).items():
        question = structure.by_code.get(code)
        if not isinstance(question, Question):
            errors[f"answers.{code}"] = [_("This questionnaire version has no question with this code.")]
            continue
        for repeat, item in _instances(structure, code, value, errors):
            if item is None:
                continue
            keys[(code, repeat)] = True
            try:
                text = _answer_text(question, item)
            except WrongType as problem:
                errors[f"answers.{code}" + (f".{repeat}" if repeat else "")] = [str(problem)]
                continue
            name = question_field_name(question, repeat)
            if question.type == T.GEOPOINT:
                for index, part in enumerate(text):
                    values[f"{name}_{index}"] = part
            else:
                values[name] = text
    for (repeat_code, parent), number in InterviewForm.counts_for(keys, structure).items():
        values[count_field_name(repeat_code, parent)] = number
    return query_dict(values), errors


def interview_renames(form):
    """Form field names -> API names ("answers.code", "answers.code.2")."""
    renames = {
        name: f"answers.{code}" + (f".{repeat}" if repeat else "")
        for (code, repeat), name in form.answer_fields.items()
    }
    renames.update(
        new_actor_name="new_actor.name",
        new_actor_kind="new_actor.kind",
        new_actor_ruc="new_actor.ruc",
        duration="duration_minutes",
        form_token="",
        lock_version="",
    )
    return renames


def service_errors(error, form):
    """{api field: [messages]} from a ValidationError raised by interview_save (answers named by their key:
    the code, and the repetition after '__')."""
    service_names = {"name": "new_actor.name", "kind": "new_actor.kind", "ruc": "new_actor.ruc"}
    if not hasattr(error, "error_dict"):
        return {"": [str(message) for message in error.messages]}
    errors = {}
    for name, messages in error.message_dict.items():
        code, _sep, repeat = name.partition("__")
        if form.field_for(name):
            target = f"answers.{code}" + (f".{repeat}" if repeat else "")
        else:
            target = service_names.get(name, name)
        target = "" if target == "__all__" else target
        errors.setdefault(target, []).extend(str(message) for message in messages)
    return errors
