from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from api.models import ApiToken

LIFETIMES = [30, 90, 180, 365]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Stata at the ministry”."),
    )
    scope = forms.ChoiceField(label=_("Access"), widget=forms.RadioSelect)
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=[(days, ngettext_lazy("%(days)s day", "%(days)s days", days) % {"days": days}) for days in LIFETIMES],
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ApiToken.Scope.choices)
        self.fields["scope"].choices = [(scope, labels[scope]) for scope in scopes]
        self.fields["scope"].initial = ApiToken.Scope.READ
