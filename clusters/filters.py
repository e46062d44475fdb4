"""List filters of the registry (django-filter). The lists, the exports and the counts share them."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.access import visible_clusters
from clusters.collation import spanish
from clusters.models import Actor, Cluster, Membership, Sector, fold_text
from clusters.selectors import clusters_in, coordinators_of, departments, with_serious_risks
from clusters.validators import normalise_ruc
from clusters.widgets import FastSelect


class FastSelectFilterSet(django_filters.FilterSet):
    """A filter set whose select boxes are written in Python (clusters.widgets.FastSelect): list pages
    render their filter box on every request, with a region, a sector or a cluster per option."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("widget", FastSelect)


class DepartmentFilter(django_filters.ChoiceFilter):
    """A department (ubigeo code): matches the department and every province and district in it."""

    def __init__(self, *args, path, **kwargs):
        self.path = path
        super().__init__(*args, method=self.in_department, **kwargs)

    def in_department(self, queryset, name, value):
        return queryset.filter(**{f"{self.path}__code__startswith": value})


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = type(
        "PersonChoiceField",
        (forms.ModelChoiceField,),
        {"label_from_instance": lambda self, user: user.get_full_name() or user.get_username()},
    )


class SectorChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = type(
        "SectorChoiceField",
        (forms.ModelChoiceField,),
        {"label_from_instance": lambda self, sector: f"{sector.code} · {sector.name}"},
    )


ALL = _("All")
# The longest text a search box takes: a longer one is told at its field and does not filter. (SQLite refuses
# a LIKE pattern over 50,000 characters: a 60,000-character search was a 500.)
SEARCH_MAX_LENGTH = 200


class SearchFilter(django_filters.CharFilter):
    """A free-text search box of a list page, bounded to SEARCH_MAX_LENGTH characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


def cluster_scope(within):
    """Two hidden filters, to be named ``cluster_region`` (a department's ubigeo code) and ``cluster_sector``
    (a sector's id), that keep a list to the records of the clusters the dashboard counted
    (clusters.selectors.clusters_in). ``within(queryset, clusters)`` narrows the list's queryset to those."""

    def narrow(queryset, name, value):
        if name == "cluster_region":
            clusters = clusters_in(Cluster.objects.all(), department=value)
        else:
            clusters = clusters_in(Cluster.objects.all(), sector=value)
        return within(queryset, clusters)

    return (
        django_filters.CharFilter(method=narrow, widget=forms.HiddenInput, max_length=6),
        django_filters.NumberFilter(method=narrow, widget=forms.HiddenInput),
    )


def actors_in(queryset, clusters):
    return queryset.filter(pk__in=Membership.objects.filter(cluster__in=clusters).values("actor_id"))


class SpanishOrderingFilter(django_filters.OrderingFilter):
    """Django-filter's sort, with names compared as in a Spanish dictionary (clusters.collation)."""

    def __init__(self, *args, text_fields=(), **kwargs):
        self.text_fields = set(text_fields)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = value.lstrip("-")
        if field not in self.text_fields:
            return value
        return spanish(field).desc() if value.startswith("-") else spanish(field).asc()


class ClusterFilter(FastSelectFilterSet):
    q = SearchFilter(label=_("Name"), method="search")
    region = DepartmentFilter(label=_("Department"), path="regions", choices=(), empty_label=ALL)
    sector = SectorChoiceFilter(label=_("Sector"), queryset=Sector.objects.none(), method="in_sector", empty_label=ALL)
    stage = django_filters.ChoiceFilter(label=_("Lifecycle stage"), choices=Cluster.Stage.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Cluster.Status.choices, empty_label=ALL)
    coordinator = PersonChoiceFilter(label=_("Coordinator"), queryset=Cluster.objects.none(), empty_label=ALL)
    risk = django_filters.ChoiceFilter(
        label=_("Latest evaluation"),
        choices=[("serious", _("With serious risks"))],
        method="with_risk",
        empty_label=ALL,
    )
    sort = SpanishOrderingFilter(
        label=_("Sort by"),
        text_fields=["name"],
        fields=(
            ("name", "name"),
            ("stage_order", "stage"),
            ("status_order", "status"),
            ("actor_count", "actors"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "stage_order": _("Lifecycle stage"),
            "status_order": _("Status"),
            "actor_count": _("Actors"),
            "updated_at": _("Last change"),
        },
    )

    class Meta:
        model = Cluster
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["region"].extra["choices"] = [(r.code, r.name) for r in departments()]
        self.filters["coordinator"].queryset = coordinators_of(user)
        self.filters["sector"].queryset = Sector.objects.filter(
            Q(main_clusters__in=visible_clusters(user)) | Q(children__main_clusters__in=visible_clusters(user))
        ).distinct()

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())

    def in_sector(self, queryset, name, value):
        return queryset.filter(Q(main_sector=value) | Q(main_sector__parent=value))

    def with_risk(self, queryset, name, value):
        return with_serious_risks(queryset)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(spanish("name"))
        # Several matching regions of one cluster must not list it twice.
        return queryset.distinct() if self.form.cleaned_data.get("region") else queryset


class ActorFilter(FastSelectFilterSet):
    q = SearchFilter(label=_("Name or RUC"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Actor.Kind.choices, empty_label=ALL)
    size = django_filters.ChoiceFilter(label=_("Firm size"), choices=Actor.Size.choices, empty_label=ALL)
    region = DepartmentFilter(label=_("Department"), path="region", choices=(), empty_label=ALL)
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.none(),
        to_field_name="slug",
        field_name="memberships__cluster",
        empty_label=ALL,
    )
    cluster_region, cluster_sector = cluster_scope(actors_in)

    class Meta:
        model = Actor
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["region"].extra["choices"] = [(r.code, r.name) for r in departments()]
        self.filters["cluster"].queryset = visible_clusters(user).order_by(spanish("name"))

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value)
        folded = fold_text(value)
        if folded:
            condition |= Q(name_key__contains=folded)
        digits = normalise_ruc(value)
        if digits.isdigit():
            condition |= Q(ruc__startswith=digits)
        return queryset.filter(condition)
