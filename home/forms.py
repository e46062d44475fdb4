from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from clusters.models import Sector
from clusters.selectors import departments
from home.dashboard import year_choices

SHADE_CLUSTERS = "clusters"
SHADE_BUDGET = "budget"


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, kept in the URL. A value that is not valid is reported on its field and the
    dashboard shows the whole programme for it."""

    region = forms.ChoiceField(label=_("Department"), required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    shade = forms.ChoiceField(
        label=_("Shade the map by"),
        required=False,
        choices=[(SHADE_CLUSTERS, _("Number of clusters")), (SHADE_BUDGET, _("Budget executed"))],
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All departments")), *((r.code, r.name) for r in departments())]
        visible = visible_clusters(user)
        self.fields["sector"].queryset = (
            Sector.objects.filter(Q(main_clusters__in=visible) | Q(children__main_clusters__in=visible))
            .distinct()
            .order_by("code")
        )
        self.fields["sector"].empty_label = _("All sectors")
        self.fields["sector"].label_from_instance = lambda sector: f"{sector.code} · {sector.name}"
        self.fields["period"].choices = [("", _("The last 12 months")), *((y, y) for y in year_choices(today))]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def criteria(self):
        """The valid filters, with the defaults for those left empty or not valid."""
        cleaned = {}
        if self.is_bound:
            self.is_valid()  # an invalid form keeps its valid fields in cleaned_data: those still filter
            cleaned = self.cleaned_data
        return {
            "region": cleaned.get("region") or "",
            "sector": cleaned.get("sector"),
            "period": cleaned.get("period") or "",
            "shade": cleaned.get("shade") or SHADE_CLUSTERS,
        }
