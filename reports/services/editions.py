"""Editions: the coordinator's text of a cluster's case study (diagnosis, lessons, recommendations), written
as a draft and made final for the reports to cite."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ReportEdition

EDITION_FIELDS = (
    "title",
    "strengths",
    "weaknesses",
    "lessons",
    "recommendations",
    "key_findings",
    "sampling",
    "limitations",
)


@transaction.atomic
def edition_create(*, cluster, created_by, **fields) -> ReportEdition:
    """A new draft edition of a cluster's report, written by ``created_by``."""
    edition = ReportEdition(cluster=cluster, created_by=created_by, status=ReportEdition.Status.DRAFT)
    for name in EDITION_FIELDS:
        if name in fields:
            setattr(edition, name, fields[name])
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def edition_update(*, edition, **fields) -> ReportEdition:
    """Change a draft edition's text (a final one must be reopened first: it is what reports cite)."""
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_final:
        raise ValidationError(_("A final edition cannot be changed. Reopen it as a draft first."))
    changed = [name for name in EDITION_FIELDS if name in fields and getattr(edition, name) != fields[name]]
    for name in changed:
        setattr(edition, name, fields[name])
    edition.full_clean()
    if changed:
        edition.save(update_fields=[*changed, "updated_at"])
    return edition


@transaction.atomic
def edition_finalise(*, edition, by) -> ReportEdition:
    """Mark an edition final: the next reports of its cluster set it (unless another edition is chosen)."""
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_final:
        raise ValidationError(_("This edition is already final."))
    edition.status = ReportEdition.Status.FINAL
    edition.finalised_at = timezone.now()
    edition.finalised_by = by
    edition.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    return edition


@transaction.atomic
def edition_reopen(*, edition) -> ReportEdition:
    """Put a final edition back to draft so that it can be changed; its history keeps the final text."""
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_final:
        raise ValidationError(_("Only a final edition can be reopened."))
    edition.status = ReportEdition.Status.DRAFT
    edition.save(update_fields=["status", "updated_at"])
    return edition
