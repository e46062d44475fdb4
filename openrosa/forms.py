from django import forms
from django.utils.translation import gettext_lazy as _


class DeviceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=100,
        help_text=_('So that you can tell your devices apart, e.g. "Ana\'s Samsung tablet".'),
    )
