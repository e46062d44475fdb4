"""Forms of a cluster's members: add an actor already registered, edit a membership."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_actors
from clusters.models import DEFAULT_ROLE_FOR_KIND, Membership
from clusters.validators import normalise_ruc


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "since", "notes"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 2})}


ACTOR_REFERENCE = re.compile(r"#(\d+)\s*\)?\s*$")


class MembershipAddForm(forms.Form):
    """Add an actor already registered: typed by name or RUC (the page suggests names as you type)."""

    actor = forms.CharField(
        label=_("Actor"),
        max_length=300,
        help_text=_("Type part of the name or the RUC and choose from the suggestions."),
    )
    role = forms.ChoiceField(
        label=_("Role in the cluster"),
        choices=[("", _("The usual role of its kind")), *Membership.Role.choices],
        required=False,
    )

    def __init__(self, *args, cluster, user, **kwargs):
        self.cluster = cluster
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.attrs.update(
            {
                "list": "actor-suggestions",
                "autocomplete": "off",
                "data-autocomplete-url": reverse("clusters:actor_autocomplete"),
            }
        )

    def clean_actor(self):
        text = self.cleaned_data["actor"].strip()
        actors = visible_actors(self.user)
        reference = ACTOR_REFERENCE.search(text)
        digits = normalise_ruc(text)
        ruc = re.search(r"\b(\d{11})\b", text)
        if reference:
            found = list(actors.filter(pk=int(reference.group(1))))
        elif digits.isdigit() and len(digits) == 11:
            found = list(actors.filter(ruc=digits))
        elif ruc:
            found = list(actors.filter(ruc=ruc.group(1)))
        else:
            found = list(actors.filter(name__iexact=text)[:2])
        if not found:
            raise ValidationError(_("No actor you can see has this name or RUC."), code="not_found")
        if len(found) > 1:
            raise ValidationError(
                _("Several actors have this name: choose one from the suggestions."), code="ambiguous"
            )
        actor = found[0]
        if Membership.objects.filter(cluster=self.cluster, actor=actor).exists():
            raise ValidationError(
                _("%(name)s is already a member of this cluster."), code="member", params={"name": actor.name}
            )
        return actor

    def membership_role(self):
        role = self.cleaned_data.get("role")
        actor = self.cleaned_data["actor"]
        return role or DEFAULT_ROLE_FOR_KIND.get(actor.kind, Membership.Role.OTHER)
