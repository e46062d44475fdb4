"""The form of a tie between two members of a cluster."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.collation import spanish
from clusters.models import Actor, Relationship


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RelationshipForm(forms.Form):
    source = MemberChoiceField(
        label=pgettext_lazy("tie", "From"), queryset=Actor.objects.none(), empty_label=_("— choose —")
    )
    kind = forms.ChoiceField(label=_("Kind of tie"), choices=Relationship.Kind.choices)
    target = MemberChoiceField(
        label=pgettext_lazy("tie", "To"), queryset=Actor.objects.none(), empty_label=_("— choose —")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster, **kwargs):
        self.cluster = cluster
        super().__init__(*args, **kwargs)
        members = Actor.objects.filter(memberships__cluster=cluster).order_by(spanish("name"))
        self.fields["source"].queryset = members
        self.fields["target"].queryset = members

    def clean(self):
        cleaned = super().clean()
        source, target, kind = cleaned.get("source"), cleaned.get("target"), cleaned.get("kind")
        if source and target and source == target:
            self.add_error("target", _("A tie must join two different actors."))
        elif source and target and kind:
            exists = Relationship.objects.filter(
                cluster=self.cluster, source=source, target=target, kind=kind, interview__isnull=True
            ).exists()
            if exists:
                self.add_error(None, _("This tie is already recorded."))
        return cleaned
