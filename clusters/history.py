"""Who changed what, and when: django-simple-history records turned into a readable timeline.

Shared by every page that shows an audit history (clusters, actors, evaluations, interventions,
indicators, measurements). Each entry compares a record with the previous one of the same object,
field by field; foreign keys and related sets (e.g. an intervention's beneficiaries) are shown by name.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _


class HistoryChange(NamedTuple):
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    user: str
    action: str  # "created", "changed" or "deleted"
    action_label: str
    subject: str
    changes: tuple[HistoryChange, ...]


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping fields that are not worth showing in a diff.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "created_by", "updated_at", "version", "lock_version", "name_key"}


def person(user):
    """How a user is named in histories and reports."""
    if user is None:
        return _("the system")
    return person_name(user.first_name, user.last_name, user.get_username())


def person_name(first_name, last_name, username):
    """``person`` from a user's three columns (as a list read with ``.values()`` has them): the full name as
    Django's get_full_name() writes it, else the user name."""
    return f"{first_name} {last_name}".strip() or username


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_ids(model_field, rows):
    """The ids of the related objects in a related set's history rows."""
    target = model_field.m2m_reverse_field_name()
    return [row[target] for row in rows or []]


def _display(model_field, value, names):
    if model_field.many_to_many:
        shown = sorted(names.get((model_field.related_model, pk), f"#{pk}") for pk in value)
        return ", ".join(shown) or "—"
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def history_entries(sources, *, hidden=()):
    """A who-changed-what timeline, newest first, from one or several models' audit records.

    ``sources`` is a list of (historical queryset, subject) where subject(record, names) names the object
    a record is about. Consecutive records of the same object are compared field by field; foreign keys
    and related sets are shown by name (one query per related model). Fields named in ``hidden`` are
    left out, besides the bookkeeping ones.
    """
    hidden = HISTORY_HIDDEN_FIELDS | set(hidden)
    # 1. Pair each record with the previous record of the same object, and diff them.
    compared = []
    for queryset, subject in sources:
        records = list(queryset.select_related("history_user").order_by("id", "history_date", "history_id"))
        previous = None
        for record in records:
            action = HISTORY_ACTIONS.get(record.history_type, "changed")
            same_object = previous is not None and previous.id == record.id
            delta = record.diff_against(previous) if same_object and action == "changed" else None
            compared.append((record, subject, action, delta))
            previous = record
    # 2. Name every related object shown, with one query per related model.
    wanted = {}
    for record, _subject, _action, delta in compared:
        model = record.instance_type
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.name not in hidden:
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
        for change in delta.changes if delta else ():
            model_field = _field(model, change.field)
            if model_field is not None and model_field.many_to_many:
                ids = _related_ids(model_field, change.old) + _related_ids(model_field, change.new)
                wanted.setdefault(model_field.related_model, set()).update(ids)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = person(obj) if model is get_user_model() else str(obj)
    # 3. The entries: a change that altered only bookkeeping fields is left out.
    labels = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}
    entries = []
    for record, subject, action, delta in compared:
        changes = ()
        if delta is not None:
            model = record.instance_type
            shown = []
            for change in delta.changes:
                model_field = _field(model, change.field)
                if model_field is None or change.field in hidden:
                    continue
                old, new = change.old, change.new
                if model_field.many_to_many:
                    old, new = _related_ids(model_field, old), _related_ids(model_field, new)
                    if sorted(old) == sorted(new):
                        continue
                shown.append(
                    HistoryChange(
                        str(model_field.verbose_name),
                        _display(model_field, old, names),
                        _display(model_field, new, names),
                    )
                )
            changes = tuple(shown)
            if not changes:
                continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=person(record.history_user),
                action=action,
                action_label=labels[action],
                subject=subject(record, names),
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
