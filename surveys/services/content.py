"""Writes of a draft version's content: its groups and repeats, its questions and their choices, kept in
one order (groups and questions numbered depth first). Only a draft changes; every expression is checked
against the version's names before it is saved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from surveys import formcheck
from surveys.languages import ENGLISH, SPANISH
from surveys.models import Choice, Question, QuestionnaireVersion, Section

T = Question.Type

QUESTION_FIELDS = (
    "section",
    "code",
    "type",
    "labels",
    "hints",
    "required",
    "required_if",
    "required_messages",
    "relevant",
    "constraint",
    "constraint_messages",
    "min_value",
    "max_value",
    "calculation",
    "default",
    "read_only",
    "trigger",
    "choice_filter",
    "appearance",
    "parameters",
    "list_name",
    "relationship_kind",
    "extra",
)
SECTION_FIELDS = ("parent", "kind", "code", "labels", "relevant", "appearance", "repeat_count", "extra")
YES_NO_LABELS = (("yes", {SPANISH: "Sí", ENGLISH: "Yes"}), ("no", {SPANISH: "No", ENGLISH: "No"}))


def _require_draft(version):
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(
            _("Version %(number)s is published and cannot change. Edit the questionnaire to make a new draft.")
            % {"number": version.number}
        )


def _texts(texts):
    """{language: text} with the texts trimmed and the empty ones left out."""
    return {str(language): str(text).strip() for language, text in (texts or {}).items() if str(text or "").strip()}


# --- Order: one sequence for groups and questions ----------------------------------------------------


def _renumber(version, *, moving=None, after=None):
    """Give every group and question of the version its place in the form (1, 2, …), depth first.

    ``moving`` (a section or question already saved with its new parent) is put last among its parent's
    children, or right after ``after`` (a sibling) when given.
    """
    sections = list(Section.objects.filter(version=version).order_by("order", "pk"))
    questions = list(Question.objects.filter(version=version).order_by("order", "pk"))
    children: dict = {}
    for node in [*sections, *questions]:
        parent = node.parent_id if isinstance(node, Section) else node.section_id
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, isinstance(n, Question), n.pk))
    if moving is not None:
        parent = moving.parent_id if isinstance(moving, Section) else moving.section_id
        siblings = children.setdefault(parent, [])
        loaded = sections if isinstance(moving, Section) else questions
        moving = next(n for n in loaded if n.pk == moving.pk)  # the instance that is saved below
        siblings[:] = [n for n in siblings if not (type(n) is type(moving) and n.pk == moving.pk)]
        position = len(siblings)
        if after is not None:
            for index, node in enumerate(siblings):
                if type(node) is type(after) and node.pk == after.pk:
                    position = index + 1
        siblings.insert(position, moving)
    number = 0
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        number += 1
        node.order = number
        if isinstance(node, Section):
            stack.extend(reversed(children.get(node.pk, [])))
    Section.objects.bulk_update(sections, ["order"], batch_size=1000)
    Question.objects.bulk_update(questions, ["order"], batch_size=1000)
    return moving.order if moving is not None else None


def _descendant_ids(section):
    """The pks of the sections inside ``section`` (at any depth), itself included."""
    ids, frontier = {section.pk}, [section.pk]
    while frontier:
        frontier = list(Section.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


# --- Groups and repeats -----------------------------------------------------------------------------


def _check_parent(version, parent, section=None):
    if parent is None:
        return
    if parent.version_id != version.pk:
        raise ValidationError({"parent": _("That group belongs to another version.")})
    if section is not None and section.pk in _descendant_ids(section) & {parent.pk}:
        raise ValidationError({"parent": _("A group cannot go inside itself.")})
    if section is not None and parent.pk in _descendant_ids(section):
        raise ValidationError({"parent": _("A group cannot go inside one of its own groups.")})


def _check_unique_name(version, code, *, section=None, question=None):
    sections = Section.objects.filter(version=version, code=code).exclude(pk=getattr(section, "pk", None))
    questions = Question.objects.filter(version=version, code=code).exclude(pk=getattr(question, "pk", None))
    if sections.exists() or questions.exists():
        raise ValidationError(
            {"code": _("Another question or group of this version has the code %(code)s.") % {"code": code}}
        )


def _check_section_expressions(version, section):
    names = _names(version)
    for field, text in formcheck.expressions_of(section):
        message = formcheck.expression_message(text, names, field)
        if message:
            raise ValidationError({field: message})


@transaction.atomic
def section_create(*, version, code, labels, parent=None, kind=Section.Kind.GROUP, **fields):
    """Add a group (or a repeat) to a draft version, last inside ``parent`` (or at the end of the form)."""
    _require_draft(version)
    _check_parent(version, parent)
    section = Section(version=version, code=code, labels=_texts(labels), parent=parent, kind=kind, order=0)
    for name, value in fields.items():
        if name not in SECTION_FIELDS:
            raise TypeError(f"unknown section field {name}")
        setattr(section, name, value)
    section.full_clean(exclude=["order"])
    _check_unique_name(version, code, section=section)
    _check_section_expressions(version, section)
    section.save()
    section.order = _renumber(version, moving=section)
    return section


@transaction.atomic
def section_update(*, section, **fields):
    version = section.version
    _require_draft(version)
    old_parent = section.parent_id
    for name, value in fields.items():
        if name not in SECTION_FIELDS:
            raise TypeError(f"unknown section field {name}")
        setattr(section, name, _texts(value) if name == "labels" else value)
    _check_parent(version, section.parent, section)
    section.full_clean(exclude=["order"])
    _check_unique_name(version, section.code, section=section)
    _check_section_expressions(version, section)
    section.save()
    if section.parent_id != old_parent:
        section.order = _renumber(version, moving=section)
    return section


@transaction.atomic
def section_delete(*, section):
    """Remove a group; what it held stays, in the group that held it (or at the top of the form)."""
    version = section.version
    _require_draft(version)
    Section.objects.filter(parent=section).update(parent=section.parent_id)
    Question.objects.filter(section=section).update(section=section.parent_id)
    section.delete()
    _renumber(version)


# --- Questions --------------------------------------------------------------------------------------


def _names(version, exclude=None):
    names = set(Question.objects.filter(version=version).values_list("code", flat=True))
    names |= set(Section.objects.filter(version=version).values_list("code", flat=True))
    names.discard(exclude)
    return names


def _check_expressions(question, names):
    """Refuse an expression that does not parse or names what the form does not have, at its field."""
    for field, text in formcheck.expressions_of(question):
        message = formcheck.expression_message(text, names | {question.code}, field)
        if message:
            raise ValidationError({field: message})
        if field in ("relevant", "calculation", "required_if") and question.code in formcheck.references(text):
            raise ValidationError({field: _("A question cannot depend on itself: use . for its own answer.")})


def _clean_choices(question, choices):
    """Choice rows for a question, checked; none for types without options.

    ``choices``: (value, {language: label}) pairs, or (value, {language: label}, {column: value}) triples.
    """
    if question.type not in (*Question.CHOICE_TYPES, T.YES_NO) or question.type == T.ACTOR_RELATIONSHIP:
        return []
    if question.type == T.YES_NO and not choices:
        choices = YES_NO_LABELS
    rows, seen = [], set()
    for order, item in enumerate(choices):
        value, labels = str(item[0]).strip(), _texts(item[1])
        extra = dict(item[2]) if len(item) > 2 else {}
        if not value:
            raise ValidationError({"choices": _("Each option needs a value.")})
        if not labels and question.type != T.YES_NO:
            raise ValidationError({"choices": _("Option %(value)s needs a label.") % {"value": value}})
        if value in seen:
            raise ValidationError({"choices": _("The option value '%(value)s' appears twice.") % {"value": value}})
        if len(value) > 255 or (question.type == T.MULTIPLE_CHOICE and any(c.isspace() for c in value)):
            raise ValidationError(
                {"choices": _("Option values are one word of at most 255 characters: '%(value)s'.") % {"value": value}}
            )
        seen.add(value)
        rows.append(Choice(question=question, order=order, value=value, labels=labels, extra=extra))
    if question.type == T.YES_NO and sorted(seen) != ["no", "yes"]:
        raise ValidationError({"choices": _("A yes/no question has exactly the options yes and no.")})
    if not rows and not question.list_name.lower().endswith((".csv", ".xml", ".geojson")):
        raise ValidationError({"choices": _("A choice question needs at least one option.")})
    return rows


def _set_fields(question, fields):
    for name, value in fields.items():
        if name not in QUESTION_FIELDS:
            raise TypeError(f"unknown question field {name}")
        if name in ("labels", "hints", "required_messages", "constraint_messages"):
            value = _texts(value)
        elif isinstance(value, str) and name not in ("code", "type"):
            value = value.strip()
        setattr(question, name, value)


@transaction.atomic
def question_create(*, version, code, type, labels, choices=(), **fields):
    """Add a question to a draft version, last inside its group (``section``) or at the end of the form."""
    _require_draft(version)
    section = fields.get("section")
    if section is not None and section.version_id != version.pk:
        raise ValidationError({"section": _("That section belongs to another version.")})
    question = Question(version=version, code=code, type=type, order=0)
    _set_fields(question, {"labels": labels, **fields})
    question.full_clean(exclude=["order"])
    _check_unique_name(version, code, question=question)
    _check_expressions(question, _names(version))
    rows = _clean_choices(question, choices)
    question.save()
    Choice.objects.bulk_create(rows)
    question.order = _renumber(version, moving=question)
    return question


@transaction.atomic
def question_update(*, question, choices=None, **fields):
    """Change a question of a draft version (and replace its options when ``choices`` is given)."""
    version = question.version
    _require_draft(version)
    old_code, old_section = Question.objects.filter(pk=question.pk).values_list("code", "section_id").get()
    _set_fields(question, fields)
    question.full_clean(exclude=["order"])
    _check_unique_name(version, question.code, question=question)
    if question.code != old_code:
        readers = formcheck.readers_of(version, old_code, exclude=question)
        if readers:
            raise ValidationError(
                {
                    "code": _("The conditions of %(codes)s read this code: change them first.")
                    % {"codes": ", ".join(readers)}
                }
            )
    _check_expressions(question, _names(version, exclude=old_code))
    update_fields = [name for name in QUESTION_FIELDS if name in fields]
    question.save(update_fields=update_fields)
    if question.section_id != old_section:
        question.order = _renumber(version, moving=question)
    if choices is not None or question.type not in (*Question.CHOICE_TYPES, T.YES_NO):
        existing = list(question.choices.values_list("value", flat=True))
        if choices is None and question.type == T.YES_NO and sorted(existing) == ["no", "yes"]:
            return question
        rows = _clean_choices(question, choices or ())
        question.choices.all().delete()
        Choice.objects.bulk_create(rows)
    return question


@transaction.atomic
def question_delete(*, question):
    version = question.version
    _require_draft(version)
    readers = formcheck.readers_of(version, question.code, exclude=question)
    if readers:
        raise ValidationError(
            _("The conditions of %(codes)s read this question: change them first.") % {"codes": ", ".join(readers)}
        )
    question.delete()
    _renumber(version)


@transaction.atomic
def question_move(*, question, up):
    """Swap a question with its neighbour in the form, within its group."""
    version = question.version
    _require_draft(version)
    siblings = list(Question.objects.filter(version=version, section=question.section_id).order_by("order", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index].order, siblings[other].order = siblings[other].order, siblings[index].order
        Question.objects.bulk_update([siblings[index], siblings[other]], ["order"])
    _renumber(version)
    return question
