"""Optimistic locking shared by the editable records (clusters, actors, interviews, interventions).

A form carries the version number it was read at; the save succeeds only if
nobody saved in between, and bumps the number. Otherwise ``ConcurrentEdit`` is
raised and the view re-shows the user's input with a "changed by someone else"
message instead of silently overwriting.
"""

from django.db.models import F
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ConcurrentEdit(Exception):
    message = _(
        "Someone else changed this record while you were editing it. Your changes were not saved; "
        "they are shown below. Review the current version and save again."
    )


def form_after_concurrent_edit(form_class, data, *, version, version_field="version", **kwargs):
    """The form again after a ConcurrentEdit: the user's input ``data`` (request.POST), now carrying the
    stored ``version``, checked, with the "someone else changed it" message on top. Saving it again is then
    a choice made knowing the other change. ``kwargs`` are the form's own (``instance=current``, …)."""
    data = data.copy()
    data[version_field] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, ConcurrentEdit.message)
    return form


def save_with_version(instance, *, expected_version, fields, version_field="version"):
    """Write ``fields`` of ``instance`` if its stored version is still ``expected_version``.

    One UPDATE ... WHERE pk = ... AND version = ...; raises ConcurrentEdit when no row matched.
    On success the instance carries the new version number, and post_save is sent as Model.save()
    would send it, so that django-simple-history records the change (set ``instance._history_user``
    first to name who made it).
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) and field.name not in values:
            values[field.name] = field.pre_save(instance, add=False)
    updated = model._default_manager.filter(pk=instance.pk, **{version_field: expected_version}).update(
        **values, **{version_field: F(version_field) + 1}
    )
    if not updated:
        raise ConcurrentEdit
    setattr(instance, version_field, int(expected_version) + 1)
    # Sent by hand on purpose. Django has no conditional save, so the version check is this UPDATE; and
    # django-simple-history records a change only from post_save (its record-maker is reached through the
    # signal alone). The public alternatives cost more or record less: save() after the check is a second
    # UPDATE per save, and HistoryManager.bulk_history_create skips the m2m snapshot (Intervention's history
    # keeps its institutions and beneficiaries) and the history signals.
    post_save.send(
        sender=model,
        instance=instance,
        created=False,
        update_fields=frozenset([*values, version_field]),
        raw=False,
        using=instance._state.db or "default",
    )
    return instance
