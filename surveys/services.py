"""Writes of questionnaires, interviews, reviews and attachments. Views, forms, the demo and tasks call these.

Questionnaires: only a draft version may change; publishing freezes it, and editing a published
questionnaire copies it into a new draft. Interviews: one save is one transaction that re-computes
skip logic, stores only the answers of relevant questions (in bulk: the query count does not grow
with the number of answers), records who changed what, and on submission records the network ties
that the respondent named.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.concurrency import ConcurrentEdit, save_with_version
from clusters.models import Actor, Membership, Relationship
from clusters.services import actor_create, relationship_create
from surveys import relevance
from surveys.models import (
    Answer,
    AnswerActor,
    AnswerChoice,
    Attachment,
    Choice,
    Interview,
    InterviewChange,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from surveys.selectors import ordered_questions
from surveys.uploads import HEAD_BYTES, sniff

T = Question.Type
logger = logging.getLogger(__name__)

# --- Questionnaires ---------------------------------------------------------------------------------


def _require_draft(version):
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(
            _("Version %(number)s is published and cannot change. Edit the questionnaire to make a new draft.")
            % {"number": version.number}
        )


def _check_relevant(question, known_codes):
    """Refuse a condition that does not parse or reads unknown questions, pointing at the problem."""
    if not question.relevant.strip():
        question.relevant = ""
        return
    try:
        relevance.check(question.relevant, known_codes, own_code=question.code)
    except relevance.RelevanceError as error:
        raise ValidationError({"relevant": error.message}) from None


def _clean_choices(question, choices):
    """Choice rows (value, Spanish label, English label) for a question, checked; none for other types."""
    if question.type not in Question.CHOICE_TYPES:
        return []
    rows, seen = [], set()
    for order, (value, label_es, label_en) in enumerate(choices):
        value, label_es, label_en = value.strip(), label_es.strip(), (label_en or "").strip()
        if not value or not label_es:
            raise ValidationError({"choices": _("Each option needs a value and a Spanish label.")})
        if value in seen:
            raise ValidationError({"choices": _("The option value '%(value)s' appears twice.") % {"value": value}})
        if len(value) > 64 or " " in value:
            raise ValidationError(
                {"choices": _("Option values are one word of at most 64 characters: '%(value)s'.") % {"value": value}}
            )
        seen.add(value)
        rows.append(Choice(question=question, order=order, value=value, label_es=label_es, label_en=label_en))
    if not rows:
        raise ValidationError({"choices": _("A choice question needs at least one option.")})
    return rows


def _next_number(model, **filters):
    return (model.objects.filter(**filters).aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def questionnaire_create(*, name, created_by, description=""):
    """A new questionnaire with an empty draft version 1, which is returned."""
    questionnaire = Questionnaire(name=name.strip(), description=description, created_by=created_by)
    questionnaire.full_clean()
    questionnaire.save()
    version = QuestionnaireVersion(questionnaire=questionnaire, number=1, created_by=created_by)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_create_draft(*, questionnaire, created_by):
    """The questionnaire's draft: the existing one, or a copy of its latest version with the next number."""
    versions = QuestionnaireVersion.objects.select_for_update().filter(questionnaire=questionnaire)
    draft = versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    source = versions.order_by("-number").first()
    draft = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=(source.number + 1) if source else 1,
        form_id=source.form_id if source else "",
        created_by=created_by,
    )
    draft.full_clean()
    draft.save()
    if source is not None:
        _copy_content(source, draft)
    return draft


def _copy_content(source, target):
    sections = list(source.sections.all())
    new_sections = Section.objects.bulk_create(
        [
            Section(version=target, order=s.order, code=s.code, title_es=s.title_es, title_en=s.title_en)
            for s in sections
        ]
    )
    section_map = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}
    questions = list(source.questions.all())
    copies = [
        Question(
            version=target,
            section=section_map.get(q.section_id),
            order=q.order,
            **{name: getattr(q, name) for name in QUESTION_FIELDS if name != "section"},
        )
        for q in questions
    ]
    new_questions = Question.objects.bulk_create(copies)
    question_map = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
    Choice.objects.bulk_create(
        [
            Choice(
                question=question_map[c.question_id],
                order=c.order,
                value=c.value,
                label_es=c.label_es,
                label_en=c.label_en,
            )
            for c in Choice.objects.filter(question__version=source)
        ]
    )


@transaction.atomic
def version_publish(*, version, published_by):
    """Freeze a draft: it becomes the version researchers use; earlier published versions retire."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    questions = list(ordered_questions(version).prefetch_related("choices"))
    problems = []
    if not questions:
        problems.append(_("A questionnaire needs at least one question before it is published."))
    codes = {q.code for q in questions}
    for q in questions:
        if q.type in Question.CHOICE_TYPES and not q.choices.all():
            problems.append(_("Question %(code)s has no options.") % {"code": q.code})
        if q.relevant:
            try:
                relevance.check(q.relevant, codes, own_code=q.code)
            except relevance.RelevanceError as error:
                problems.append(_("Question %(code)s: %(message)s") % {"code": q.code, "message": error.message})
    if problems:
        raise ValidationError(problems)
    QuestionnaireVersion.objects.filter(
        questionnaire=version.questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
    ).update(status=QuestionnaireVersion.Status.RETIRED)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = published_by
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def version_delete(*, version):
    """Throw away a draft version that no interview uses."""
    _require_draft(version)
    if version.interviews.exists():
        raise ValidationError(_("Interviews use this version: it cannot be deleted."))
    questionnaire = version.questionnaire
    Choice.objects.filter(question__version=version).delete()
    version.questions.all().delete()
    version.delete()
    if not questionnaire.versions.exists():
        questionnaire.delete()


@transaction.atomic
def section_create(*, version, code, title_es, title_en=""):
    _require_draft(version)
    section = Section(
        version=version,
        code=code,
        title_es=title_es,
        title_en=title_en,
        order=_next_number(Section, version=version),
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(*, section, code, title_es, title_en=""):
    _require_draft(section.version)
    section.code, section.title_es, section.title_en = code, title_es, title_en
    section.full_clean()
    section.save(update_fields=["code", "title_es", "title_en"])
    return section


@transaction.atomic
def section_delete(*, section):
    """Remove a section; its questions stay, without a section."""
    _require_draft(section.version)
    section.delete()


QUESTION_FIELDS = (
    "section",
    "code",
    "type",
    "label_es",
    "label_en",
    "help_es",
    "help_en",
    "required",
    "relevant",
    "min_value",
    "max_value",
    "relationship_kind",
)


def _readers_of(version, code, exclude_pk=None):
    """The codes of the questions whose condition reads ``code``."""
    readers = []
    for other in version.questions.exclude(pk=exclude_pk).exclude(relevant=""):
        try:
            if code in relevance.references(relevance.parse(other.relevant)):
                readers.append(other.code)
        except relevance.RelevanceError:
            continue
    return readers


def _place(question):
    """Give a question the order that keeps its section's questions together: after the section's last one."""
    version = question.version
    siblings = Question.objects.filter(version=version).exclude(pk=question.pk)
    last = None
    if question.section_id is not None:
        last = siblings.filter(section=question.section_id).aggregate(top=Max("order"))["top"]
    if last is None:
        question.order = (siblings.aggregate(top=Max("order"))["top"] or 0) + 1
        return
    question.order = last + 1
    siblings.filter(order__gte=question.order).update(order=F("order") + 1)


@transaction.atomic
def question_create(*, version, code, type, label_es, choices=(), **fields):
    """Add a question to a draft version (at the end of its section); its condition must read existing questions."""
    _require_draft(version)
    section = fields.get("section")
    if section is not None and section.version_id != version.pk:
        raise ValidationError({"section": _("That section belongs to another version.")})
    question = Question(version=version, code=code, type=type, label_es=label_es)
    for name, value in fields.items():
        if name not in QUESTION_FIELDS:
            raise TypeError(f"unknown question field {name}")
        setattr(question, name, value)
    question.full_clean(exclude=["order"])
    _check_relevant(question, set(version.questions.values_list("code", flat=True)))
    rows = _clean_choices(question, choices)
    _place(question)
    question.save()
    Choice.objects.bulk_create(rows)
    return question


@transaction.atomic
def question_update(*, question, choices=None, **fields):
    """Change a question of a draft version (and replace its options when ``choices`` is given)."""
    version = question.version
    _require_draft(version)
    old_code, old_section = Question.objects.filter(pk=question.pk).values_list("code", "section_id").get()
    for name, value in fields.items():
        if name not in QUESTION_FIELDS:
            raise TypeError(f"unknown question field {name}")
        setattr(question, name, value)
    question.full_clean()
    if question.code != old_code:
        readers = _readers_of(version, old_code, exclude_pk=question.pk)
        if readers:
            raise ValidationError(
                {
                    "code": _("The conditions of %(codes)s read this code: change them first.")
                    % {"codes": ", ".join(readers)}
                }
            )
    _check_relevant(question, set(version.questions.exclude(pk=question.pk).values_list("code", flat=True)))
    update_fields = [name for name in QUESTION_FIELDS if name in fields]
    if question.section_id != old_section:
        _place(question)
        update_fields.append("order")
    question.save(update_fields=update_fields)
    if choices is not None or question.type not in Question.CHOICE_TYPES:
        rows = _clean_choices(question, choices or ())
        question.choices.all().delete()
        Choice.objects.bulk_create(rows)
    return question


@transaction.atomic
def question_delete(*, question):
    _require_draft(question.version)
    readers = _readers_of(question.version, question.code, exclude_pk=question.pk)
    if readers:
        raise ValidationError(
            _("The conditions of %(codes)s read this question: change them first.") % {"codes": ", ".join(readers)}
        )
    question.delete()


@transaction.atomic
def question_move(*, question, up):
    """Swap a question with its neighbour in questionnaire order, within its section."""
    _require_draft(question.version)
    questions = list(ordered_questions(question.version))
    for number, q in enumerate(questions, start=1):
        q.order = number
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions) and questions[other].section_id == questions[index].section_id:
        questions[index].order, questions[other].order = questions[other].order, questions[index].order
    Question.objects.bulk_update(questions, ["order"])
    return question


@transaction.atomic
def version_import_xlsform(*, data, created_by, questionnaire=None, name=""):
    """A new draft version built from an XLSForm file: all of it or, on any problem, nothing.

    Without ``questionnaire`` a new questionnaire is created (named ``name`` or the form's title).
    Raises ValidationError (size, name, an existing draft) or xlsform.XLSFormError (the form's problems).
    """
    from surveys import xlsform

    if len(data) > settings.CASEBOOK_MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is too large: %(size)s MB, at most %(limit)s MB.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(settings.CASEBOOK_MAX_IMPORT_BYTES)}
        )
    spec = xlsform.read_xlsform(data)  # any unreadable file is an XLSFormError listing why
    if questionnaire is None:
        version = questionnaire_create(
            name=(name or spec.title or spec.form_id or _("Imported questionnaire"))[:200], created_by=created_by
        )
    else:
        if questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).exists():
            raise ValidationError(
                _("This questionnaire already has a draft version. Publish or delete it before importing another.")
            )
        number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = QuestionnaireVersion(questionnaire=questionnaire, number=number, created_by=created_by)
        version.full_clean()
        version.save()
    version.form_id = (spec.form_id or "")[:100]
    version.notes = _("Imported from an XLSForm file.")
    version.save(update_fields=["form_id", "notes"])
    sections = {}
    for order, s in enumerate(spec.sections, start=1):
        section = Section(version=version, order=order, code=s.code, title_es=s.title_es, title_en=s.title_en or "")
        section.full_clean()
        sections[s.code] = section
    Section.objects.bulk_create(list(sections.values()))
    codes = {q.code for q in spec.questions}
    questions, choice_rows = [], []
    for order, q in enumerate(spec.questions, start=1):
        question = Question(
            version=version,
            section=sections.get(q.section_code) if q.section_code else None,
            order=order,
            code=q.code,
            type=q.type,
            label_es=q.label_es,
            label_en=q.label_en or "",
            help_es=q.help_es or "",
            help_en=q.help_en or "",
            required=bool(q.required),
            relevant=q.relevant or "",
            min_value=q.min_value,
            max_value=q.max_value,
            relationship_kind=q.relationship_kind or "",
        )
        try:
            question.full_clean(exclude=["version", "section"])
            _check_relevant(question, codes)
            choice_rows.append(_clean_choices(question, [(c.value, c.label_es, c.label_en) for c in q.choices]))
        except ValidationError as error:
            raise ValidationError(
                _("Question %(code)s: %(problem)s") % {"code": q.code, "problem": "; ".join(error.messages)}
            ) from None
        questions.append(question)
    Question.objects.bulk_create(questions)
    for question, rows in zip(questions, choice_rows, strict=True):
        for row in rows:
            row.question = question
    Choice.objects.bulk_create([row for rows in choice_rows for row in rows])
    return version


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


# --- Interviews -------------------------------------------------------------------------------------

DETAIL_FIELDS = (
    "respondent_name",
    "respondent_position",
    "date",
    "place",
    "mode",
    "duration",
    "consent_given",
    "notes",
)


@dataclass
class InterviewSaved:
    """What a save did: the interview, whether it was created or submitted, and what blocks submission."""

    interview: Interview
    created: bool = False
    submitted: bool = False
    # Why it could not be submitted: {question code or "consent_given": message}; saved as a draft then.
    problems: dict = field(default_factory=dict)


def _is_empty(value):
    return value is None or value == "" or (isinstance(value, list | tuple | set | frozenset) and not value)


def _relevance_value(question, value):
    if question.type == T.ACTOR_RELATIONSHIP:
        return [str(v) for v in value]
    if question.type == T.MULTIPLE_CHOICE:
        return list(value)
    return value


def _number_text(value):
    return format(Decimal(value).normalize(), "f")


def _canonical(question, value, actor_names):
    """An answer as a short text for the change log (None when unanswered)."""
    if _is_empty(value):
        return None
    if question.type in Question.NUMBER_TYPES:
        return _number_text(value)
    if question.type == T.DATE:
        return value.isoformat()
    if question.type == T.YES_NO:
        return "yes" if value else "no"
    if question.type == T.MULTIPLE_CHOICE:
        return "; ".join(sorted(value))
    if question.type == T.ACTOR_RELATIONSHIP:
        return "; ".join(sorted(actor_names.get(int(pk), str(pk)) for pk in value))
    return str(value)


def _stored_answers(interview, questions_by_pk):
    """The interview's answers as {code: domain value}, read in one query."""
    values = {}
    rows = Answer.objects.filter(interview=interview).values_list(
        "question_id",
        "text_value",
        "number_value",
        "date_value",
        "bool_value",
        "chosen__choice__value",
        "named_actors__actor_id",
    )
    for question_id, text, number, date, flag, choice_value, actor_id in rows:
        question = questions_by_pk.get(question_id)
        if question is None:
            continue
        code = question.code
        if question.type == T.SINGLE_CHOICE:
            values[code] = choice_value
        elif question.type == T.MULTIPLE_CHOICE:
            values.setdefault(code, [])
            if choice_value is not None:
                values[code].append(choice_value)
        elif question.type == T.ACTOR_RELATIONSHIP:
            values.setdefault(code, [])
            if actor_id is not None:
                values[code].append(actor_id)
        elif question.type in Question.NUMBER_TYPES:
            values[code] = number
        elif question.type == T.DATE:
            values[code] = date
        elif question.type == T.YES_NO:
            values[code] = flag
        else:
            values[code] = text
    return values


def interview_answers(interview, questions):
    """The stored answers of an interview as {code: value} in the form's terms (for editing and display)."""
    return _stored_answers(interview, {q.pk: q for q in questions})


def _interview_actor(*, user, cluster, actor, new_actor):
    if new_actor:
        return actor_create(created_by=user, cluster=cluster, **new_actor)
    if actor is None:
        raise ValidationError({"actor": _("Choose the actor you interview, or add a new one.")})
    if not Membership.objects.filter(cluster=cluster, actor=actor).exists():
        raise ValidationError({"actor": _("This actor is not a member of the cluster.")})
    return actor


def typed_answer(interview, question, value):
    """An unsaved Answer that stores ``value`` in the column its question's type aggregates from.

    Choices and named actors are rows of their own (AnswerChoice, AnswerActor), added by the caller.
    """
    answer = Answer(interview=interview, question=question)
    if question.type in Question.TEXT_TYPES:
        answer.text_value = value
    elif question.type in Question.NUMBER_TYPES:
        answer.number_value = Decimal(value)
    elif question.type == T.DATE:
        answer.date_value = value
    elif question.type == T.YES_NO:
        answer.bool_value = bool(value)
    return answer


@transaction.atomic
def interview_save(
    *,
    user,
    uuid,
    version,
    cluster,
    details,
    answers,
    actor=None,
    new_actor=None,
    submit=False,
    expected_lock_version=None,
    form_token=None,
    questions=None,
):
    """Create or update the interview with this client UUID, and submit it when asked and complete.

    Re-posting the same UUID updates the same interview (two concurrent posts included). ``answers``
    maps question codes to domain values (text, Decimal, date, bool, choice value(s), actor ids);
    answers of questions that skip logic hides are not stored. An incomplete submission is saved as a
    draft and ``problems`` says what is missing. Raises ConcurrentEdit when someone else saved since
    the page was read, PermissionDenied for another researcher's interview, ValidationError when the
    interview can no longer change.
    """
    if questions is None:
        questions = list(ordered_questions(version).prefetch_related("choices"))
    by_code = {q.code: q for q in questions}
    by_pk = {q.pk: q for q in questions}

    # 1. Skip logic and completeness, from the posted answers alone.
    values = {code: _relevance_value(by_code[code], v) for code, v in answers.items() if code in by_code}
    shown = relevance.relevant_codes([(q.code, q.relevant) for q in questions], values)
    kept = {code: v for code, v in answers.items() if code in shown and code in by_code and not _is_empty(v)}
    problems = {}
    for code, value in kept.items():
        question = by_code[code]
        if question.type in Question.NUMBER_TYPES:
            problem = question.number_problem(Decimal(value))
            if problem:
                problems[code] = problem
    if problems:
        raise ValidationError(problems)
    if submit:
        if not details.get("consent_given"):
            problems["consent_given"] = _("The respondent's consent is needed to submit the interview.")
        for q in questions:
            if q.required and q.code in shown and q.code not in kept:
                problems[q.code] = _("This question is required to submit.")
    submitting = submit and not problems

    # 2. The interview row: created once per UUID, then updated under a row lock.
    interview = Interview.objects.select_for_update().filter(uuid=uuid).first()
    created = False
    before_fields = {}
    if interview is None:
        if version.status != QuestionnaireVersion.Status.PUBLISHED:
            raise ValidationError(_("Interviews use a published questionnaire version."))
        try:
            # A savepoint: when a concurrent post with the same UUID wins, its interview is updated instead.
            with transaction.atomic():
                chosen_actor = _interview_actor(user=user, cluster=cluster, actor=actor, new_actor=new_actor)
                interview = Interview(
                    uuid=uuid,
                    version=version,
                    cluster=cluster,
                    actor=chosen_actor,
                    interviewer=user,
                    last_form_token=form_token,
                    **{name: details.get(name) for name in DETAIL_FIELDS if name in details},
                )
                interview.full_clean(exclude=["uuid", "version", "cluster", "actor", "interviewer"])
                if submitting:
                    interview.status = Interview.Status.SUBMITTED
                    interview.submitted_at = timezone.now()
                interview._history_user = user
                interview.save()
                created = True
        except IntegrityError:
            logger.info("Interview %s: a concurrent post created it first; this post updates it.", uuid)
            interview = Interview.objects.select_for_update().filter(uuid=uuid).first()
            if interview is None:
                raise
    if not created:
        if interview.interviewer_id != user.pk or interview.cluster_id != cluster.pk:
            raise PermissionDenied
        if not interview.is_editable:
            if form_token is not None and interview.last_form_token == form_token:
                # The page that submitted it, posted again (double tap, retry): the submission already happened.
                return InterviewSaved(interview=interview, submitted=True)
            raise ValidationError(_("This interview was submitted and can no longer be changed."))
        if form_token is not None and interview.last_form_token == form_token:
            expected = interview.lock_version  # the same page posted again: the same edit
        elif expected_lock_version is None:
            raise ConcurrentEdit
        else:
            expected = expected_lock_version
        before_fields = {name: getattr(interview, name) for name in (*DETAIL_FIELDS, "actor_id", "status")}
        if new_actor and new_actor.get("name", "").strip().casefold() != interview.actor.name.casefold():
            interview.actor = _interview_actor(user=user, cluster=cluster, actor=None, new_actor=new_actor)
        elif actor is not None and actor.pk != interview.actor_id:
            interview.actor = _interview_actor(user=user, cluster=interview.cluster, actor=actor, new_actor=None)
        for name in DETAIL_FIELDS:
            if name in details:
                setattr(interview, name, details[name])
        interview.last_form_token = form_token
        if submitting:
            interview.status = Interview.Status.SUBMITTED
            interview.submitted_at = timezone.now()
        interview.full_clean(exclude=["uuid", "version", "cluster", "actor", "interviewer"])
        interview._history_user = user
        save_with_version(
            interview,
            expected_version=expected,
            fields=[*DETAIL_FIELDS, "actor_id", "last_form_token", "status", "submitted_at"],
            version_field="lock_version",
        )

    # 3. Named actors must be members of the interview's cluster (one query for all of them).
    named_ids = {int(pk) for code, v in kept.items() if by_code[code].type == T.ACTOR_RELATIONSHIP for pk in v}
    old_values = {} if created else _stored_answers(interview, by_pk)
    old_ids = {int(pk) for code, v in old_values.items() if by_code[code].type == T.ACTOR_RELATIONSHIP for pk in v}
    actors = {}
    if named_ids or old_ids:
        member = Membership.objects.filter(cluster=interview.cluster_id, actor=OuterRef("pk"))
        for named in (
            Actor.objects.filter(pk__in=named_ids | old_ids).annotate(member=Exists(member)).only("id", "name")
        ):
            actors[named.pk] = named
        for code, v in kept.items():
            if by_code[code].type == T.ACTOR_RELATIONSHIP:
                outsiders = [pk for pk in v if not getattr(actors.get(int(pk)), "member", False)]
                if outsiders or interview.actor_id in {int(pk) for pk in v}:
                    raise ValidationError({code: _("Name other actors of the cluster only.")})

    # 4. The answers: replaced in bulk (children first, then the rows, then the new rows).
    if not created:
        had = {by_code[code].type for code in old_values}
        if had & Question.CHOICE_TYPES:
            AnswerChoice.objects.filter(answer__interview=interview).delete()
        if T.ACTOR_RELATIONSHIP in had:
            AnswerActor.objects.filter(answer__interview=interview).delete()
        # The children are gone: a raw delete is one statement (the collector would batch per 100 rows).
        Answer.objects.filter(interview=interview)._raw_delete(Answer.objects.db)
    rows, pending = [], []
    for code, value in kept.items():
        question = by_code[code]
        answer = typed_answer(interview, question, value)
        rows.append(answer)
        pending.append((answer, question, value))
    Answer.objects.bulk_create(rows)
    chosen, named = [], []
    for answer, question, value in pending:
        if question.type in Question.CHOICE_TYPES:
            options = {c.value: c for c in question.choices.all()}
            picked = [value] if question.type == T.SINGLE_CHOICE else list(dict.fromkeys(value))
            for choice_value in picked:
                if choice_value not in options:
                    raise ValidationError({question.code: _("Choose one of the options.")})
                chosen.append(AnswerChoice(answer=answer, choice=options[choice_value]))
        elif question.type == T.ACTOR_RELATIONSHIP:
            named.extend(AnswerActor(answer=answer, actor_id=int(pk)) for pk in dict.fromkeys(value))
    AnswerChoice.objects.bulk_create(chosen)
    AnswerActor.objects.bulk_create(named)

    # 5. Who changed what.
    names = {pk: a.name for pk, a in actors.items()}
    changes = []
    for name, before in before_fields.items():
        after = getattr(interview, name)
        if name not in ("status",) and before != after:
            changes.append([name, _field_text(before), _field_text(after)])
    for q in questions:
        old = _canonical(q, old_values.get(q.code), names)
        new = _canonical(q, kept.get(q.code), names)
        if old != new:
            changes.append([q.code, old, new])
    if created:
        action = InterviewChange.Action.SUBMITTED if submitting else InterviewChange.Action.CREATED
    else:
        action = InterviewChange.Action.SUBMITTED if submitting else InterviewChange.Action.SAVED
    InterviewChange.objects.create(interview=interview, action=action, changed_by=user, changes=changes)

    # 6. On submission, the ties the respondent named enter the cluster's network, linked to the interview.
    if submitting:
        _record_ties(
            interview=interview,
            cluster=cluster,
            questions=questions,
            kept=kept,
            actors=actors,
            user=user,
            created=created,
        )
    return InterviewSaved(interview=interview, created=created, submitted=submitting, problems=problems)


def _field_text(value):
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _record_ties(*, interview, cluster, questions, kept, actors, user, created):
    """Put the named ties in the network (through the registry's service) and drop those no longer named."""
    recorded = (
        {}  # an interview made by this very save has no ties yet
        if created
        else {
            (tie.source_id, tie.target_id, tie.kind): tie
            for tie in Relationship.objects.filter(interview=interview).only("pk", "source_id", "target_id", "kind")
        }
    )
    wanted = set()
    for q in questions:
        if q.type != T.ACTOR_RELATIONSHIP or q.code not in kept:
            continue
        for pk in dict.fromkeys(int(v) for v in kept[q.code]):
            key = (interview.actor_id, pk, q.relationship_kind)
            wanted.add(key)
            if key not in recorded:
                relationship_create(
                    cluster=cluster,
                    source=interview.actor,
                    target=actors[pk],
                    kind=q.relationship_kind,
                    interview=interview,
                    created_by=user,
                )
    # Ties named in an earlier submission of this interview and since removed leave the network.
    for key, stale in recorded.items():
        if key not in wanted:
            stale.delete()


def _locked_submitted(interview):
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.status != Interview.Status.SUBMITTED:
        raise ValidationError(_("Only submitted interviews can be reviewed."))
    return interview


def _save_review(interview, reviewer):
    interview.reviewed_by = reviewer
    interview.reviewed_at = timezone.now()
    interview.lock_version = F("lock_version") + 1
    interview._history_user = reviewer
    interview.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "lock_version", "updated_at"]
    )
    interview.refresh_from_db(fields=["lock_version"])


@transaction.atomic
def interview_approve(*, interview, reviewer, comment=""):
    """Approve a submitted interview: it is locked from then on."""
    interview = _locked_submitted(interview)
    interview.status = Interview.Status.APPROVED
    interview.review_comment = comment.strip()
    _save_review(interview, reviewer)
    InterviewChange.objects.create(
        interview=interview, action=InterviewChange.Action.APPROVED, changed_by=reviewer, comment=comment.strip()
    )
    return interview


@transaction.atomic
def interview_return(*, interview, reviewer, comment):
    """Send a submitted interview back to its researcher, who may edit it again; the comment says why."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the researcher should correct.")})
    interview = _locked_submitted(interview)
    interview.status = Interview.Status.RETURNED
    interview.review_comment = comment
    _save_review(interview, reviewer)
    InterviewChange.objects.create(
        interview=interview, action=InterviewChange.Action.RETURNED, changed_by=reviewer, comment=comment
    )
    return interview


# --- Attachments ------------------------------------------------------------------------------------

ACCEPTED_FILES = "JPEG, PNG, WebP, MP3, OGG, M4A, WAV, WebM, PDF"


@transaction.atomic
def attachment_add(*, interview, uploaded_file, uploaded_by, caption=""):
    """Attach a photo, an audio recording or a PDF, checked by size and by content (not by name)."""
    if not interview.is_editable:
        raise ValidationError(_("This interview was submitted and can no longer be changed."))
    limit = settings.CASEBOOK_MAX_ATTACHMENT_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB, at most %(limit)s MB.")
                % {"size": _megabytes(uploaded_file.size), "limit": _megabytes(limit)}
            }
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    sniffed = sniff(head)
    if sniffed is None:
        raise ValidationError(
            {
                "file": _(
                    "This file is not a photo, an audio recording or a PDF (accepted: %(types)s). "
                    "Its content was checked, not its name."
                )
                % {"types": ACCEPTED_FILES}
            }
        )
    original = os.path.basename(uploaded_file.name or "")[:255] or f"archivo.{sniffed.extension}"
    attachment = Attachment(
        interview=interview,
        file=uploaded_file,
        kind=sniffed.kind,
        content_type=sniffed.content_type,
        size=uploaded_file.size,
        original_name=original,
        caption=caption.strip(),
        uploaded_by=uploaded_by,
    )
    attachment.full_clean(exclude=["file", "interview"])
    attachment._history_user = uploaded_by
    attachment.save()
    InterviewChange.objects.create(
        interview=interview,
        action=InterviewChange.Action.ATTACHMENT_ADDED,
        changed_by=uploaded_by,
        changes=[["attachment", None, original]],
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment, deleted_by):
    """Remove an attachment of an editable interview, and its file once the transaction commits."""
    interview = attachment.interview
    if not interview.is_editable:
        raise ValidationError(_("This interview was submitted and can no longer be changed."))
    name, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = deleted_by
    attachment.delete()
    InterviewChange.objects.create(
        interview=interview,
        action=InterviewChange.Action.ATTACHMENT_REMOVED,
        changed_by=deleted_by,
        changes=[["attachment", attachment.original_name, None]],
    )
    transaction.on_commit(lambda: storage.delete(name))
