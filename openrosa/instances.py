"""A submitted XForm instance (the XML a device sends) read into the terms of surveys.services.

Two pure steps, no database:

- ``read_envelope(xml bytes)`` parses the XML safely (defusedxml) and says which form, version and
  instance it is (``Envelope``): enough to find the questionnaire version and spot a resend.
- ``map_instance(envelope, questions, clusters, ...)`` turns the instance's elements into what
  ``interview_save`` takes: ``answers`` as {question code: domain value} (text, Decimal, date, bool,
  choice value(s), actor ids), the interview ``details``, the cluster and actor (or a new actor), the
  files the instance names, and ``problems`` (what could not be mapped, each with its reason).

Element names are matched without their namespace (Enketo and Collect write the instance's root in the
XForms namespace or none). Today a questionnaire is one level of sections, so a question is found by its
code wherever it sits (codes are unique in a version). The seams for groups and repeats are
``_question_elements`` (where a question's element(s) are found) and ``typed_value`` (one element's text
as a domain value): a repeat gives several elements per code, each with its repeat index.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from openrosa import xforms
from surveys.models import Interview, Question

T = Question.Type
MAX_XML_BYTES = 5 * 1024 * 1024
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
MAX_TEXT = 10_000


class InstanceError(Exception):
    """The XML is not an instance we can read at all (the message says why, in the user's language)."""


def local(tag: str) -> str:
    """An element's name without its namespace: '{http://www.w3.org/2002/xforms}data' -> 'data'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class Envelope:
    """What identifies a submitted instance, and its parsed tree."""

    root: object
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str = ""

    @property
    def interview_uuid(self) -> uuid.UUID:
        """The interview's client id: the instance's own uuid (``uuid:…``), or one derived from its id."""
        text = self.instance_id.removeprefix("uuid:")
        try:
            return uuid.UUID(text)
        except ValueError:
            return uuid.uuid5(uuid.NAMESPACE_URL, f"openrosa-instance:{self.instance_id}")


def _child(element, name):
    for child in element:
        if local(child.tag) == name:
            return child
    return None


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def read_envelope(xml: bytes) -> Envelope:
    """Parse a submitted instance and read its identity; raises InstanceError if it cannot be read."""
    if len(xml) > MAX_XML_BYTES:
        raise InstanceError(_("The form's XML is larger than 5 MB."))
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except Exception as error:  # defusedxml's refusals and expat's syntax errors alike
        raise InstanceError(_("The form's XML cannot be read: %(error)s") % {"error": error}) from None
    meta = _child(root, "meta")
    instance_id = _text(_child(meta, "instanceID")) if meta is not None else ""
    instance_id = instance_id or root.get("instanceID", "")
    if not instance_id:
        raise InstanceError(_("The form has no instanceID (meta/instanceID)."))
    return Envelope(
        root=root,
        form_id=root.get("id", "") or root.get("xmlns", ""),
        version=root.get("version", ""),
        instance_id=instance_id[:255],
        deprecated_id=(_text(_child(meta, "deprecatedID")) if meta is not None else "")[:255],
    )


@dataclass
class Mapped:
    """An instance in the terms of ``interview_save`` (see the module docstring)."""

    answers: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    cluster_ref: str = ""
    actor_ref: str = ""
    new_actor: dict | None = None
    # File names the instance refers to: {element name: file name} (today the interview's photo).
    files: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    # [(question code or detail name or "", message)]: what could not be mapped and why.
    problems: list = field(default_factory=list)


def _question_elements(root, codes):
    """{code: element} of the questions' elements anywhere below the root (registry and meta excluded),
    and the names of leaf elements that are no question of the version."""
    found, unknown = {}, []
    skip = {xforms.REGISTRY_GROUP, "meta", *(f"casebook-{name}" for name in xforms.METADATA)}
    stack = [child for child in root if local(child.tag) not in skip]
    while stack:
        element = stack.pop(0)
        name = local(element.tag)
        if name in codes:
            found[name] = element
        elif len(element):
            stack[0:0] = list(element)  # a section (group): read its children in order
        elif _text(element):
            unknown.append(name)
    return found, unknown


def _number(text, *, whole):
    if not NUMBER.fullmatch(text):
        raise ValueError
    value = Decimal(text)
    if whole and value != value.to_integral_value():
        raise ValueError
    return value


def typed_value(question, text):
    """One element's text as the domain value interview_save takes; raises ValueError with a reason."""
    kind = question.type
    if kind in Question.TEXT_TYPES:
        return text[:MAX_TEXT]
    if kind in Question.NUMBER_TYPES:
        try:
            return _number(text, whole=kind != T.DECIMAL)
        except (ValueError, InvalidOperation):
            raise ValueError(_("'%(text)s' is not a number of the expected kind.") % {"text": text[:50]}) from None
    if kind == T.DATE:
        if DATE.match(text):  # a date, or the date part of a dateTime
            try:
                return datetime.date.fromisoformat(text[:10])
            except ValueError:
                pass
        raise ValueError(_("'%(text)s' is not a date.") % {"text": text[:50]})
    if kind == T.YES_NO:
        if text not in ("yes", "no"):
            raise ValueError(_("'%(text)s' is not yes or no.") % {"text": text[:50]})
        return text == "yes"
    if kind == T.SINGLE_CHOICE:
        return text
    if kind == T.MULTIPLE_CHOICE:
        return list(dict.fromkeys(text.split()))
    if kind == T.ACTOR_RELATIONSHIP:
        values = text.split()
        if not all(value.isdigit() for value in values):
            raise ValueError(_("'%(text)s' does not name actors of the registry.") % {"text": text[:50]})
        return [int(value) for value in dict.fromkeys(values)]
    raise ValueError(_("Questions of type %(type)s are not read from devices yet.") % {"type": kind})


def _choice_problem(question, value):
    """Why a chosen value is not an option of the question (e.g. removed since the device got the form)."""
    options = {choice.value for choice in question.choices.all()}
    chosen = [value] if isinstance(value, str) else value
    missing = [item for item in chosen if item not in options]
    if missing:
        return _("The option '%(value)s' is not in this version of the questionnaire.") % {
            "value": ", ".join(missing)[:100]
        }
    return None


def _details(group, mapped):
    if group is None:
        mapped.problems.append(("", _("The form has no interview details (cluster, actor, date).")))
        return
    values = {local(child.tag): _text(child) for child in group}
    mapped.cluster_ref = values.get(xforms.CLUSTER_FIELD, "")
    mapped.actor_ref = values.get(xforms.ACTOR_FIELD, "")
    if mapped.actor_ref == xforms.NEW_ACTOR:
        mapped.new_actor = {
            field_name: values.get(element, "")[:255]
            for element, field_name in xforms.NEW_ACTOR_FIELDS.items()
            if values.get(element, "")
        }
        if not mapped.new_actor.get("name"):
            mapped.problems.append(("actor", _("A new actor was proposed without a name.")))
            mapped.new_actor = None
    for element, name in xforms.DETAIL_ELEMENTS.items():
        text = values.get(element, "")
        if name == "date":
            try:
                mapped.details[name] = datetime.date.fromisoformat(text[:10])
            except ValueError:
                mapped.problems.append((name, _("The interview date '%(text)s' is not a date.") % {"text": text[:50]}))
        elif name == "mode":
            if text in Interview.Mode.values:
                mapped.details[name] = text
            elif text:
                mapped.problems.append((name, _("The mode '%(text)s' is unknown.") % {"text": text[:50]}))
        elif name == "duration":
            if text.isdigit() and int(text) <= 24 * 60:
                mapped.details[name] = datetime.timedelta(minutes=int(text))
            elif text:
                mapped.problems.append((name, _("The duration '%(text)s' is not minutes.") % {"text": text[:50]}))
        elif name == "consent_given":
            mapped.details[name] = text == "yes"
        else:
            limit = 200 if name == "place" else 150
            mapped.details[name] = text[:MAX_TEXT] if name == "notes" else text[:limit]
    photo = values.get(xforms.PHOTO_FIELD, "")
    if photo:
        mapped.files[xforms.PHOTO_FIELD] = photo


def map_instance(envelope: Envelope, questions) -> Mapped:
    """The instance's answers, details and files in interview_save's terms, and what could not be mapped.

    ``questions`` are the version's questions (with their choices prefetched). An answer that cannot be
    typed, or that picks an option the version no longer has, is left out and reported in ``problems``.
    """
    mapped = Mapped()
    root = envelope.root
    _details(_child(root, xforms.REGISTRY_GROUP), mapped)
    mapped.metadata = {name: _text(_child(root, f"casebook-{name}")) for name in xforms.METADATA}
    by_code = {question.code: question for question in questions}
    elements, unknown = _question_elements(root, by_code)
    for code, element in elements.items():
        text = _text(element)
        if not text:
            continue
        question = by_code[code]
        try:
            value = typed_value(question, text)
        except ValueError as error:
            mapped.problems.append((code, str(error)))
            continue
        if question.type in Question.CHOICE_TYPES:
            problem = _choice_problem(question, value)
            if problem:
                mapped.problems.append((code, problem))
                continue
        mapped.answers[code] = value
    for name in unknown:
        mapped.problems.append((name, _("'%(name)s' is not a question of this version; its answer was kept in the XML.")
                                % {"name": name[:64]}))  # fmt: skip
    return mapped
