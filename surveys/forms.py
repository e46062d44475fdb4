"""Forms turn what people type into domain values: Decimals, dates, timedeltas, choices, actors."""

import datetime
import re
import uuid
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from clusters.collation import spanish
from clusters.filters import FastSelectFilterSet
from clusters.history import person
from clusters.models import Actor, Relationship
from clusters.numbers import parse_number  # the site's one parser of typed numbers (was here)
from surveys.models import Interview, Question, Questionnaire, QuestionnaireVersion, Section
from surveys.selectors import usable_versions, version_label, visible_versions
from surveys.services import DETAIL_FIELDS, QUESTION_FIELDS, interview_save

T = Question.Type
ISO_DATE = "%Y-%m-%d"
DATE_INPUTS = [ISO_DATE, "%d/%m/%Y", "%d/%m/%y"]

# --- Text to values ---------------------------------------------------------------------------------

HOURS = r"(?:h|hr|hrs|hora|horas|hour|hours)"
MINUTES = r"(?:m|min|mins|minuto|minutos|minute|minutes)"
DURATION_WORDS = re.compile(rf"(?:(?P<h>\d+)\s*{HOURS}\.?)?\s*(?:(?P<m>\d+)\s*(?:{MINUTES}\.?)?)?", re.IGNORECASE)
DURATION_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>[0-5]?\d)")
MAX_DURATION = datetime.timedelta(hours=24)


def parse_duration(text):
    """'90', '1:30', '1h 30', '1 h 30 min', '45 min', '2h' -> a timedelta; ValueError otherwise."""
    text = (text or "").strip().lower()
    if not text:
        return None
    # No real interview lasts a number of minutes with more than five digits; a longer one would overflow.
    if any(len(digits) > 5 for digits in re.findall(r"\d+", text)):
        raise ValueError(text)
    if text.isdigit():
        duration = datetime.timedelta(minutes=int(text))
    elif match := DURATION_CLOCK.fullmatch(text):
        duration = datetime.timedelta(hours=int(match["h"]), minutes=int(match["m"]))
    elif (match := DURATION_WORDS.fullmatch(text)) and (match["h"] or match["m"]):
        if match["h"] is None and not re.search(MINUTES, text):
            raise ValueError(text)
        duration = datetime.timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
    else:
        raise ValueError(text)
    if duration > MAX_DURATION:
        raise ValueError(text)
    return duration


def format_duration(duration):
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class DurationTextField(forms.CharField):
    default_error_messages = {
        "invalid": _("Write the duration as minutes (90), hours and minutes (1:30) or 1h 30, up to 24 hours.")
    }

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_duration(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return format_duration(value) if isinstance(value, datetime.timedelta) else value


class NumberAnswerField(forms.CharField):
    default_error_messages = {"invalid": _("Write a number, e.g. 12 or 3.5.")}

    def __init__(self, *, question, **kwargs):
        self.question = question
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            number = parse_number(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number is not None:
            problem = self.question.number_problem(number)
            if problem:
                raise ValidationError(problem, code="bounds")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


# --- Interviews -------------------------------------------------------------------------------------


class StartInterviewForm(forms.Form):
    """Step one: which questionnaire, which cluster."""

    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none())
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=visible_clusters(None), to_field_name="slug", empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = usable_versions().order_by(spanish("questionnaire__name"))
        self.fields["version"].empty_label = None
        self.fields["version"].label_from_instance = lambda v: f"{v.questionnaire.name} (v{v.number})"
        self.fields["cluster"].queryset = visible_clusters(user).order_by(spanish("name"))


def question_field_name(question):
    return f"q_{question.code}"


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _answer_field(question, actor_choices):
    # Required answers are checked on submission only (a draft may leave them empty): the label says so.
    label = f"{question.label} *" if question.required else question.label
    common = {"label": label, "required": False, "help_text": question.help}
    if question.type == T.TEXT:
        return forms.CharField(max_length=2000, **common)
    if question.type == T.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, **common)
    if question.type in (T.INTEGER, T.DECIMAL):
        mode = "numeric" if question.type == T.INTEGER else "decimal"
        return NumberAnswerField(question=question, widget=forms.TextInput(attrs={"inputmode": mode}), **common)
    if question.type == T.SCALE:
        return forms.TypedChoiceField(
            choices=SCALE,
            coerce=Decimal,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if question.type == T.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO, coerce=lambda v: v == "yes", empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.type == T.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c.value, c.label) for c in question.choices.all()], widget=forms.RadioSelect, **common
        )
    if question.type == T.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choices.all()], widget=forms.CheckboxSelectMultiple, **common
        )
    if question.type == T.DATE:
        return forms.DateField(
            input_formats=DATE_INPUTS, widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE), **common
        )
    if question.type == T.ACTOR_RELATIONSHIP:
        return forms.TypedMultipleChoiceField(
            choices=actor_choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
        )
    raise ValueError(question.type)


class InterviewForm(forms.Form):
    """The whole interview: who, when, where, consent, and one field per question (``q_<code>``)."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
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

    def __init__(self, *args, questions, cluster_actors, interview=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.interview = interview
        self.fields["actor"].queryset = Actor.objects.filter(pk__in=[a.pk for a in cluster_actors])
        self.fields["actor"].choices = [("", "---------")] + [(a.pk, a.name) for a in cluster_actors]
        actor_choices = [(a.pk, a.name) for a in cluster_actors]
        for question in questions:
            self.fields[question_field_name(question)] = _answer_field(question, actor_choices)

    def clean(self):
        data = super().clean()
        if self.interview is None and not data.get("actor") and not data.get("new_actor_name", "").strip():
            self.add_error("actor", _("Choose the actor you interview, or add a new one below."))
        if data.get("new_actor_name", "").strip() and not data.get("new_actor_kind"):
            self.add_error("new_actor_kind", _("Choose the kind of the new actor."))
        actor = data.get("actor") or (self.interview.actor if self.interview else None)
        for question in self.questions:
            named = data.get(question_field_name(question)) or []
            if question.type == T.ACTOR_RELATIONSHIP and actor is not None and actor.pk in named:
                self.add_error(
                    question_field_name(question), _("The interviewed actor cannot name itself: choose others.")
                )
        return data

    def answers(self):
        """{question code: domain value} from the cleaned data."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if question.type in Question.TEXT_TYPES and value is not None:
                value = value.strip()
            answers[question.code] = value
        return answers

    def details(self):
        return {name: self.cleaned_data.get(name) for name in self.META_FIELDS}

    def save(self, *, user, version, cluster, submit):
        """Save what the valid form holds through the service: a draft, or a submission if ``submit``."""
        return interview_save(
            user=user,
            uuid=self.cleaned_data["uuid"],
            version=version,
            cluster=cluster,
            actor=self.cleaned_data.get("actor"),
            new_actor=self.new_actor(),
            details=self.details(),
            answers=self.answers(),
            submit=submit,
            expected_lock_version=self.cleaned_data.get("lock_version"),
            form_token=self.cleaned_data["form_token"],
            questions=self.questions,
        )

    def new_actor(self):
        name = self.cleaned_data.get("new_actor_name", "").strip()
        if not name:
            return None
        fields = {"name": name, "kind": self.cleaned_data.get("new_actor_kind") or Actor.Kind.OTHER}
        if self.cleaned_data.get("new_actor_ruc", "").strip():
            fields["ruc"] = self.cleaned_data["new_actor_ruc"].strip()
        return fields

    @staticmethod
    def initial_for(interview, answers, questions):
        """The initial data of the form for an existing interview (its stored values)."""
        initial = {
            "uuid": interview.uuid,
            "form_token": uuid.uuid4(),
            "lock_version": interview.lock_version,
            "actor": interview.actor_id,
            **{name: getattr(interview, name) for name in InterviewForm.META_FIELDS},
        }
        for question in questions:
            value = answers.get(question.code)
            if value is None:
                continue
            if question.type == T.YES_NO:
                value = "yes" if value else "no"
            elif question.type == T.SCALE:
                value = str(int(value))
            initial[question_field_name(question)] = value
        return initial


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
    """A model choice field's options from the instances already read (``field.options``), instead of
    a query each time they are iterated."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options:
            yield self.choice(obj)

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
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="date",
        lookup_expr="lte",
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )

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
        self.filters["version"].field.label_from_instance = lambda v: f"{v.questionnaire.name} (v{v.number})"
        self.filters["interviewer"].queryset = (
            get_user_model()
            # EXISTS per researcher (an index probe each), never a scan of every interview.
            .objects.filter(Exists(self.queryset.order_by().filter(interviewer=OuterRef("pk"))))
            .only("pk", "username", "first_name", "last_name")
            .order_by(spanish("first_name"), "username")
        )
        self.filters["interviewer"].field.label_from_instance = person

    def row_names(self):
        """The names the list's rows show, from the filter box's option lists (read once for both):
        {"cluster": {pk: name}, "version": {pk: "Questionnaire vN"}, "interviewer": {pk: name}}.

        Every visible interview's cluster, version (never a draft) and researcher is among the options;
        interview_rows() looks up any that is not."""
        fields = self.form.fields
        for name in ("cluster", "version", "interviewer"):
            field = fields[name]
            if not hasattr(field, "options"):
                field.options = list(field.queryset)
                field.iterator = _ReadOnceChoices
                field.widget.choices = field.choices
        return {
            "cluster": {c.pk: c.name for c in fields["cluster"].options},
            "version": {v.pk: version_label(v) for v in fields["version"].options},
            "interviewer": {u.pk: person(u) for u in fields["interviewer"].options},
        }


# --- Questionnaires ---------------------------------------------------------------------------------


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["code", "title_es", "title_en"]


def parse_choices(text):
    """One option per line, 'value | Spanish label | English label' -> [(value, es, en)]."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        if len(parts) > 3 or not parts[0] or not parts[1]:
            raise ValueError(number)
        rows.append((parts[0], parts[1], parts[2] if len(parts) == 3 else ""))
    return rows


def format_choices(choices):
    return "\n".join(f"{c.value} | {c.label_es} | {c.label_en}".rstrip(" |") for c in choices)


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice questions: one option per line, as value | Spanish label | English label."),
    )
    min_value = forms.CharField(label=_("Minimum"), required=False, max_length=30)
    max_value = forms.CharField(label=_("Maximum"), required=False, max_length=30)

    class Meta:
        model = Question
        fields = list(QUESTION_FIELDS)
        widgets = {"relevant": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all()
        self.fields["relationship_kind"].choices = [("", "---------"), *Relationship.Kind.choices]
        if self.instance.pk:
            self.fields["choices_text"].initial = format_choices(self.instance.choices.all())
            for name in ("min_value", "max_value"):
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else format(value.normalize(), "f")

    def _clean_bound(self, name):
        try:
            return parse_number(self.cleaned_data.get(name))
        except ValueError:
            raise ValidationError(_("Write a number, e.g. 12 or 3.5."), code="invalid") from None

    def clean_min_value(self):
        return self._clean_bound("min_value")

    def clean_max_value(self):
        return self._clean_bound("max_value")

    def clean_choices_text(self):
        try:
            return parse_choices(self.cleaned_data.get("choices_text"))
        except ValueError as error:
            raise ValidationError(
                _("Line %(line)s: write value | Spanish label | English label.") % {"line": error.args[0]}
            ) from None

    def _post_clean(self):
        # The service validates the question as a whole (and its condition against the version).
        pass

    def question_fields(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    name = forms.CharField(
        label=_("Name of the new questionnaire"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form's title."),
    )


class FindingsForm(forms.Form):
    STATUS_CHOICES = [
        ("approved", _("Approved only")),
        ("submitted", _("Submitted and approved")),
    ]
    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none())
    statuses = forms.ChoiceField(label=_("Interviews"), choices=STATUS_CHOICES, initial="approved", required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (
            visible_versions(user)
            .exclude(status=QuestionnaireVersion.Status.DRAFT)
            .order_by(spanish("questionnaire__name"), "-number")
        )
        self.fields["version"].label_from_instance = lambda v: f"{v.questionnaire.name} (v{v.number})"
        self.fields["version"].empty_label = None

    def status_values(self):
        if self.cleaned_data.get("statuses") == "submitted":
            return [Interview.Status.SUBMITTED, Interview.Status.APPROVED]
        return [Interview.Status.APPROVED]
