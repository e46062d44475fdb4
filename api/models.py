"""Personal API tokens and the answers kept for idempotent requests."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cbk"  # noqa: S105 (the visible start of every token, not a secret)


def token_digest(token: str) -> str:
    """What is stored of a token: the SHA-256 of the whole text (the secret has 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token: it acts as its owner, sees what the owner sees, and may be read-only.

    Only its digest is stored; the token itself is shown once, when it is made. ``key_id`` is the
    public part of the token (``cbk_<key_id>_<secret>``) under which it is looked up.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “Stata at the ministry”.")
    )
    key_id = models.CharField(_("token id"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({TOKEN_PREFIX}_{self.key_id}_…)"

    @property
    def shown_id(self):
        """How the token is recognised on the page: its public part, the secret left out."""
        return f"{TOKEN_PREFIX}_{self.key_id}_…"

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())

    def is_active(self, now=None):
        return self.revoked_at is None and not self.is_expired(now)

    @property
    def writes(self):
        return self.scope == self.Scope.READ_WRITE


class IdempotentRequest(models.Model):
    """The first answer to a POST that carried an ``Idempotency-Key``: a replay gets it again.

    ``fingerprint`` is the digest of the request's method, path and body, so that the same key reused
    for a different request is refused rather than answered with another request's result.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
