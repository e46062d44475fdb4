"""The surveys app's forms, by concern: fields that parse what people type, the builder's forms, the
interview's forms."""

from surveys.forms.fields import (
    DATE_INPUTS,
    ISO_DATE,
    DurationTextField,
    LocationField,
    NumberAnswerField,
    format_duration,
    parse_duration,
    parse_number,
)
from surveys.forms.findings import FindingsForm
from surveys.forms.interviews import (
    NEW_ACTOR_FIELDS,
    AttachmentForm,
    InterviewFilter,
    InterviewForm,
    ReviewForm,
    StartInterviewForm,
    count_field_name,
    question_field_name,
)
from surveys.forms.questionnaires import (
    ImportForm,
    LanguagesForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    VersionFileForm,
    format_choices,
    parse_choices,
)

__all__ = [
    "DATE_INPUTS",
    "ISO_DATE",
    "NEW_ACTOR_FIELDS",
    "AttachmentForm",
    "DurationTextField",
    "FindingsForm",
    "ImportForm",
    "InterviewFilter",
    "InterviewForm",
    "LanguagesForm",
    "LocationField",
    "NumberAnswerField",
    "QuestionForm",
    "QuestionnaireForm",
    "ReviewForm",
    "SectionForm",
    "StartInterviewForm",
    "VersionFileForm",
    "count_field_name",
    "format_choices",
    "format_duration",
    "parse_choices",
    "parse_duration",
    "parse_number",
    "question_field_name",
]
