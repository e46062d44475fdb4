"""Writes of the instruments app. Views, the demo and tests call these; each is one transaction.

History (django-simple-history) records who changed what: every write sets ``_history_user`` so that the
author is right outside a request too (demo, tasks).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusters.concurrency import save_with_version
from clusters.models import Membership
from instruments.models import Activity, Indicator, InstrumentType, Intervention, Measurement

M2M_FIELDS = Intervention.MANY_TO_MANY_FIELDS
INTERVENTION_FIELDS = tuple(name for name in Intervention.EDITABLE_FIELDS if name not in M2M_FIELDS)


class MeasurementLocked(Exception):
    """An approved measurement cannot be edited, deleted or reviewed again."""


def _check_beneficiaries(*, cluster, beneficiaries):
    members = set(Membership.objects.filter(cluster=cluster).values_list("actor_id", flat=True))
    outsiders = sorted(actor.name for actor in beneficiaries if actor.pk not in members)
    if outsiders:
        raise ValidationError(
            {
                "beneficiaries": _("These beneficiaries are not members of the cluster %(cluster)s: %(names)s.")
                % {"cluster": cluster.name, "names": ", ".join(outsiders)}
            }
        )


def _set_relations(intervention, relations):
    """Write the related sets without a history row each; the caller's save records the final state once."""
    intervention.skip_history_when_saving = True
    try:
        for name, actors in relations.items():
            if actors is not None:
                getattr(intervention, name).set(actors)
    finally:
        del intervention.skip_history_when_saving


@transaction.atomic
def intervention_create(
    *,
    cluster,
    created_by,
    instrument_type,
    title,
    government_level,
    focus,
    start_date,
    budget_planned,
    objective="",
    end_date=None,
    budget_executed=0,
    overspend_justification="",
    status=Intervention.Status.PLANNED,
    implementing_institutions=(),
    funding_institutions=(),
    beneficiaries=(),
):
    """Record an instrument applied to a cluster. Beneficiaries must be members of the cluster."""
    intervention = Intervention(
        cluster=cluster,
        created_by=created_by,
        instrument_type=instrument_type,
        title=title,
        objective=objective,
        government_level=government_level,
        focus=focus,
        start_date=start_date,
        end_date=end_date,
        budget_planned=budget_planned,
        budget_executed=budget_executed or 0,
        overspend_justification=overspend_justification,
        status=status,
    )
    intervention.full_clean()
    _check_beneficiaries(cluster=cluster, beneficiaries=beneficiaries)
    intervention._history_user = created_by
    intervention.skip_history_when_saving = True
    intervention.save()
    del intervention.skip_history_when_saving
    _set_relations(
        intervention,
        {
            "implementing_institutions": implementing_institutions,
            "funding_institutions": funding_institutions,
            "beneficiaries": beneficiaries,
        },
    )
    # One "created" history row, recorded once the related sets exist so that it shows them.
    post_save.send(
        sender=Intervention, instance=intervention, created=True, update_fields=None, raw=False, using="default"
    )
    return intervention


@transaction.atomic
def intervention_update(*, intervention, expected_version, changed_by, **fields):
    """Change an intervention if nobody saved it since ``expected_version`` was read (else ConcurrentEdit)."""
    relations = {name: fields.pop(name, None) for name in M2M_FIELDS}
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown intervention fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(intervention, name, value)
    if intervention.budget_executed is None:
        intervention.budget_executed = 0
    intervention.full_clean()
    if relations["beneficiaries"] is not None:
        _check_beneficiaries(cluster=intervention.cluster, beneficiaries=relations["beneficiaries"])
    intervention._history_user = changed_by
    # Related sets first, inside this transaction: a refused version check rolls them back too, and the
    # history row that save_with_version records has them.
    _set_relations(intervention, relations)
    save_with_version(intervention, expected_version=expected_version, fields=list(fields))
    return intervention


@transaction.atomic
def instrument_type_create(*, goal, name_es, name_en="", description="", created_by):
    """Add a local instrument under a goal of the catalogue (shown after the catalogue's own)."""
    base = slugify(f"local-{name_es}")[:70] or "local"
    code, n = base, 1
    while InstrumentType.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    instrument_type = InstrumentType(
        goal=goal,
        code=code,
        order=100 + InstrumentType.objects.filter(goal=goal, is_local=True).count(),
        name_es=name_es,
        name_en=name_en,
        description=description,
        is_local=True,
        created_by=created_by,
    )
    instrument_type.full_clean()
    instrument_type.save()
    return instrument_type


INDICATOR_FIELDS = Indicator.EDITABLE_FIELDS


@transaction.atomic
def indicator_create(*, intervention, created_by, **fields):
    """Add an indicator (baseline, target, direction) to an intervention."""
    indicator = Indicator(intervention=intervention, **fields)
    indicator.full_clean()
    indicator._history_user = created_by
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator, changed_by, **fields):
    """Change an indicator's definition; its measurements stay as they are."""
    for name, value in fields.items():
        if name not in INDICATOR_FIELDS:
            raise TypeError(f"unknown indicator field: {name}")
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator._history_user = changed_by
    indicator.save(update_fields=list(fields))
    return indicator


MEASUREMENT_FIELDS = [
    "date",
    "value",
    "source",
    "note",
    "value_women",
    "value_men",
    "value_micro",
    "value_small",
    "value_medium",
    "value_large",
]


@transaction.atomic
def measurement_create(*, indicator, recorded_by, **fields):
    """Record a value of an indicator. It waits for review (pending) before it counts in progress."""
    measurement = Measurement(indicator=indicator, recorded_by=recorded_by, status=Measurement.Status.PENDING, **fields)
    measurement.full_clean()
    measurement._history_user = recorded_by
    measurement.save()
    return measurement


def _lock_measurement(measurement):
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if current.is_locked:
        raise MeasurementLocked
    return current


@transaction.atomic
def measurement_update(*, measurement, changed_by, **fields):
    """Correct a pending or returned measurement; it goes back to pending review. Approved ones are locked."""
    _lock_measurement(measurement)
    for name, value in fields.items():
        if name not in MEASUREMENT_FIELDS:
            raise TypeError(f"unknown measurement field: {name}")
        setattr(measurement, name, value)
    measurement.status = Measurement.Status.PENDING
    measurement.full_clean()
    measurement._history_user = changed_by
    measurement.save(update_fields=[*fields, "status"])
    return measurement


@transaction.atomic
def measurement_delete(*, measurement, deleted_by):
    """Delete a measurement that is not approved yet."""
    _lock_measurement(measurement)
    measurement._history_user = deleted_by
    measurement.delete()


def entered_by(measurement):
    """Who entered the measurement's value: whoever recorded it, and whoever last corrected it."""
    corrected = (
        measurement.history.filter(status=Measurement.Status.PENDING)
        .order_by("-history_date", "-history_id")
        .values_list("history_user_id", flat=True)
        .first()
    )
    return {pk for pk in (measurement.recorded_by_id, corrected) if pk is not None}


@transaction.atomic
def measurement_approve(*, measurement, reviewer):
    """Approve a measurement: it now counts in progress and is locked.

    Four eyes: whoever recorded or last corrected the value cannot approve it, unless the one-person setting
    CASEBOOK_ALLOW_SELF_APPROVAL is on; then the approval is marked ``self_approved`` for everyone to see."""
    _lock_measurement(measurement)
    own = reviewer.pk in entered_by(measurement)
    if own and not settings.CASEBOOK_ALLOW_SELF_APPROVAL:
        raise ValidationError(
            {"decision": _("You recorded this measurement: another coordinator has to approve it.")},
            code="self_approval",
        )
    measurement.status = Measurement.Status.APPROVED
    measurement.reviewed_by = reviewer
    measurement.reviewed_at = timezone.now()
    measurement.self_approved = own
    measurement._history_user = reviewer
    measurement.save(update_fields=["status", "reviewed_by", "reviewed_at", "self_approved"])
    return measurement


@transaction.atomic
def measurement_return(*, measurement, reviewer, reason):
    """Send a measurement back for correction with the reason, which is shown to whoever corrects it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what has to be corrected.")})
    _lock_measurement(measurement)
    measurement.status = Measurement.Status.RETURNED
    measurement.review_comment = reason
    measurement.reviewed_by = reviewer
    measurement.reviewed_at = timezone.now()
    measurement._history_user = reviewer
    measurement.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return measurement


ACTIVITY_FIELDS = Activity.EDITABLE_FIELDS


@transaction.atomic
def activity_create(*, intervention, created_by, **fields):
    """Record a dated event of an intervention with its participants counted."""
    activity = Activity(intervention=intervention, created_by=created_by, **fields)
    activity.full_clean()
    activity._history_user = created_by
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity, changed_by, **fields):
    """Correct an activity."""
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"unknown activity field: {name}")
        setattr(activity, name, value)
    activity.full_clean()
    activity._history_user = changed_by
    activity.save(update_fields=list(fields))
    return activity
