"""The questionnaire builder's forms: a questionnaire, its languages, groups and repeats, questions with
their texts in every language of the form, files, and the XLSForm import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import Relationship
from surveys.forms.fields import parse_number
from surveys.languages import language_label
from surveys.models import Question, Questionnaire, Section
from surveys.services import QUESTION_FIELDS

T = Question.Type


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _language_fields(form, base, label, languages, *, widget=None, max_length=2000, help_text=""):
    """One text field per form language: ``<base>__<n>`` labelled 'Label (Español (es))'."""
    for index, language in enumerate(languages):
        form.fields[f"{base}__{index}"] = forms.CharField(
            label=f"{label} · {language_label(language)}",
            required=False,
            max_length=max_length,
            widget=widget or forms.TextInput,
            help_text=help_text if index == 0 else "",
        )


def _texts_from(form, base, languages):
    return {
        language: form.cleaned_data.get(f"{base}__{index}", "").strip()
        for index, language in enumerate(languages)
        if form.cleaned_data.get(f"{base}__{index}", "").strip()
    }


def _initial_texts(form, base, languages, texts):
    for index, language in enumerate(languages):
        form.initial[f"{base}__{index}"] = (texts or {}).get(language, "")


class LanguagesForm(forms.Form):
    languages = forms.CharField(
        label=_("Languages of the form"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One per line, with its code in parentheses as XLSForm writes them, e.g. Runasimi (qu)."),
    )
    default_language = forms.CharField(label=_("Default language"), max_length=100)

    def clean_languages(self):
        return [line.strip() for line in self.cleaned_data["languages"].splitlines() if line.strip()]


class SectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Section.Kind.choices,
        help_text=_("A repeat asks its questions several times (e.g. once per product line)."),
    )
    parent = forms.ModelChoiceField(label=_("Inside"), queryset=Section.objects.none(), required=False)
    relevant = forms.CharField(
        label=_("Show only when"),
        required=False,
        max_length=10000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    repeat_count = forms.CharField(
        label=_("Number of repetitions"),
        required=False,
        max_length=1000,
        help_text=_("Repeats only: a number or an expression; empty lets the researcher add as many as needed."),
    )
    appearance = forms.CharField(label=_("Appearance"), required=False, max_length=200)

    def __init__(self, *args, version, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.languages = list(version.languages or [])
        parents = version.sections.all()
        if section is not None:
            parents = parents.exclude(pk=section.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda s: f"{s.code} · {s.title}"
        _language_fields(self, "label", _("Title"), self.languages, max_length=2000)
        if section is not None:
            for name in ("code", "kind", "relevant", "repeat_count", "appearance"):
                self.initial[name] = getattr(section, name)
            self.initial["parent"] = section.parent_id
            _initial_texts(self, "label", self.languages, section.labels)

    def section_fields(self):
        data = {name: self.cleaned_data.get(name) or "" for name in ("code", "kind", "relevant", "appearance")}
        data["repeat_count"] = self.cleaned_data.get("repeat_count", "") if data["kind"] == Section.Kind.REPEAT else ""
        data["parent"] = self.cleaned_data.get("parent")
        data["labels"] = _texts_from(self, "label", self.languages)
        return data


def parse_choices(text, languages):
    """One option per line, 'value | label | label …' (a label per form language, in order) ->
    [(value, {language: label})]; a line with only a value uses it as its label."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        if len(parts) > len(languages) + 1 or not parts[0] or not any(parts[1:]):
            raise ValueError(number)
        rows.append((parts[0], {lang: label for lang, label in zip(languages, parts[1:], strict=False) if label}))
    return rows


def format_choices(choices, languages):
    return "\n".join(
        " | ".join([c.value, *[c.labels.get(lang, "") for lang in languages]]).rstrip(" |") for c in choices
    )


class QuestionForm(forms.ModelForm):
    """A question in every language of its form; choices one per line."""

    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    min_value = forms.CharField(label=_("Minimum"), required=False, max_length=30)
    max_value = forms.CharField(label=_("Maximum"), required=False, max_length=30)

    class Meta:
        model = Question
        fields = [
            name
            for name in QUESTION_FIELDS
            if name
            not in ("labels", "hints", "required_messages", "constraint_messages", "parameters", "list_name", "extra")
        ]
        widgets = {
            name: forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
            for name in ("relevant", "constraint", "calculation", "required_if", "choice_filter", "trigger")
        }

    TEXTS = (("labels", _("Question")), ("hints", _("Help")), ("constraint_messages", _("Message when the rule fails")))

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.languages = list(version.languages or [])
        self.fields["section"].queryset = version.sections.all()
        self.fields["section"].label = _("Group")
        self.fields["section"].label_from_instance = lambda s: f"{s.code} · {s.title}"
        self.fields["relationship_kind"].choices = [("", "---------"), *Relationship.Kind.choices]
        self.fields["type"].choices = [(value, label) for value, label in Question.Type.choices]
        self.fields["choices_text"].help_text = _(
            "Choice questions: one option per line, as value | label in %(languages)s."
        ) % {"languages": ", ".join(language_label(lang) for lang in self.languages)}
        for base, label in self.TEXTS:
            widget = forms.Textarea(attrs={"rows": 2}) if base == "labels" else None
            _language_fields(self, base, label, self.languages, widget=widget)
        if self.instance.pk:
            self.fields["choices_text"].initial = format_choices(self.instance.choices.all(), self.languages)
            for name in ("min_value", "max_value"):
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else format(value.normalize(), "f")
            for base, _label in self.TEXTS:
                _initial_texts(self, base, self.languages, getattr(self.instance, base))

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
            return parse_choices(self.cleaned_data.get("choices_text"), self.languages)
        except ValueError as error:
            raise ValidationError(
                _("Line %(line)s: write value | label, with at most one label per language.") % {"line": error.args[0]}
            ) from None

    def clean(self):
        data = super().clean()
        if not _texts_from(self, "labels", self.languages) and data.get("type") not in (T.CALCULATE, T.HIDDEN):
            self.add_error("labels__0", _("Write the question in at least one language."))
        return data

    def _post_clean(self):
        # The service validates the question as a whole (and its expressions against the version).
        pass

    def question_fields(self):
        fields = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        for base, _label in self.TEXTS:
            fields[base] = _texts_from(self, base, self.languages)
        return fields


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx or .xls)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                "application/vnd.ms-excel"
            }
        ),
    )
    name = forms.CharField(
        label=_("Name of the new questionnaire"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form's title."),
    )


class VersionFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV of choices (columns name and label) for select_one_from_file, or an image a label shows."),
    )
