"""Writes of interviews and their review (their files: ``surveys.services.attachments``). Views, forms,
devices, the API and the demo call these.

One save is one transaction that re-computes the form's logic, stores only the answers of relevant
questions (in bulk: the query count does not grow with the number of answers), records who changed
what, and on submission records the network ties that the respondent named.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.concurrency import ConcurrentEdit, save_with_version
from clusters.models import Actor, Membership, Relationship
from clusters.services import actor_create, relationship_create
from surveys import engine, values
from surveys.engine import answer_key
from surveys.models import (
    Answer,
    AnswerActor,
    AnswerChoice,
    Interview,
    InterviewChange,
    Question,
    QuestionnaireVersion,
)
from surveys.selectors import ordered_questions
from surveys.services.attachments import checked_files, store_files

T = Question.Type
logger = logging.getLogger(__name__)

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
    # Why it could not be submitted: {answer key or "consent_given": message}; saved as a draft then.
    problems: dict = field(default_factory=dict)


def _keyed(answers):
    """Answers keyed by (code, repeat); a plain code means the answer outside any repeat."""
    return {(key if isinstance(key, tuple) else (key, "")): value for key, value in answers.items()}


def _stored_answers(interview, structure):
    """The interview's answers as {(code, repeat): domain value}, read in one query."""
    by_pk = {q.pk: q for q in structure.questions}
    stored = {}
    rows = Answer.objects.filter(interview=interview).values_list(
        "question_id",
        "repeat",
        "text_value",
        "number_value",
        "date_value",
        "time_value",
        "datetime_value",
        "bool_value",
        "chosen__choice__value",
        "named_actors__actor_id",
    )
    for question_id, repeat, text, number, date, time, moment, flag, choice_value, actor_id in rows:
        question = by_pk.get(question_id)
        if question is None:
            continue
        key = (question.code, repeat)
        qtype = question.type
        if qtype == T.SINGLE_CHOICE:
            stored[key] = choice_value
        elif qtype == T.MULTIPLE_CHOICE:
            stored.setdefault(key, [])
            if choice_value is not None:
                stored[key].append(choice_value)
        elif qtype == T.ACTOR_RELATIONSHIP:
            stored.setdefault(key, [])
            if actor_id is not None:
                stored[key].append(actor_id)
        elif qtype in Question.NUMBER_TYPES:
            stored[key] = number
        elif qtype in values.DATETIME_TYPES:
            stored[key] = moment
        elif qtype in values.DATE_TYPES:
            stored[key] = date
        elif qtype == T.TIME:
            stored[key] = time
        elif qtype == T.YES_NO:
            stored[key] = flag
        else:
            stored[key] = text
    return stored


def interview_answers(interview, questions=None, *, structure=None):
    """The stored answers of an interview as {(code, repeat): value}, in the form's terms (of ``questions``,
    or of a ``structure`` already made)."""
    return _stored_answers(interview, structure or engine.Structure.of(questions))


def _interview_actor(*, user, cluster, actor, new_actor):
    if new_actor:
        return actor_create(created_by=user, cluster=cluster, **new_actor)
    if actor is None:
        raise ValidationError({"actor": _("Choose the actor you interview, or add a new one.")})
    if not Membership.objects.filter(cluster=cluster, actor=actor).exists():
        raise ValidationError({"actor": _("This actor is not a member of the cluster.")})
    return actor


def typed_answer(interview, question, value, repeat=""):
    """An unsaved Answer that stores ``value`` in the column its question's type aggregates from.

    Choices and named actors are rows of their own (AnswerChoice, AnswerActor), added by the caller (who
    copies the chosen options' ids in ``choice_ids``).
    A calculation's result is kept as text, and as a number too when it is one.
    """
    answer = Answer(interview=interview, question=question, repeat=repeat)
    qtype = question.type
    if qtype in Question.NUMBER_TYPES:
        answer.number_value = Decimal(value)
    elif qtype in values.DATETIME_TYPES:
        answer.datetime_value = value
    elif qtype in values.DATE_TYPES:
        answer.date_value = value
    elif qtype == T.TIME:
        answer.time_value = value
    elif qtype == T.YES_NO:
        answer.bool_value = bool(value)
    elif qtype in Question.CHOICE_TYPES or qtype == T.ACTOR_RELATIONSHIP:
        pass
    else:
        answer.text_value = values.to_instance(question, value) if not isinstance(value, str) else value
        if qtype == T.CALCULATE:
            try:
                number = Decimal(answer.text_value.strip())
            except (InvalidOperation, ValueError):
                number = None
            if number is not None and values.number_fits(number):
                answer.number_value = number
    return answer


def _structure(version, questions):
    if questions is None:
        questions = list(ordered_questions(version).prefetch_related("choices"))
    return engine.Structure.of(questions)


def _submission_problems(details, evaluation):
    problems = {}
    if not details.get("consent_given"):
        problems["consent_given"] = _("The respondent's consent is needed to submit the interview.")
    for (code, repeat), message in evaluation.missing.items():
        problems[answer_key(code, repeat)] = message
    return problems


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
    structure=None,
    counts=None,
    language="",
    device="web",
    started_at=None,
    files=None,
    changed=None,
):
    """Create or update the interview with this client UUID, and submit it when asked and complete.

    Re-posting the same UUID updates the same interview (two concurrent posts included). ``answers``
    maps (question code, repeat) — or a plain code outside repeats — to domain values (text, Decimal,
    date, time, datetime, bool, choice value(s), actor ids); ``counts`` says how many instances of each
    open-ended repeat the researcher made. The form's logic runs first: answers of questions it hides
    are discarded before anything is checked, calculations are the server's own (a calculation's posted
    value is its previous one, so once(now()) keeps it). ``changed``: the (code, repeat) keys of trigger
    questions the user changed (engine.Structure.changed_triggers), where questions with a ``trigger`` get
    their calculation; without it they keep what was posted (a device sets them itself). A rule an answer breaks
    is a ValidationError keyed by ``answer_key``; an incomplete submission is saved as a draft and
    ``problems`` says what is missing. Raises ConcurrentEdit when someone else saved since the page was
    read, PermissionDenied for another researcher's interview, ValidationError when the interview can
    no longer change.
    """
    structure = structure or _structure(version, questions)
    answers = {
        key: values.as_domain(structure.by_code[key[0]], value) if key[0] in structure.by_code else value
        for key, value in _keyed(answers).items()
    }
    uploads = checked_files(structure, files or {})
    for key, (uploaded, _sniffed) in uploads.items():
        answers[key] = os.path.basename(uploaded.name or "")[:255] or key[0]
    for key, value in engine.metadata_answers(structure, user=user, started_at=started_at, device=device).items():
        answers.setdefault(key, value)
    evaluation = engine.evaluate(structure, answers, counts=counts, changed=changed)
    if evaluation.problems:
        raise ValidationError({answer_key(*key): message for key, message in evaluation.problems.items()})
    problems = _submission_problems(details, evaluation) if submit else {}
    submitting = submit and not problems
    claimed = _claim_interview(
        user=user,
        uuid=uuid,
        version=version,
        cluster=cluster,
        details=details,
        actor=actor,
        new_actor=new_actor,
        submitting=submitting,
        expected_lock_version=expected_lock_version,
        form_token=form_token,
        language=language,
    )
    if claimed.already_submitted:
        return InterviewSaved(interview=claimed.interview, submitted=True)
    interview, created = claimed.interview, claimed.created
    old_values = {} if created else _stored_answers(interview, structure)
    actors = _named_actors(interview, structure, evaluation.kept, old_values)
    _replace_answers(interview, structure, evaluation.kept, created=created, old_values=old_values)
    store_files(interview, structure, uploads, evaluation.kept, user=user, created=created)
    _record_change(
        interview,
        structure,
        user=user,
        before_fields=claimed.before_fields,
        old_values=old_values,
        kept=evaluation.kept,
        actors=actors,
        action=_action(created=created, submitting=submitting),
    )
    if submitting:
        _record_ties(interview=interview, cluster=cluster, structure=structure, kept=evaluation.kept, actors=actors,
                     user=user, created=created)  # fmt: skip
    return InterviewSaved(interview=interview, created=created, submitted=submitting, problems=problems)


@dataclass
class _Claimed:
    interview: Interview
    created: bool = False
    already_submitted: bool = False
    before_fields: dict = field(default_factory=dict)


def _claim_interview(
    *, user, uuid, version, cluster, details, actor, new_actor, submitting, expected_lock_version, form_token, language
):
    """The interview row: created once per UUID, then updated under a row lock (step 2 of a save)."""
    interview = Interview.objects.select_for_update().filter(uuid=uuid).first()
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
                    language=language or "",
                    **{name: details.get(name) for name in DETAIL_FIELDS if name in details},
                )
                interview.full_clean(exclude=["uuid", "version", "cluster", "actor", "interviewer"])
                if submitting:
                    interview.status = Interview.Status.SUBMITTED
                    interview.submitted_at = timezone.now()
                interview._history_user = user
                interview.save()
                return _Claimed(interview, created=True)
        except IntegrityError:
            logger.info("Interview %s: a concurrent post created it first; this post updates it.", uuid)
            interview = Interview.objects.select_for_update().filter(uuid=uuid).first()
            if interview is None:
                raise
    if interview.interviewer_id != user.pk or interview.cluster_id != cluster.pk:
        raise PermissionDenied
    if not interview.is_editable:
        if form_token is not None and interview.last_form_token == form_token:
            # The page that submitted it, posted again (double tap, retry): the submission already happened.
            return _Claimed(interview, already_submitted=True)
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
    if language:
        interview.language = language
    if submitting:
        interview.status = Interview.Status.SUBMITTED
        interview.submitted_at = timezone.now()
    interview.full_clean(exclude=["uuid", "version", "cluster", "actor", "interviewer"])
    interview._history_user = user
    save_with_version(
        interview,
        expected_version=expected,
        fields=[*DETAIL_FIELDS, "actor_id", "last_form_token", "status", "submitted_at", "language"],
        version_field="lock_version",
    )
    return _Claimed(interview, before_fields=before_fields)


def _actor_ids(structure, answers):
    return {
        int(pk)
        for (code, _repeat), value in answers.items()
        if getattr(structure.by_code.get(code), "type", None) == T.ACTOR_RELATIONSHIP
        for pk in value
    }


def _named_actors(interview, structure, kept, old_values):
    """The actors the answers name (and named before), checked to be other members of the cluster (step 3)."""
    named_ids, old_ids = _actor_ids(structure, kept), _actor_ids(structure, old_values)
    actors = {}
    if not (named_ids or old_ids):
        return actors
    member = Membership.objects.filter(cluster=interview.cluster_id, actor=OuterRef("pk"))
    for named in Actor.objects.filter(pk__in=named_ids | old_ids).annotate(member=Exists(member)).only("id", "name"):
        actors[named.pk] = named
    for (code, repeat), value in kept.items():
        if structure.by_code[code].type == T.ACTOR_RELATIONSHIP:
            outsiders = [pk for pk in value if not getattr(actors.get(int(pk)), "member", False)]
            if outsiders or interview.actor_id in {int(pk) for pk in value}:
                raise ValidationError({answer_key(code, repeat): _("Name other actors of the cluster only.")})
    return actors


def _replace_answers(interview, structure, kept, *, created, old_values):
    """The answers, replaced in bulk: children first, then the rows, then the new rows (step 4)."""
    if not created and old_values:
        had = {structure.by_code[code].type for code, _repeat in old_values}
        if had & Question.CHOICE_TYPES:
            AnswerChoice.objects.filter(answer__interview=interview).delete()
        if T.ACTOR_RELATIONSHIP in had:
            AnswerActor.objects.filter(answer__interview=interview).delete()
        # The children are gone: one statement deletes the rows (the ORM's delete would read them first and
        # delete in batches).
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Answer._meta.db_table} WHERE interview_id = %s", [interview.pk])  # noqa: S608
    rows, pending = [], []
    for (code, repeat), value in kept.items():
        question = structure.by_code[code]
        answer = typed_answer(interview, question, value, repeat)
        picked = []
        if question.type in Question.CHOICE_TYPES:
            picked = _chosen_options(question, value, answer_key(code, repeat))
            answer.choice_ids = [choice.pk for choice in picked]
        rows.append(answer)
        pending.append((answer, question, value, picked))
    Answer.objects.bulk_create(rows)
    chosen, named = [], []
    for answer, question, value, picked in pending:
        chosen.extend(AnswerChoice(answer=answer, choice=choice) for choice in picked)
        if question.type == T.ACTOR_RELATIONSHIP:
            named.extend(AnswerActor(answer=answer, actor_id=int(pk)) for pk in dict.fromkeys(value))
    AnswerChoice.objects.bulk_create(chosen)
    AnswerActor.objects.bulk_create(named)


def _chosen_options(question, value, key):
    """The options a choice answer picks, in the options' order (Answer.choice_ids keeps their ids so)."""
    options = {c.value: c for c in question.choices.all()}
    picked = [value] if question.type == T.SINGLE_CHOICE else list(dict.fromkeys(value))
    for choice_value in picked:
        if choice_value not in options:
            raise ValidationError({key: _("Choose one of the options.")})
    return sorted((options[v] for v in picked), key=lambda c: (c.order, c.pk))


def _action(*, created, submitting):
    if submitting:
        return InterviewChange.Action.SUBMITTED
    return InterviewChange.Action.CREATED if created else InterviewChange.Action.SAVED


def _canonical(question, value, actor_names):
    """An answer as a short, stable text for the change log (None when unanswered)."""
    if values.is_empty(value):
        return None
    if question.type == T.MULTIPLE_CHOICE:
        return "; ".join(sorted(value))
    if question.type == T.ACTOR_RELATIONSHIP:
        return "; ".join(sorted(actor_names.get(int(pk), str(pk)) for pk in value))
    return values.to_instance(question, value)


def _record_change(interview, structure, *, user, before_fields, old_values, kept, actors, action):
    """Who changed what (step 5): the interview's fields, then each answer that changed, by answer key."""
    names = {pk: a.name for pk, a in actors.items()}
    changes = []
    for name, before in before_fields.items():
        after = getattr(interview, name)
        if name != "status" and before != after:
            changes.append([name, _field_text(before), _field_text(after)])
    for key in sorted(set(old_values) | set(kept), key=lambda k: (structure.by_code[k[0]].order, engine.path_of(k[1]))):
        question = structure.by_code[key[0]]
        old, new = _canonical(question, old_values.get(key), names), _canonical(question, kept.get(key), names)
        if old != new:
            changes.append([answer_key(*key), old, new])
    if changes or action != InterviewChange.Action.SAVED:
        InterviewChange.objects.create(interview=interview, action=action, changed_by=user, changes=changes)


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


def _record_ties(*, interview, cluster, structure, kept, actors, user, created):
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
    for (code, _repeat), value in kept.items():
        question = structure.by_code[code]
        if question.type != T.ACTOR_RELATIONSHIP:
            continue
        for pk in dict.fromkeys(int(v) for v in value):
            key = (interview.actor_id, pk, question.relationship_kind)
            if key in wanted:
                continue
            wanted.add(key)
            if key not in recorded:
                relationship_create(
                    cluster=cluster,
                    source=interview.actor,
                    target=actors[pk],
                    kind=question.relationship_kind,
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


@transaction.atomic
def interviews_delete(interviews):
    """Delete ``interviews`` (a queryset; the administrator's delete in the admin) with their answers.

    The ties they reported stay in the network as ties nobody's interview reports any more (the foreign key
    is SET_NULL), except where such a tie would repeat one already there: one entered by hand, or the same tie
    reported by another interview deleted with them (the network keeps one of each). Without this the
    database refused the deletion (unique_manual_tie)."""
    ties = Relationship.objects.filter(interview__in=interviews)
    kept_elsewhere = Relationship.objects.filter(
        cluster=OuterRef("cluster"), source=OuterRef("source"), target=OuterRef("target"), kind=OuterRef("kind")
    )
    ties.filter(Exists(kept_elsewhere.filter(interview__isnull=True))).delete()
    # Of the same tie reported by several of them, the first reported stays.
    ties.filter(Exists(kept_elsewhere.filter(interview__in=interviews, pk__lt=OuterRef("pk")))).delete()
    return interviews.delete()


@transaction.atomic
def answers_delete(answers):
    """Delete ``answers`` (a queryset; the administrator's delete in the admin, where answers are otherwise
    read-only) and move their interviews' stamps (``updated_at``, ``lock_version``), which the findings'
    buckets and an open form's concurrent-edit check are read by."""
    touched = list(answers.values_list("interview_id", flat=True).distinct())
    answers.delete()
    Interview.objects.filter(pk__in=touched).update(updated_at=timezone.now(), lock_version=F("lock_version") + 1)
