"""What the registry's forms share: choice fields that label rows readably, and a service's errors put on a form."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Django 6.1's label for an empty choice has no Spanish translation in Django itself: ours provides it.
BLANK_CHOICE_LABEL = _("- Select an option -")


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class SectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def add_service_errors(form, error, renames=None):
    """Put a service's ValidationError on the form's fields (by name, renamed where they differ), or on the
    form as a whole when it names no field the form has."""
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = renames.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)
