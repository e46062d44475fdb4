"""Questionnaires, versioned: each version's groups and repeats, questions, choices and files."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Relationship


def _plain_number(value):
    """A number as people write it: 12, 3.5 (no exponent, no trailing zeros)."""
    from decimal import Decimal

    return format(Decimal(value).normalize(), "f")


# The device form's own questions (the interview's details, the registry) are named casebook-….
RESERVED_PREFIX = "casebook-"


class Translated:
    """Texts kept per form language ({"Español (es)": "…", "Quechua (qu)": "…"}), read in one language.

    ``use_language(language, fallback)`` (set by ``surveys.selectors.form_questions``) chooses the form
    language the researcher picked and the version's default language; without it, the text in the
    interface's language is read when the form has it, else any text the form has (see surveys.languages).
    """

    _language = None
    _fallback = None

    def use_language(self, language, fallback=None):
        self._language, self._fallback = language, fallback
        return self

    def text(self, field):
        from surveys.languages import pick

        return pick(getattr(self, field) or {}, self._language, self._fallback)


class Questionnaire(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.name


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. A published version is immutable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # XLSForm settings: form_id and the languages travel with the version.
    form_id = models.CharField(_("form id"), max_length=100, blank=True)
    # The form's languages as XLSForm names them ("Español (es)", "Quechua (qu)", or "default" for
    # columns without one), in the order of the spreadsheet's columns; the default one first.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    default_language = models.CharField(_("default language"), max_length=100, blank=True)
    # Other settings of the XLSForm's settings sheet (style, instance_name, …), kept for the export.
    form_settings = models.JSONField(_("other settings"), default=dict, blank=True)
    notes = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        permissions = [("publish_questionnaireversion", _("Can publish questionnaire versions"))]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["questionnaire"], condition=Q(status="draft"), name="one_draft_per_questionnaire"
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class Section(Translated, models.Model):
    """A group or a repeat of the form. Groups nest; ``order`` places it among the version's questions
    and groups (one sequence for both, in the order of the form)."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        REPEAT = "repeat", _("Repeat")

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("inside")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=255)
    labels = models.JSONField(_("title"), default=dict, blank=True)
    relevant = models.TextField(_("show only when"), blank=True)
    appearance = models.CharField(_("appearance"), max_length=200, blank=True)
    # Repeats: how many times, as a number or an expression; empty for as many as the researcher adds.
    repeat_count = models.CharField(_("number of repetitions"), max_length=1000, blank=True)
    # XLSForm columns kept as they came (bind::…, body::…, instance::…, media::…) for the export.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_section_code")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.code and not Question.CODE_PATTERN.fullmatch(self.code):
            raise ValidationError({"code": _("Use letters, digits and underscores, starting with a letter.")})
        if self.code.lower().startswith(RESERVED_PREFIX):
            raise ValidationError(
                {"code": _("Codes starting with '%(prefix)s' are the site's own.") % {"prefix": RESERVED_PREFIX}}
            )

    @property
    def title(self):
        return self.text("labels")

    @property
    def is_repeat(self):
        return self.kind == self.Kind.REPEAT


class Question(Translated, models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        INTEGER = "integer", _("Integer")
        DECIMAL = "decimal", _("Decimal")
        RANGE = "range", _("Range")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale 1-5")
        YES_NO = "yes_no", _("Yes/no")
        DATE = "date", _("Date")
        TIME = "time", _("Time")
        DATETIME = "datetime", _("Date and time")
        GEOPOINT = "geopoint", _("Location (point)")
        GEOTRACE = "geotrace", _("Location (line)")
        GEOSHAPE = "geoshape", _("Location (area)")
        NOTE = "note", _("Note")
        CALCULATE = "calculate", _("Calculation")
        ACKNOWLEDGE = "acknowledge", _("Acknowledge")
        IMAGE = "image", _("Photo")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        FILE = "file", _("File")
        BARCODE = "barcode", _("Barcode")
        HIDDEN = "hidden", _("Hidden")
        ACTOR_RELATIONSHIP = "actor_relationship", _("Actor relationship")
        # Metadata the form records by itself.
        START = "start", _("Start time")
        END = "end", _("End time")
        TODAY = "today", _("Day of the interview")
        DEVICEID = "deviceid", _("Device")
        USERNAME = "username", _("User name")
        PHONENUMBER = "phonenumber", _("Phone number")
        EMAIL = "email", _("Email")
        SUBSCRIBERID = "subscriberid", _("Subscriber id")
        SIMSERIAL = "simserial", _("SIM serial")
        AUDIT = "audit", _("Audit log")
        START_GEOPOINT = "start-geopoint", _("Location at the start")

    CHOICE_TYPES = frozenset({Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE})
    NUMBER_TYPES = frozenset({Type.INTEGER, Type.DECIMAL, Type.SCALE, Type.RANGE})
    TEXT_TYPES = frozenset(
        {Type.TEXT, Type.LONG_TEXT, Type.BARCODE, Type.HIDDEN, Type.ACKNOWLEDGE}
        | {Type.GEOPOINT, Type.GEOTRACE, Type.GEOSHAPE, Type.START_GEOPOINT}
        | {Type.DEVICEID, Type.USERNAME, Type.PHONENUMBER, Type.EMAIL, Type.SUBSCRIBERID, Type.SIMSERIAL}
    )
    # Free text worth quoting in findings and reports.
    QUOTED_TYPES = frozenset({Type.TEXT, Type.LONG_TEXT})
    LOCATION_TYPES = frozenset({Type.GEOPOINT, Type.GEOTRACE, Type.GEOSHAPE, Type.START_GEOPOINT})
    MEDIA_TYPES = frozenset({Type.IMAGE, Type.AUDIO, Type.VIDEO, Type.FILE, Type.AUDIT})
    METADATA_TYPES = frozenset(
        {Type.START, Type.END, Type.TODAY, Type.DEVICEID, Type.USERNAME, Type.PHONENUMBER, Type.EMAIL}
        | {Type.SUBSCRIBERID, Type.SIMSERIAL, Type.AUDIT, Type.START_GEOPOINT}
    )
    # Shown to the researcher but never answered.
    DISPLAY_TYPES = frozenset({Type.NOTE})

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions", verbose_name=_("section")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(
        _("code"),
        max_length=255,
        help_text=_("A short name: letters, digits and underscores, starting with a letter."),
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    labels = models.JSONField(_("question"), default=dict, blank=True)
    hints = models.JSONField(_("help"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    required_if = models.TextField(
        _("required when"), blank=True, help_text=_("A condition: the answer is required only when it holds.")
    )
    required_messages = models.JSONField(_("message when missing"), default=dict, blank=True)
    relevant = models.TextField(
        _("show only when"),
        blank=True,
        help_text=_("XLSForm condition, e.g. ${exports} = 'yes' or selected(${barriers}, 'financing')."),
    )
    constraint = models.TextField(
        _("constraint"), blank=True, help_text=_("A condition the answer must meet, with . for the answer, e.g. . > 0.")
    )
    constraint_messages = models.JSONField(_("message when the constraint fails"), default=dict, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=20, decimal_places=6, null=True, blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    default = models.CharField(_("default"), max_length=1000, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)
    trigger = models.CharField(_("recalculate when"), max_length=1000, blank=True)
    choice_filter = models.TextField(_("choice filter"), blank=True)
    appearance = models.CharField(_("appearance"), max_length=200, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The XLSForm choice list (select_one LIST) or file (select_one_from_file FILE) the choices came from.
    list_name = models.CharField(_("choice list"), max_length=200, blank=True)
    # For actor-relationship questions: the tie the named actors have with the respondent's actor.
    relationship_kind = models.CharField(_("kind of tie"), max_length=20, choices=Relationship.Kind.choices, blank=True)
    # XLSForm columns kept as they came (bind::…, body::…, instance::…, media::…, guidance_hint) for the export.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_question_code")]

    def __str__(self):
        return f"{self.code}: {self.label}"

    @property
    def label(self):
        return self.text("labels")

    @property
    def help(self):
        return self.text("hints")

    @property
    def is_answered(self):
        """Whether the question holds an answer (notes do not)."""
        return self.type not in self.DISPLAY_TYPES

    # XLSForm names are XML names: a letter or _, then letters, digits, _, - or . (ASCII here).
    CODE_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,254}")

    def clean(self):
        errors = {}
        if self.code and not self.CODE_PATTERN.fullmatch(self.code):
            errors["code"] = _("Use letters, digits and underscores, starting with a letter.")
        elif self.code.lower().startswith(RESERVED_PREFIX):
            errors["code"] = _("Codes starting with '%(prefix)s' are the site's own.") % {"prefix": RESERVED_PREFIX}
        if self.type == self.Type.ACTOR_RELATIONSHIP and not self.relationship_kind:
            errors["relationship_kind"] = _("Choose the kind of tie that the named actors have with the respondent.")
        if self.type != self.Type.ACTOR_RELATIONSHIP and self.relationship_kind:
            errors["relationship_kind"] = _("Only actor-relationship questions have a kind of tie.")
        bounded = self.type in (self.Type.INTEGER, self.Type.DECIMAL, self.Type.RANGE)
        if not bounded and (self.min_value is not None or self.max_value is not None):
            errors["min_value"] = _("Only integer and decimal questions have a minimum and a maximum.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The maximum must not be below the minimum.")
        if errors:
            raise ValidationError(errors)

    @property
    def bounds(self):
        """The (minimum, maximum) an answer must respect; a scale is always 1 to 5."""
        if self.type == self.Type.SCALE:
            return (1, 5)
        return (self.min_value, self.max_value)

    def number_problem(self, value):
        """Why a number (a Decimal) is not an acceptable answer to this question, or None."""
        low, high = self.bounds
        if low is not None and value < low:
            return _("The answer must be at least %(minimum)s.") % {"minimum": _plain_number(low)}
        if high is not None and value > high:
            return _("The answer must be at most %(maximum)s.") % {"maximum": _plain_number(high)}
        if self.type in (self.Type.INTEGER, self.Type.SCALE) and value != value.to_integral_value():
            return _("The answer must be a whole number.")
        return None


class Choice(Translated, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=255)
    labels = models.JSONField(_("label"), default=dict, blank=True)
    # The choice list's other columns (what a choice_filter reads, media::image, …), kept as they came.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="unique_choice_value")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.text("labels") or self.value


def version_file_path(instance, filename):
    return f"forms/{instance.version_id}/{uuid.uuid4().hex}"


class VersionFile(models.Model):
    """A file the form needs beside the spreadsheet: a CSV of choices, an image a label shows.

    Devices download these with the form (the OpenRosa manifest); ``name`` is the name the form uses.
    """

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=version_file_path, max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    md5 = models.CharField(max_length=32)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "name"]
        verbose_name = _("form file")
        verbose_name_plural = _("form files")
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="unique_version_file_name")]

    def __str__(self):
        return self.name
