"""The interview's forms: starting one, the whole interview (every question of any XLSForm, in groups and
repeats; each question's field is ``forms.fields.answer_field``), reviewing, attaching files, and the list's
filters."""

import datetime
import re
import uuid
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from clusters.collation import spanish
from clusters.filters import FastSelectFilterSet, cluster_scope
from clusters.history import person, person_name
from clusters.models import Actor
from clusters.widgets import FastDateInput
from surveys.forms.fields import (
    COMPUTED,
    DATE_INPUTS,
    ISO_DATE,
    NOT_ASKED,
    DurationTextField,
    answer_field,
)
from surveys.languages import language_label
from surveys.models import Interview, Question, QuestionnaireVersion
from surveys.selectors import usable_versions, version_label_of
from surveys.services import DETAIL_FIELDS, interview_save
from surveys.services.interviews import answer_key

T = Question.Type


def version_option(questionnaire_name, number):
    """How a select box offers a version: "Entrevista a actores (v2)"."""
    return f"{questionnaire_name} (v{number})"


# At most this many instances of one repeat in one form (a repeat_count or the researcher's "add").
MAX_INSTANCES = 200
COUNT_FIELD = re.compile(r"r_(?P<code>[A-Za-z_][A-Za-z0-9_.\-]*?)(?:__(?P<parent>\d+(?:\.\d+)*))?")


class StartInterviewForm(forms.Form):
    """Step one: which questionnaire, which cluster, in which of the form's languages."""

    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none())
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=visible_clusters(None), to_field_name="slug", empty_label=None
    )
    language = forms.ChoiceField(
        label=_("Language of the questions"),
        required=False,
        help_text=_("The questionnaire's own languages; the interface keeps yours."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        versions = list(usable_versions().order_by(spanish("questionnaire__name")))
        self.fields["version"].queryset = usable_versions().order_by(spanish("questionnaire__name"))
        self.fields["version"].empty_label = None
        self.fields["version"].label_from_instance = lambda v: version_option(v.questionnaire.name, v.number)
        self.fields["cluster"].queryset = visible_clusters(user).order_by(spanish("name"))
        languages = []
        for version in versions:
            for name in version.languages or []:
                if name not in languages:
                    languages.append(name)
        self.fields["language"].choices = [("", _("The interface's language, if the form has it"))] + [
            (name, language_label(name)) for name in languages
        ]


def question_field_name(question, repeat=""):
    return f"q_{answer_key(question.code, repeat)}"


def count_field_name(repeat_code, parent=""):
    return f"r_{repeat_code}__{parent}" if parent else f"r_{repeat_code}"


@dataclass
class FormNode:
    """One thing the interview form shows: a group, a repeat (with its instances) or a question."""

    kind: str  # "group", "repeat", "instance" or "question"
    item: object = None  # the Section or Question
    path: str = ""  # the repeat path of this node ("" outside repeats; "0…" inside a new instance's template)
    bound: object = None  # a question's bound field
    children: list = field(default_factory=list)
    template: object = None  # a repeat's blank instance, for the browser to copy
    count_field: str = ""  # a repeat's hidden count input name

    @property
    def number(self):
        return self.path.rsplit(".", 1)[-1] if self.path else ""


def _paths(chain, counts, parent=""):
    """Every repeat path of a question inside the repeats ``chain``, given the instance counts."""
    if not chain:
        return [parent]
    first, rest = chain[0], chain[1:]
    paths = []
    for index in range(1, counts.get((first, parent), 0) + 1):
        here = f"{parent}.{index}" if parent else str(index)
        paths.extend(_paths(rest, counts, here))
    return paths


class InterviewForm(forms.Form):
    """The whole interview: who, when, where, consent, and one field per question and repetition.

    Fields are ``q_<code>`` outside repeats and ``q_<code>__<repeat>`` inside ("q_product__2"); each repeat's
    number of instances (under each instance of its parent repeats) is ``r_<code>`` / ``r_<code>__<parent>``.
    """

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    started_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    language = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    actor = forms.ModelChoiceField(label=_("Actor interviewed"), queryset=Actor.objects.none(), required=False)
    new_actor_name = forms.CharField(label=_("Name of the new actor"), max_length=255, required=False)
    new_actor_kind = forms.ChoiceField(label=_("Kind"), choices=Actor.Kind.choices, required=False)
    new_actor_ruc = forms.CharField(
        label=_("RUC (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    respondent_name = forms.CharField(label=_("Respondent"), max_length=150, required=False)
    respondent_position = forms.CharField(label=_("Respondent's position"), max_length=150, required=False)
    date = forms.DateField(
        label=_("Date"), input_formats=DATE_INPUTS, widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Interview.Mode.choices, initial=Interview.Mode.IN_PERSON)
    duration = DurationTextField(
        label=_("Duration"),
        required=False,
        help_text=_("Minutes (90), hours and minutes (1:30) or 1h 30."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
    )
    consent_given = forms.BooleanField(
        label=_("The respondent gave informed consent"),
        required=False,
        help_text=_("Needed to submit the interview."),
    )
    notes = forms.CharField(
        label=_("Notes or transcript"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=100000
    )

    META_FIELDS = DETAIL_FIELDS  # the interview's own fields, as the service saves them

    def __init__(self, *args, structure, cluster_actors, interview=None, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.interview = interview
        self.fields["actor"].queryset = Actor.objects.filter(pk__in=[a.pk for a in cluster_actors])
        self.fields["actor"].choices = [("", "---------")] + [(a.pk, a.name) for a in cluster_actors]
        self.actor_choices = [(a.pk, a.name) for a in cluster_actors]
        self.instance_counts = self._posted_counts() if self.is_bound else dict(counts or {})
        self.answer_fields = {}  # (code, repeat) -> field name
        for question in structure.questions:
            chain = structure.repeats_of.get(question.code, [])
            for repeat in _paths(chain, self.instance_counts):
                self._add_answer_field(question, repeat)

    # --- Building ---

    def _add_answer_field(self, question, repeat):
        made = answer_field(question, self.actor_choices)
        if made is None:
            return
        name = question_field_name(question, repeat)
        self.fields[name] = made
        self.answer_fields[(question.code, repeat)] = name

    def repeat_codes(self):
        return [s.code for s in self.structure.sections if s.is_repeat]

    def _posted_counts(self):
        """How many instances of each repeat the page posted (bounded), under each parent instance."""
        repeats = set(self.repeat_codes())
        counts = {}
        for key, text in self.data.items():
            match = COUNT_FIELD.fullmatch(key)
            if not match or match["code"] not in repeats:
                continue
            try:
                number = int(text)
            except (TypeError, ValueError):
                continue
            counts[(match["code"], match["parent"] or "")] = max(0, min(number, MAX_INSTANCES))
        return counts

    # --- Reading ---

    def clean(self):
        data = super().clean()
        self._check_rules()
        if self.interview is None and not data.get("actor") and not data.get("new_actor_name", "").strip():
            self.add_error("actor", _("Choose the actor you interview, or add a new one below."))
        if data.get("new_actor_name", "").strip() and not data.get("new_actor_kind"):
            self.add_error("new_actor_kind", _("Choose the kind of the new actor."))
        actor = data.get("actor") or (self.interview.actor if self.interview else None)
        for (code, _repeat), name in self.answer_fields.items():
            question = self.structure.by_code[code]
            named = data.get(name) or []
            if question.type == T.ACTOR_RELATIONSHIP and actor is not None and actor.pk in named:
                self.add_error(name, _("The interviewed actor cannot name itself: choose others."))
        return data

    def _check_rules(self):
        """The form logic's verdict on what was typed (the service runs it again on saving): a broken rule is
        told at its question together with every other error, never one at a time."""
        from surveys import engine
        from surveys.services.interviews import answer_key

        typed = {key: value for key, value in self.answers().items() if self.answer_fields[key] not in self.errors}
        evaluation = engine.evaluate(
            self.structure, typed, counts=self.instance_counts, changed=self.changed_triggers(typed)
        )
        for key, message in evaluation.problems.items():
            name = self.field_for(answer_key(*key))
            if name and name not in self.errors:
                self.add_error(name, message)

    def changed_triggers(self, answers):
        """The (code, repeat) keys of trigger questions (XLSForm's trigger column) whose posted value differs
        from the stored one (a new interview's: from empty). One query, and only for a form with triggers.
        None changed when the page's script set them as the person went (it posts triggers_set): kept as posted."""
        if self.data.get("triggers_set") == "browser" or not self.structure.trigger_sources():
            return set()
        if not hasattr(self, "_stored"):
            from surveys.services.interviews import interview_answers

            self._stored = {} if self.interview is None else interview_answers(self.interview, structure=self.structure)
        return self.structure.changed_triggers(self._stored, answers)

    def answers(self):
        """{(code, repeat): domain value} from the cleaned data (media questions: the file's name)."""
        answers = {}
        for (code, repeat), name in self.answer_fields.items():
            question = self.structure.by_code[code]
            value = self.cleaned_data.get(name)
            if question.type in Question.MEDIA_TYPES:
                if value is False or value is None:
                    value = None
                elif hasattr(value, "read"):
                    continue  # a new file: the service names the answer after it
            elif question.type == T.ACKNOWLEDGE:
                value = "OK" if value else None
            elif isinstance(value, str):
                value = value.strip()
            answers[(code, repeat)] = value
        return answers

    def uploaded_files(self):
        """{(code, repeat): uploaded file} for media questions answered with a new file."""
        return {
            key: self.cleaned_data[name]
            for key, name in self.answer_fields.items()
            if hasattr(self.cleaned_data.get(name), "read")
        }

    def details(self):
        return {name: self.cleaned_data.get(name) for name in self.META_FIELDS}

    def save(self, *, user, version, cluster, submit):
        """Save what the valid form holds through the service: a draft, or a submission if ``submit``."""
        answers = self.answers()
        return interview_save(
            user=user,
            uuid=self.cleaned_data["uuid"],
            version=version,
            cluster=cluster,
            actor=self.cleaned_data.get("actor"),
            new_actor=self.new_actor(),
            details=self.details(),
            answers=answers,
            changed=self.changed_triggers(answers),
            submit=submit,
            expected_lock_version=self.cleaned_data.get("lock_version"),
            form_token=self.cleaned_data["form_token"],
            structure=self.structure,
            counts=self.instance_counts,
            language=self.cleaned_data.get("language") or "",
            started_at=self.cleaned_data.get("started_at"),
            files=self.uploaded_files(),
        )

    def new_actor(self):
        name = self.cleaned_data.get("new_actor_name", "").strip()
        if not name:
            return None
        fields = {"name": name, "kind": self.cleaned_data.get("new_actor_kind") or Actor.Kind.OTHER}
        if self.cleaned_data.get("new_actor_ruc", "").strip():
            fields["ruc"] = self.cleaned_data["new_actor_ruc"].strip()
        return fields

    def field_for(self, key):
        """The form field name of an answer key ("code" or "code__2") the service reports a problem for."""
        code, _sep, repeat = key.partition("__")
        return self.answer_fields.get((code, repeat))

    # --- Showing ---

    def layout(self):
        """The form as nested FormNodes (groups, repeats with their instances and a blank one, questions)."""
        structure = self.structure
        children = {}
        for section in structure.sections:
            parent = next((s.code for s in structure.sections if s.pk == section.parent_id), None)
            children.setdefault(parent, []).append((section.order, 0, section))
        for question in structure.questions:
            parent = question.section.code if question.section_id else None
            children.setdefault(parent, []).append((question.order, 1, question))
        for items in children.values():
            items.sort(key=lambda item: (item[0], item[1]))
        return self._nodes(children, None, "")

    def _nodes(self, children, parent, path):
        nodes = []
        for _order, kind, item in children.get(parent, []):
            if kind == 1:
                if item.type in NOT_ASKED and item.type != T.NOTE:
                    continue
                if item.type in COMPUTED:
                    name = question_field_name(item, path)
                    if name in self.fields:
                        nodes.append(FormNode("computed", item, path, bound=self[name]))
                    continue
                name = question_field_name(item, path)
                bound = self[name] if name in self.fields else None
                if item.type == T.NOTE or bound is not None:
                    nodes.append(FormNode("question", item, path, bound=bound))
                continue
            if not item.is_repeat:
                nodes.append(FormNode("group", item, path, children=self._nodes(children, item.code, path)))
                continue
            node = FormNode("repeat", item, path, count_field=count_field_name(item.code, path))
            for index in range(1, self.instance_counts.get((item.code, path), 0) + 1):
                here = f"{path}.{index}" if path else str(index)
                node.children.append(FormNode("instance", item, here, children=self._nodes(children, item.code, here)))
            blank = f"{path}.0" if path else "0"
            node.template = FormNode("instance", item, blank, children=self._template_nodes(children, item.code, blank))
            nodes.append(node)
        return nodes

    def _template_nodes(self, children, parent, path):
        """A blank instance's nodes: fields named with index 0, made for the template only (never posted)."""
        for _order, kind, item in children.get(parent, []):
            if kind == 1 and item.type not in NOT_ASKED:
                name = question_field_name(item, path)
                if name not in self.fields:
                    made = answer_field(item, self.actor_choices)
                    if made is not None:
                        self.fields[name] = made
            elif kind == 0 and not item.is_repeat:
                self._template_nodes(children, item.code, path)
        return self._nodes(children, parent, path)

    @staticmethod
    def initial_for(interview, answers, structure):
        """The initial data of the form for an existing interview (its stored values)."""
        initial = {
            "uuid": interview.uuid,
            "form_token": uuid.uuid4(),
            "lock_version": interview.lock_version,
            "actor": interview.actor_id,
            "language": interview.language,
            **{name: getattr(interview, name) for name in InterviewForm.META_FIELDS},
        }
        for (code, repeat), value in answers.items():
            question = structure.by_code.get(code)
            if question is None or value is None:
                continue
            if question.type == T.YES_NO:
                value = "yes" if value else "no"
            elif question.type == T.SCALE:
                value = str(int(value))
            elif question.type == T.ACKNOWLEDGE:
                value = bool(value)
            elif question.type == T.DATETIME and isinstance(value, datetime.datetime):
                from django.utils import timezone

                value = timezone.localtime(value).replace(tzinfo=None)
            initial[question_field_name(question, repeat)] = value
        return initial

    @staticmethod
    def counts_for(answers, structure, minimum=None):
        """Instance counts that show every stored answer (and at least one instance of each open repeat)."""
        counts = dict(minimum or {})
        for (code, repeat), _value in answers.items():
            chain = structure.repeats_of.get(code, [])
            parts = repeat.split(".") if repeat else []
            for depth, repeat_code in enumerate(chain):
                if depth < len(parts):
                    key = (repeat_code, ".".join(parts[:depth]))
                    counts[key] = max(counts.get(key, 0), int(parts[depth]))
        return counts


# Errors that the registry's actor_create reports, and the form field they belong to.
NEW_ACTOR_FIELDS = {"name": "new_actor_name", "kind": "new_actor_kind", "ruc": "new_actor_ruc"}


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to approve or to return the interview.")},
    )
    comment = forms.CharField(
        label=_("Comment for the researcher"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the interview: say what to correct."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what the researcher should correct."))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A photo (JPEG, PNG, WebP), an audio recording (MP3, OGG, M4A, WAV, WebM) or a PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,audio/*,application/pdf"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)


class _ReadOnceChoices(django_filters.fields.ModelChoiceIterator):
    """A model choice field's options from the (value, label) pairs already read (``field.options``),
    instead of a query and a model instance per option each time they are iterated."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.options

    def __len__(self):
        return len(self.field.options) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options)


class InterviewFilter(FastSelectFilterSet):
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=visible_clusters(None),
        to_field_name="slug",
        field_name="cluster",
    )
    version = django_filters.ModelChoiceFilter(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Interview.Status.choices)
    interviewer = django_filters.ModelChoiceFilter(label=_("Researcher"), queryset=get_user_model().objects.none())
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="date",
        lookup_expr="gte",
        input_formats=DATE_INPUTS,
        widget=FastDateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="date",
        lookup_expr="lte",
        input_formats=DATE_INPUTS,
        widget=FastDateInput(attrs={"type": "date"}, format=ISO_DATE),
    )

    # The dashboard's links keep the list to the clusters it counted (hidden: the box does not offer them).
    cluster_region, cluster_sector = cluster_scope(lambda interviews, clusters: interviews.filter(cluster__in=clusters))

    class Meta:
        model = Interview
        fields = ["cluster", "version", "status", "interviewer", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The options read only what they show (their instances are made on every list page).
        self.filters["cluster"].queryset = visible_clusters(user).order_by(spanish("name")).only("pk", "slug", "name")
        # Every version interviews can have used: the published and the retired ones (a draft has
        # none). Asking which ones the visible interviews used would read every interview.
        self.filters["version"].queryset = (
            QuestionnaireVersion.objects.exclude(status=QuestionnaireVersion.Status.DRAFT)
            .select_related("questionnaire")
            .only("pk", "number", "questionnaire__name")
            .order_by(spanish("questionnaire__name"), "-number")
        )
        self.filters["version"].field.label_from_instance = lambda v: version_option(v.questionnaire.name, v.number)
        self.filters["interviewer"].queryset = (
            get_user_model()
            # EXISTS per researcher (an index probe each), never a scan of every interview.
            .objects.filter(Exists(self.queryset.order_by().filter(interviewer=OuterRef("pk"))))
            .only("pk", "username", "first_name", "last_name")
            .order_by(spanish("first_name"), "username")
        )
        self.filters["interviewer"].field.label_from_instance = person

    def row_names(self):
        """The names the list's rows show, from the filter box's option lists (read once for both, as
        values rather than model instances: the box is on every request of the list):
        {"cluster": {pk: name}, "version": {pk: "Questionnaire vN"}, "interviewer": {pk: name}}.

        Every visible interview's cluster, version (never a draft) and researcher is among the options;
        interview_rows() looks up any that is not."""
        fields = self.form.fields
        clusters = list(fields["cluster"].queryset.values_list("pk", "slug", "name"))
        versions = list(fields["version"].queryset.values_list("pk", "number", "questionnaire__name"))
        people = list(fields["interviewer"].queryset.values_list("pk", "first_name", "last_name", "username"))
        names = {
            "cluster": {pk: name for pk, _slug, name in clusters},
            "version": {pk: version_label_of(name, number) for pk, number, name in versions},
            "interviewer": {pk: person_name(first, last, username) for pk, first, last, username in people},
        }
        self._offer("cluster", [(slug, name) for _pk, slug, name in clusters])
        self._offer("version", [(pk, version_option(name, number)) for pk, number, name in versions])
        self._offer("interviewer", list(names["interviewer"].items()))
        return names

    def _offer(self, name, options):
        """Let the field's select box show ``options`` ((value, label) pairs) without reading them again."""
        field_ = self.form.fields[name]
        field_.options = options
        field_.iterator = _ReadOnceChoices
        field_.widget.choices = field_.choices
