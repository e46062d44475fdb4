"""Reads of questionnaires and interviews that pages, exports, the home page and the PDF report share.

Everything here aggregates in the database: the number of queries depends on the questionnaire
(its questions), never on the number of interviews.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import Lower, RowNumber, Trim, TruncMonth
from django.utils import dateformat
from django.utils.formats import get_format

from clusters.access import Role, role_of, scope_to_clusters
from clusters.addresses import address_maker
from clusters.collation import spanish
from clusters.history import person
from clusters.models import Actor, Cluster
from surveys import tallies
from surveys.models import (
    Answer,
    AnswerActor,
    AnswerChoice,
    Interview,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from surveys.tallies import QUOTE_LENGTH, QUOTES_PER_QUESTION, GroupedWindow, clip, two_places

T = Question.Type


def ordered_questions(version):
    """The questions of a version in the order of the form (a group's questions stay together)."""
    return Question.objects.filter(version=version).select_related("section").order_by("order", "pk")


def form_questions(version, language=None):
    """The version's questions with their choices, in the order of the form, read in ``language`` (one
    of the version's languages; by default the one matching the interface, else the form's default)."""
    from surveys.languages import form_language

    chosen = form_language(version, language)
    questions = list(ordered_questions(version).prefetch_related("choices"))
    sections = {}
    for question in questions:
        question.version = version  # read once, not once per question
        question.use_language(chosen, version.default_language)
        if question.section is not None:
            sections.setdefault(question.section_id, question.section)
            question.section = sections[question.section_id]
            question.section.use_language(chosen, version.default_language)
        for choice in question.choices.all():
            choice.use_language(chosen, version.default_language)
    return questions


def visible_questionnaires(user):
    """Questionnaires the user may see: researchers only those with a published version."""
    questionnaires = Questionnaire.objects.all()
    if not user.has_perm("surveys.change_questionnaire"):
        questionnaires = questionnaires.filter(versions__status=QuestionnaireVersion.Status.PUBLISHED).distinct()
    return questionnaires


def visible_versions(user):
    """Versions the user may see: coordinators every version, others the published (and retired) ones."""
    versions = QuestionnaireVersion.objects.select_related("questionnaire")
    if user.has_perm("surveys.change_questionnaireversion"):
        return versions
    if role_of(user) == Role.RESEARCHER:
        return versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)
    return versions.exclude(status=QuestionnaireVersion.Status.DRAFT)


def usable_versions():
    """The versions a new interview may use."""
    return QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED).select_related(
        "questionnaire"
    )


def visible_interviews(user):
    """Interviews the user may see: researchers those of their clusters, except others' unfinished ones."""
    interviews = scope_to_clusters(Interview.objects.all(), user)
    if role_of(user) == Role.RESEARCHER:
        interviews = interviews.filter(
            Q(interviewer=user) | ~Q(status__in=[Interview.Status.DRAFT, Interview.Status.RETURNED])
        )
    return interviews


# What interview_list() reads of each interview, besides the actor's name.
ROW_COLUMNS = ("pk", "date", "status", "cluster_id", "version_id", "interviewer_id")


def interview_list(user):
    """The visible interviews with what a list row shows, newest first, as values (interview_rows() names
    the cluster, questionnaire and researcher; the actor's name comes as ``actor_name``)."""
    return (
        visible_interviews(user)
        .order_by("-date", "-pk")
        # A subquery rather than a join: an annotation that joins would join in the list's count too.
        .values(*ROW_COLUMNS, actor_name=Subquery(Actor.objects.filter(pk=OuterRef("actor_id")).values("name")))
    )


def version_label(version):
    """How a row names an interview's questionnaire: "Entrevista a actores v2"."""
    return version_label_of(version.questionnaire.name, version.number)


def version_label_of(questionnaire_name, number):
    """version_label() from the questionnaire's name and the version's number."""
    return f"{questionnaire_name} v{number}"


def interview_rows(interviews, names):
    """A page of interview_list() as rows for the template, with the address, the date as the page shows it
    and the status's label and badge made here rather than resolved through the template in every row.

    ``names`` ({"cluster": {pk: name}, "version": {...}, "interviewer": {...}}, e.g. the filter box's
    option lists: InterviewFilter.row_names) name the cluster, questionnaire and researcher; one
    query each fills in any that is missing from them."""
    interviews = list(interviews)
    clusters = _with_missing(names["cluster"], interviews, "cluster_id", Cluster.objects.all(), lambda c: c.name)
    versions = _with_missing(
        names["version"],
        interviews,
        "version_id",
        QuestionnaireVersion.objects.select_related("questionnaire"),
        version_label,
    )
    people = _with_missing(
        names["interviewer"],
        interviews,
        "interviewer_id",
        get_user_model().objects.all(),
        person,
    )
    address_of = address_maker("surveys:interview_detail")
    labels = dict(Interview.Status.choices)
    # The template's |date:"SHORT_DATE_FORMAT", with the format looked up once a page.
    short_date = get_format("SHORT_DATE_FORMAT")
    return [
        {
            "url": address_of(interview["pk"]),
            "date": dateformat.format(interview["date"], short_date),
            "badge": Interview.badge_of(interview["status"]),
            "status_label": labels.get(interview["status"], interview["status"]),
            "actor_name": interview["actor_name"],
            "questionnaire_label": versions[interview["version_id"]],
            "cluster_name": clusters[interview["cluster_id"]],
            "interviewer_name": people[interview["interviewer_id"]],
        }
        for interview in interviews
    ]


def _with_missing(known, interviews, key, queryset, label):
    """``known`` ({pk: label}) with the label of every ``key`` of the interviews (rows of interview_list())
    that it lacks."""
    missing = {interview[key] for interview in interviews} - known.keys()
    if not missing:
        return known
    return {**known, **{obj.pk: label(obj) for obj in queryset.filter(pk__in=missing)}}


def interview_counts_by_status(cluster, date_from=None, date_to=None):
    """{status: count} of a cluster's interviews (every status present, zeros included), in one query."""
    return status_counts_by_period([cluster.pk], [(date_from, date_to)])[0]


def status_counts_by_period(cluster_ids, periods):
    """For each (first day, last day) of ``periods`` (either may be None: open), {status: count} of the
    interviews of these clusters dated in it, every status present (zeros included). One query, whatever
    the number of periods: conditional counts over the (cluster, status, ...) index."""

    def dated(start, end):
        condition = Q()
        if start:
            condition &= Q(date__gte=start)
        if end:
            condition &= Q(date__lte=end)
        return condition

    interviews = Interview.objects.filter(cluster__in=cluster_ids)
    starts, ends = [start for start, _end in periods], [end for _start, end in periods]
    if all(starts):
        interviews = interviews.filter(date__gte=min(starts))
    if all(ends):
        interviews = interviews.filter(date__lte=max(ends))

    # COUNT(*) or COUNT(date), not COUNT(id): the (cluster, status, ...) index, which includes the date,
    # answers them without reading the table.
    def counted(start, end):
        condition = dated(start, end)
        return Count("date", filter=condition) if condition else Count("*")

    rows = interviews.values_list("status").annotate(
        **{f"p{index}": counted(start, end) for index, (start, end) in enumerate(periods)}
    )
    found = {row[0]: row[1:] for row in rows.order_by()}
    return [
        {status: found[status][index] if status in found else 0 for status in Interview.Status.values}
        for index in range(len(periods))
    ]


def interviews_by_month(cluster_ids, *, date_from, date_to):
    """{(cluster id, first day of the month): count} of the interviews of these clusters dated in the
    period, every status. One grouped query."""
    rows = (
        Interview.objects.filter(cluster__in=cluster_ids, date__gte=date_from, date__lte=date_to)
        .annotate(month=TruncMonth("date"))
        .values_list("cluster_id", "month")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {(cluster_id, month): n for cluster_id, month, n in rows}


def review_queue_head(user, *, limit):
    """The submitted interviews waiting for review in the user's clusters, oldest first: the first
    ``limit`` (with cluster, actor and researcher) and how many there are in all. Two queries."""
    queue = (
        visible_interviews(user)
        .filter(status=Interview.Status.SUBMITTED)
        .select_related("cluster", "actor", "interviewer")
        .order_by("submitted_at", "pk")
    )
    return list(queue[:limit]), queue.count()


def unfinished_interviews(user, *, limit):
    """A researcher's own interviews still to work on: those returned for correction and the drafts,
    each newest first (the first ``limit`` of each), with how many of each there are. Three queries."""
    mine = Interview.objects.filter(interviewer=user).select_related("cluster", "actor")
    totals = mine.aggregate(
        returned=Count("pk", filter=Q(status=Interview.Status.RETURNED)),
        drafts=Count("pk", filter=Q(status=Interview.Status.DRAFT)),
    )
    newest = ("-updated_at", "-pk")
    return {
        "returned": list(mine.filter(status=Interview.Status.RETURNED).order_by(*newest)[:limit]),
        "returned_total": totals["returned"],
        "drafts": list(mine.filter(status=Interview.Status.DRAFT).order_by(*newest)[:limit]),
        "drafts_total": totals["drafts"],
    }


# --- Findings ---------------------------------------------------------------------------------------


@dataclass
class Stats:
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class QuestionFindings:
    code: str
    label: str
    type: str
    section_title: str
    n: int
    options: list = field(default_factory=list)  # [(label, count, share)] with share in 0..1
    stats: Stats | None = None
    quotes: list = field(default_factory=list)  # [Quote] most said first

    @property
    def type_label(self):
        # A type this code does not know yet (a newer questionnaire) shows its code rather than failing.
        return Question.Type(self.type).label if self.type in Question.Type.values else self.type


class Quote(NamedTuple):
    """A text answer as ``count`` respondents gave it (case and surrounding spaces aside), cut to QUOTE_LENGTH."""

    text: str
    count: int


@dataclass
class Findings:
    questionnaire_name: str
    version_number: int
    sample_size: int
    first_date: datetime.date | None
    last_date: datetime.date | None
    questions: list = field(default_factory=list)


# Not findings: what the form shows or records by itself (metadata, notes, hidden values).
FINDINGS_SKIPPED = Question.METADATA_TYPES | Question.DISPLAY_TYPES | {T.HIDDEN}
# Answer aggregates are cached under a stamp of the selected interviews (see findings); the time
# limit only bounds how long a renamed actor can keep its old name in a cached list.
FINDINGS_CACHE_SECONDS = 300
# Each question's figures, cached per selection under the digests of its tallies: they name no actor, so no
# time makes them wrong; the limit only frees the memory of selections nobody looks at any more.
FINDINGS_PARTS_SECONDS = 3600


def findings_version(cluster, versions):
    """The pk of the version a cluster's findings open on, among ``versions``: that of its latest
    approved interview (the questionnaire now in use), else the first of ``versions``, else None.
    One probe of the (cluster, date) index, however many interviews the cluster has."""
    return (
        Interview.objects.filter(cluster=cluster, status=Interview.Status.APPROVED, version__in=versions)
        .order_by("-date", "-pk")
        .values_list("version", flat=True)
        .first()
    ) or versions.values_list("pk", flat=True).first()


def findings(*, cluster, version, statuses, date_from=None, date_to=None):
    """What a cluster's interviews of one questionnaire version said, question by question.

    ``statuses`` chooses the interviews (e.g. only approved). Per question: n answered, option
    counts and shares (choices, scale values, yes/no, named actors), mean/median/min/max of numbers
    and scales, a few text answers to quote. Added up from the stored tallies of the interviews'
    buckets (status and month, see surveys.tallies), of which only those changed since are computed
    again: about twenty queries whatever the number of interviews.
    """
    interviews = _selected_interviews(cluster, version, statuses, date_from, date_to)
    buckets = tallies.current_buckets(interviews, date_from=date_from, date_to=date_to)
    selection = repr((cluster.pk, version.pk, sorted(statuses), date_from, date_to))
    # The stamps change whenever a selected interview is added, removed or saved (every save bumps
    # updated_at and lock_version), so cached aggregates are never older than the data they summarise.
    key = "findings:" + hashlib.sha256(repr((selection, [(b.key, b.stamp) for b in buckets])).encode()).hexdigest()
    aggregates = cache.get(key)
    if aggregates is None:
        # The selection's figures per question, as last added up: those of questions whose tallies did not
        # change are reused (they depend on the tallies alone, so they may live longer than the whole).
        parts_key = "findings-parts:" + hashlib.sha256(selection.encode()).hexdigest()
        ids = tallies.bucket_ids(cluster=cluster, version=version, buckets=buckets)
        added = tallies.aggregates(dict(zip(ids, (b.stamp for b in buckets), strict=True)), parts=cache.get(parts_key))
        aggregates = added.aggregates
        cache.set(key, aggregates, FINDINGS_CACHE_SECONDS)
        cache.set(parts_key, added.parts, FINDINGS_PARTS_SECONDS)
    return _findings(
        version,
        sample_size=sum(b.n for b in buckets),
        first_date=min((b.first for b in buckets), default=None),
        last_date=max((b.last for b in buckets), default=None),
        aggregates=aggregates,
    )


def findings_from_answers(*, cluster, version, statuses, date_from=None, date_to=None):
    """The same figures as ``findings``, computed from the answers themselves (no bucket, no cache): what
    the buckets must always add up to, and the tests hold them to it."""
    interviews = _selected_interviews(cluster, version, statuses, date_from, date_to)
    summary = interviews.aggregate(n=Count("*"), first=Min("date"), last=Max("date"))
    return _findings(
        version,
        sample_size=summary["n"],
        first_date=summary["first"],
        last_date=summary["last"],
        aggregates=_answer_aggregates(interviews),
    )


def _selected_interviews(cluster, version, statuses, date_from, date_to):
    interviews = Interview.objects.filter(cluster=cluster, version=version, status__in=list(statuses))
    if date_from:
        interviews = interviews.filter(date__gte=date_from)
    if date_to:
        interviews = interviews.filter(date__lte=date_to)
    return interviews


def _findings(version, *, sample_size, first_date, last_date, aggregates):
    questions = [q for q in form_questions(version) if q.type not in FINDINGS_SKIPPED]
    result = Findings(
        questionnaire_name=version.questionnaire.name,
        version_number=version.number,
        sample_size=sample_size,
        first_date=first_date,
        last_date=last_date,
    )
    answered, chosen, flags, scale_counts, stats, medians, named, quotes = aggregates

    for q in questions:
        n = answered.get(q.pk, 0)
        item = QuestionFindings(
            code=q.code, label=q.label, type=q.type, section_title=q.section.title if q.section else "", n=n
        )
        if q.type in Question.CHOICE_TYPES:
            item.options = [(c.label, chosen.get(c.pk, 0), _share(chosen.get(c.pk, 0), n)) for c in q.choices.all()]
        elif q.type == T.YES_NO:
            from django.utils.translation import gettext

            item.options = [
                (gettext("Yes"), flags.get((q.pk, True), 0), _share(flags.get((q.pk, True), 0), n)),
                (gettext("No"), flags.get((q.pk, False), 0), _share(flags.get((q.pk, False), 0), n)),
            ]
        elif q.type == T.SCALE:
            item.options = [
                (str(value), scale_counts.get((q.pk, value), 0), _share(scale_counts.get((q.pk, value), 0), n))
                for value in range(1, 6)
            ]
        elif q.type == T.ACTOR_RELATIONSHIP:
            item.options = [(name, count, _share(count, n)) for name, count in named.get(q.pk, [])]
        if (q.type in Question.NUMBER_TYPES or q.type == T.CALCULATE) and q.pk in stats:
            row = stats[q.pk]
            item.stats = Stats(
                mean=two_places(row["mean"]),
                median=medians.get(q.pk),
                minimum=two_places(row["minimum"]),
                maximum=two_places(row["maximum"]),
            )
        item.quotes = [Quote(*quote) for quote in quotes.get(q.pk, [])]
        result.questions.append(item)
    return result


def _answer_aggregates(interviews):
    """The per-question aggregates of the interviews' answers, computed in the database (eight queries)."""
    answers = Answer.objects.filter(interview__in=interviews.values("pk"))
    answered = dict(answers.values_list("question_id").annotate(n=Count("pk")).order_by())
    chosen = dict(
        AnswerChoice.objects.filter(answer__in=answers.values("pk"))
        .values_list("choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    flags = {
        (question_id, flag): n
        for question_id, flag, n in answers.filter(bool_value__isnull=False, question__type=T.YES_NO)
        .values_list("question_id", "bool_value")
        .annotate(n=Count("pk"))
        .order_by()
    }
    scale_counts = {
        (question_id, int(value)): n
        for question_id, value, n in answers.filter(question__type=T.SCALE, number_value__isnull=False)
        .values_list("question_id", "number_value")
        .annotate(n=Count("pk"))
        .order_by()
    }
    numbers = answers.filter(question__type__in=[*Question.NUMBER_TYPES, T.CALCULATE], number_value__isnull=False)
    stats = {
        row["question_id"]: row
        for row in numbers.values("question_id")
        .annotate(mean=Avg("number_value"), minimum=Min("number_value"), maximum=Max("number_value"))
        .order_by()
    }
    medians = _medians(numbers)
    named = {}
    for question_id, name, n in (
        AnswerActor.objects.filter(answer__in=answers.values("pk"))
        .values_list("answer__question_id", "actor__name")
        .annotate(n=Count("pk"))
        .order_by("answer__question_id", "-n", spanish("actor__name"))
    ):
        named.setdefault(question_id, []).append((name, n))
    quotes = {}
    # The same answer typed by several respondents is one quote that says how many gave it; the most
    # said come first (then the alphabet, so that a tie always reads the same).
    for question_id, rank, text, n in (
        answers.filter(question__type__in=list(Question.QUOTED_TYPES))
        .exclude(text_value="")
        .annotate(said=Lower(Trim("text_value")))
        .values("question_id", "said")
        .annotate(
            n=Count("pk"),
            # Of the spellings, the first in code-point order once trimmed: "Una …" before "una …".
            text=Min(Trim("text_value")),
            rank=GroupedWindow(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[Count("pk").desc(), F("said").asc()],
            ),
        )
        .filter(rank__lte=QUOTES_PER_QUESTION)
        # No ORDER BY on the window: Django would then GROUP BY it. At most three rows a question: sorted here.
        .order_by()
        .values_list("question_id", "rank", "text", "n")
    ):
        quotes.setdefault(question_id, []).append((rank, Quote(clip(text.strip(), QUOTE_LENGTH), n)))
    quotes = {question_id: [quote for _rank, quote in sorted(ranked)] for question_id, ranked in quotes.items()}
    return answered, chosen, flags, scale_counts, stats, medians, named, quotes


def _share(count, n):
    return count / n if n else 0.0


def _medians(numbers):
    """{question id: median} in one query: each value's rank and its question's count, middle rows only."""
    ranked = (
        numbers.annotate(
            rank=Window(
                RowNumber(), partition_by=[F("question_id")], order_by=[F("number_value").asc(), F("pk").asc()]
            ),
            total=Window(Count("pk"), partition_by=[F("question_id")]),
        )
        # The middle one (odd count) or two (even count): rank in {floor((n+1)/2), ceil((n+1)/2)}.
        .filter(Q(rank=(F("total") + 1) / 2) | Q(rank=(F("total") + 2) / 2))
        .values_list("question_id", "number_value")
    )
    middle = {}
    for question_id, value in ranked:
        middle.setdefault(question_id, []).append(Decimal(value))
    return {question_id: two_places(sum(values) / len(values)) for question_id, values in middle.items()}


def version_form_spec(version):
    """A version as the XLSForm module's FormSpec (for the .xlsx export, the XForm and the checks)."""
    from surveys import formcheck, xlsform

    sections = {s.pk: s for s in version.sections.all()}
    questions = list(ordered_questions(version).prefetch_related("choices"))
    items = [
        (s.order, 0, xlsform.SectionSpec(
            code=s.code,
            kind=s.kind,
            labels=dict(s.labels),
            relevant=s.relevant,
            appearance=s.appearance,
            repeat_count=s.repeat_count,
            extra=dict(s.extra),
            parent=sections[s.parent_id].code if s.parent_id else None,
        ))
        for s in sections.values()
    ]  # fmt: skip
    files = []
    for q in questions:
        spec = xlsform.QuestionSpec(
            code=q.code,
            type=q.type,
            section_code=sections[q.section_id].code if q.section_id else None,
            choices=[
                xlsform.ChoiceSpec(value=c.value, labels=dict(c.labels), extra=dict(c.extra)) for c in q.choices.all()
            ]
            if not xlsform.is_file_list(q.list_name)
            else [],
            **{name: getattr(q, name) for name in SPEC_QUESTION_FIELDS},
        )
        items.append((q.order, 1, spec))
        if xlsform.is_file_list(q.list_name) and q.list_name not in files:
            files.append(q.list_name)
        for name in _media_files(q.extra):
            if name not in files:
                files.append(name)
    items.sort(key=lambda item: (item[0], item[1]))
    files += [name for name in formcheck.data_files(item for _order, _kind, item in items) if name not in files]
    return xlsform.FormSpec(
        title=version.questionnaire.name,
        form_id=version.form_id or f"questionnaire_{version.questionnaire_id}",
        version=str(version.number),
        languages=list(version.languages or []),
        default_language=version.default_language,
        settings=dict(version.form_settings or {}),
        items=[item for _order, _kind, item in items],
        files=files,
    )


SPEC_QUESTION_FIELDS = (
    "labels", "hints", "required", "required_if", "required_messages", "relevant", "constraint",
    "constraint_messages", "min_value", "max_value", "calculation", "default", "read_only", "trigger",
    "choice_filter", "appearance", "parameters", "list_name", "relationship_kind", "extra",
)  # fmt: skip


def _media_files(extra):
    """The names of the media files a question's labels show (``extra["media"]``: {kind: name or {language: name}}).
    A plain text there is a team's own 'media' column, which versions imported before it had a key of its own
    (xlsform.MEDIA_COLUMN) kept in that place: it names no file."""
    media = (extra or {}).get("media") or {}
    if not isinstance(media, dict):
        return
    for value in media.values():
        yield from (value.values() if isinstance(value, dict) else [value])
