"""What they said: questionnaires (versioned), interviews, typed answers, attachments."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Actor, Cluster, Relationship


def _localised(obj, field):
    """The English text when the active language is English and it exists, else the Spanish."""
    if (get_language() or "es").startswith("en"):
        english = getattr(obj, f"{field}_en")
        if english:
            return english
    return getattr(obj, f"{field}_es")


def _plain_number(value):
    """A number as people write it: 12, 3.5 (no exponent, no trailing zeros)."""
    from decimal import Decimal

    return format(Decimal(value).normalize(), "f")


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
    # XLSForm settings: form_id and default language travel with the version.
    form_id = models.SlugField(_("form id"), max_length=100, blank=True)
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


class Section(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=64)
    title_es = models.CharField(_("title (Spanish)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_section_code")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _localised(self, "title")


class Question(models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        INTEGER = "integer", _("Integer")
        DECIMAL = "decimal", _("Decimal")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale 1-5")
        YES_NO = "yes_no", _("Yes/no")
        DATE = "date", _("Date")
        ACTOR_RELATIONSHIP = "actor_relationship", _("Actor relationship")

    CHOICE_TYPES = frozenset({Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE})
    NUMBER_TYPES = frozenset({Type.INTEGER, Type.DECIMAL, Type.SCALE})
    TEXT_TYPES = frozenset({Type.TEXT, Type.LONG_TEXT})

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions", verbose_name=_("section")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(
        _("code"), max_length=64, help_text=_("A short name: letters, digits and underscores, starting with a letter.")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    label_es = models.CharField(_("question (Spanish)"), max_length=500)
    label_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_es = models.CharField(_("help (Spanish)"), max_length=500, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.CharField(
        _("show only when"),
        max_length=1000,
        blank=True,
        help_text=_("XLSForm condition, e.g. ${exports} = 'yes' or selected(${barriers}, 'financing')."),
    )
    min_value = models.DecimalField(_("minimum"), max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=20, decimal_places=6, null=True, blank=True)
    # For actor-relationship questions: the tie the named actors have with the respondent's actor.
    relationship_kind = models.CharField(_("kind of tie"), max_length=20, choices=Relationship.Kind.choices, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_question_code")]

    def __str__(self):
        return f"{self.code}: {self.label}"

    @property
    def label(self):
        return _localised(self, "label")

    @property
    def help(self):
        return _localised(self, "help")

    CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

    def clean(self):
        errors = {}
        if self.code and not self.CODE_PATTERN.fullmatch(self.code):
            errors["code"] = _("Use letters, digits and underscores, starting with a letter (at most 64).")
        if self.type == self.Type.ACTOR_RELATIONSHIP and not self.relationship_kind:
            errors["relationship_kind"] = _("Choose the kind of tie that the named actors have with the respondent.")
        if self.type != self.Type.ACTOR_RELATIONSHIP and self.relationship_kind:
            errors["relationship_kind"] = _("Only actor-relationship questions have a kind of tie.")
        bounded = self.type in (self.Type.INTEGER, self.Type.DECIMAL)
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


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=64)
    label_es = models.CharField(_("label (Spanish)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="unique_choice_value")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return _localised(self, "label")


class Interview(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    # Generated by the browser when the form opens: re-posting updates, never duplicates.
    uuid = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="interviews"
    )
    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="interviews")
    actor = models.ForeignKey(Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="interviews")
    respondent_name = models.CharField(_("respondent"), max_length=150, blank=True)
    respondent_position = models.CharField(_("respondent's position"), max_length=150, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.PROTECT, related_name="interviews"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    consent_given = models.BooleanField(_("consent given"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("notes or transcript"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    # What a device submission brought that could not be recorded as it came (openrosa app): the
    # interview was created with what could, and the coordinator reads why here.
    observations = models.TextField(_("observations"), blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    # The page (one rendering of the form) that made the last save: a re-post of that same page
    # (double click, flaky connection, back button) is the same edit, not a concurrent one.
    last_form_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["lock_version", "updated_at", "last_form_token"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        permissions = [("review_interview", _("Can approve or return interviews"))]
        indexes = [
            # A cluster's counts by status and version, and the findings' stamp of the selected
            # interviews (see surveys.selectors.findings), read from the index alone on PostgreSQL.
            models.Index(
                fields=["cluster", "status", "version"],
                include=["date", "updated_at", "lock_version"],
                name="interview_cluster_status",
            ),
            models.Index(fields=["version", "status"]),
            models.Index(fields=["interviewer", "status"]),
            # The list's order (newest first), across all clusters and within one: a page of 25 reads 25 rows.
            models.Index(fields=["-date", "-id"], name="interview_newest"),
            models.Index(fields=["cluster", "-date", "-id"], name="interview_cluster_newest"),
        ]

    def __str__(self):
        return f"{self.actor} · {self.date}"

    def get_absolute_url(self):
        return reverse("surveys:interview_detail", kwargs={"pk": self.pk})

    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})

    @property
    def is_editable(self):
        """Its researcher may still change it: a draft, or returned by a reviewer."""
        return self.status in self.EDITABLE_STATUSES


class InterviewChange(models.Model):
    """Who changed what in an interview, and when: one row per save, review or attachment.

    ``changes`` is a list of ``[what, before, after]`` with ``what`` a question code or an
    interview field name, and the values as they read on the page.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("interview change")
        verbose_name_plural = _("interview changes")

    def __str__(self):
        return f"{self.get_action_display()} · {self.interview_id}"


class Answer(models.Model):
    """One answer, typed so that the database can aggregate it.

    Text goes in ``text_value``; integers, decimals and scales in ``number_value``;
    dates in ``date_value``; yes/no in ``bool_value``; each chosen option is an
    ``AnswerChoice`` row and each named actor an ``AnswerActor`` row.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text_value = models.TextField(blank=True)
    number_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    date_value = models.DateField(null=True, blank=True)
    bool_value = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["interview", "question"], name="one_answer_per_question")]
        indexes = [models.Index(fields=["question", "number_value"])]

    def __str__(self):
        return f"{self.question.code} @ {self.interview_id}"


class AnswerChoice(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="chosen")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("chosen option")
        verbose_name_plural = _("chosen options")
        constraints = [models.UniqueConstraint(fields=["answer", "choice"], name="choice_once_per_answer")]

    def __str__(self):
        return f"{self.answer_id}: {self.choice_id}"


class AnswerActor(models.Model):
    """An actor named in an actor-relationship answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="named_actors")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("named actor")
        verbose_name_plural = _("named actors")
        constraints = [models.UniqueConstraint(fields=["answer", "actor"], name="actor_once_per_answer")]

    def __str__(self):
        return f"{self.answer_id}: {self.actor_id}"


def attachment_path(instance, filename):
    # The stored name is random: never guessable, never the uploader's file name.
    return f"attachments/{instance.interview_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        AUDIO = "audio", _("Audio")
        PDF = "pdf", _("PDF document")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["interview", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
