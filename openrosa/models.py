"""Field devices: their sign-in (device tokens, Digest credentials) and every submission they sent, kept raw.

A ``Submission`` holds what a device posted exactly as it arrived (the XML bytes and each file) before
anything is parsed, so that nothing a device sent is ever lost: a submission the server cannot map
into an interview stays here with the reason, for the coordinators ("con observaciones").
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    """How a device token is stored: its SHA-256 (the token itself is shown once, never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceToken(models.Model):
    """A revocable key that signs one of a researcher's devices in, as ODK Central's app users do.

    The device sees exactly what its owner sees (clusters.access), and nothing once the token is
    revoked, the owner deactivated or taken off a team.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(_("device name"), max_length=100)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that people can tell their tokens apart without the secret.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last submission"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class DigestCredential(models.Model):
    """The HTTP Digest secret (HA1 = MD5(user:realm:password)) that ODK Collect's Digest sign-in needs.

    Recorded whenever the password is set or used to sign in on the website; valid only while the
    password it was made from is still the user's (``password_fingerprint``), so a changed password
    invalidates it at once.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_credential")
    ha1 = models.CharField(max_length=32)
    password_fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Digest credential")
        verbose_name_plural = _("Digest credentials")

    def __str__(self):
        return str(self.user)


def submission_file_path(instance, filename):
    # Random stored names: never guessable, never the device's file name.
    return f"openrosa/files/{uuid.uuid4().hex}"


class Submission(models.Model):
    """One form instance a device sent, stored raw before it is read (see the module docstring)."""

    class State(models.TextChoices):
        INCOMPLETE = "incomplete", _("Waiting for the rest of its files")
        RECEIVED = "received", _("Received, not read yet")
        MAPPED = "mapped", _("Recorded as an interview")
        OBSERVATIONS = "observations", _("With observations")
        REJECTED = "rejected", _("Refused")

    instance_id = models.CharField(_("instance id"), max_length=255)
    deprecated_id = models.CharField(_("replaces instance"), max_length=255, blank=True)
    form_id = models.CharField(_("form id"), max_length=255, blank=True)
    form_version = models.CharField(_("form version"), max_length=255, blank=True)
    xml = models.BinaryField(_("XML as received"))
    xml_sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("researcher"), on_delete=models.PROTECT, related_name="+"
    )
    device_token = models.ForeignKey(
        DeviceToken, verbose_name=_("device"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device_id = models.CharField(_("device id"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("complete at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    reason = models.TextField(_("observations"), blank=True)
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interview = models.ForeignKey(
        "surveys.Interview", null=True, blank=True, on_delete=models.SET_NULL, related_name="device_submissions"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("device submission")
        verbose_name_plural = _("device submissions")
        constraints = [
            # One accepted submission per instance: a resend finds it instead of making another.
            models.UniqueConstraint(
                fields=["instance_id"], condition=~Q(state="rejected"), name="one_submission_per_instance"
            )
        ]
        indexes = [models.Index(fields=["state", "-received_at"], name="submission_state_newest")]

    def __str__(self):
        return self.instance_id

    @property
    def xml_text(self):
        return bytes(self.xml).decode("utf-8", errors="replace")


class SubmissionFile(models.Model):
    """A file posted with a submission (a photo, a recording ...), stored as it came."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=submission_file_path, max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    attachment = models.ForeignKey(
        "surveys.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="file_name_once_per_submission")]

    def __str__(self):
        return self.name
