"""A submitted XForm instance (the XML a device sends) read into the terms of surveys.services.

Two pure steps, no database:

- ``read_envelope(xml bytes)`` parses the XML safely (defusedxml) and says which form, version and
  instance it is (``Envelope``): enough to find the questionnaire version and spot a resend.
- ``map_instance(envelope, questions, clusters, ...)`` turns the instance's elements into what
  ``interview_save`` takes: ``answers`` as {(question code, repeat): domain value}, the repeats' instance
  ``counts``, the interview ``details``, the cluster and actor (or a new actor), the files the instance
  names, and ``problems`` (what could not be mapped, each with its reason).

Element names are matched without their namespace (Enketo and Collect write the instance's root in the
XForms namespace or none). Groups nest at any depth; a repeat's instances are sibling elements of one
name, numbered 1, 2, … under each instance of the repeat around it, so every answer is keyed by
(question code, repeat) as interview_save takes them. ``typed_value`` reads one element's text as a domain
value with ``surveys.values.from_instance``, the same reading the whole site uses.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

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


# The prefixes our XForms declare on their root (pyxform's and the site's), by namespace.
KNOWN_PREFIXES = {
    "casebook": "urn:cluster-casebook:xlsform",
    "jr": "http://openrosa.org/javarosa",
    "odk": "http://www.opendatakit.org/xforms",
    "orx": "http://openrosa.org/xforms",
}
_ROOT_TAG = re.compile(rb"\A(\s*(?:<\?.*?\?>\s*)?(?:<!--.*?-->\s*)*<[A-Za-z_][\w.:-]*)", re.DOTALL)


def _parse(xml: bytes):
    """The instance's root element. ODK Web Forms (0.22) writes the site's casebook:type attributes without
    declaring their prefix: an instance whose only fault is an undeclared prefix of our own XForms is read
    with the declarations it lacks added to its root."""
    try:
        return ElementTree.fromstring(xml, forbid_dtd=True)
    except ElementTree.ParseError as error:
        if "unbound prefix" not in str(error):
            raise
        declarations = b"".join(
            f' xmlns:{prefix}="{uri}"'.encode()
            for prefix, uri in KNOWN_PREFIXES.items()
            if f"{prefix}:".encode() in xml and f"xmlns:{prefix}=".encode() not in xml
        )
        repaired, found = _ROOT_TAG.subn(lambda match: match.group(1) + declarations, xml, count=1)
        if not declarations or not found:
            raise
        return ElementTree.fromstring(repaired, forbid_dtd=True)


def read_envelope(xml: bytes) -> Envelope:
    """Parse a submitted instance and read its identity; raises InstanceError if it cannot be read."""
    if len(xml) > MAX_XML_BYTES:
        raise InstanceError(_("The form's XML is larger than 5 MB."))
    try:
        root = _parse(xml)
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

    # {(question code, repeat): domain value}; repeat is "" outside repeats, else "2" or "2.1".
    answers: dict = field(default_factory=dict)
    # {(repeat code, parent repeat): instances} of the repeats the instance holds.
    counts: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    cluster_ref: str = ""
    actor_ref: str = ""
    new_actor: dict | None = None
    # Files the instance names: the interview's own photo {element name: file name} ...
    files: dict = field(default_factory=dict)
    # ... and the answers of photo, audio, video and file questions {(code, repeat): file name}.
    question_files: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    # [(question code or detail name or "", message)]: what could not be mapped and why.
    problems: list = field(default_factory=list)


SKIPPED = frozenset({xforms.REGISTRY_GROUP, "meta", *(xforms.metadata_name(name) for name in xforms.METADATA)})
TEMPLATE = "{http://openrosa.org/javarosa}template"


def _walk(root, structure, mapped):
    """Read every question's element(s) below the root: a group's children at the same repetition, a
    repeat's instances (sibling elements of one name) numbered 1, 2, … under each instance of its parent.
    Leaf elements that are no question of the version are reported (their answers stay in the XML)."""
    from surveys.models import Section

    def visit(element, repeat):
        counters = {}
        stack = list(element)
        while stack:
            child = stack.pop(0)
            name = local(child.tag)
            if name in SKIPPED or child.get(TEMPLATE) is not None:
                continue
            item = structure.by_code.get(name)
            if isinstance(item, Section) and item.is_repeat:
                counters[name] = counters.get(name, 0) + 1
                here = f"{repeat}.{counters[name]}" if repeat else str(counters[name])
                mapped.counts[(name, repeat)] = counters[name]
                visit(child, here)
            elif isinstance(item, Section) or (item is None and len(child)):
                stack[0:0] = list(child)  # a group: its children are at the same repetition
            elif item is not None:
                _answer(item, repeat, _text(child), mapped)
            elif _text(child):
                mapped.problems.append(
                    (name, _("'%(name)s' is not a question of this version; its answer was kept in the XML.")
                     % {"name": name[:64]})
                )  # fmt: skip

    visit(root, "")


def _answer(question, repeat, text, mapped):
    from surveys.services.interviews import answer_key

    if not text or not question.is_answered:
        return
    key = answer_key(question.code, repeat)
    try:
        value = typed_value(question, text)
    except ValueError as error:
        mapped.problems.append((key, str(error)))
        return
    if question.type in Question.CHOICE_TYPES:
        problem = _choice_problem(question, value)
        if problem:
            mapped.problems.append((key, problem))
            return
    if question.type in Question.MEDIA_TYPES:
        mapped.question_files[(question.code, repeat)] = text
    mapped.answers[(question.code, repeat)] = value


def typed_value(question, text):
    """One element's text as the domain value interview_save takes; raises ValueError with a reason."""
    from surveys import values

    if question.type in Question.TEXT_TYPES and question.type not in Question.LOCATION_TYPES:
        return text[:MAX_TEXT]
    try:
        return values.from_instance(question, text)
    except values.ValueProblem as problem:
        raise ValueError(f"'{text[:50]}': {problem.message}") from None


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
    for name in list(values):  # a detail under the site's prefix (xforms.registry_name) is read as the detail
        if name.startswith(xforms.SITE_PREFIX):
            values.setdefault(name.removeprefix(xforms.SITE_PREFIX), values[name])
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


def map_instance(envelope: Envelope, structure) -> Mapped:
    """The instance's answers, details and files in interview_save's terms, and what could not be mapped.

    ``structure`` is the version's ``surveys.engine.Structure`` (questions with their choices, groups and
    repeats). An answer that cannot be typed, or that picks an option the version no longer has, is left
    out and reported in ``problems``."""
    mapped = Mapped()
    root = envelope.root
    _details(_child(root, xforms.REGISTRY_GROUP), mapped)
    mapped.metadata = {name: _text(_child(root, xforms.metadata_name(name))) for name in xforms.METADATA}
    _walk(root, structure, mapped)
    return mapped
