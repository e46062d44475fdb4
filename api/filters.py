"""Filters of the API's lists: the pages' own FilterSets where the pages have them (clusters, actors,
interviews), and small ones with the same fields as the pages' filter forms elsewhere.

Every FilterSet here takes the user, so that a choice (a cluster, say) is one the user may see."""

import functools

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from clusters.access import visible_clusters
from clusters.models import Membership, Region, Relationship
from instruments.models import Activity, Goal, Intervention, Measurement
from reports.models import ReportJob
from surveys.models import QuestionnaireVersion

# Query parameters of a list that no FilterSet reads: the page's cursor, the interviews' answers, DRF's format.
NOT_FILTERS = frozenset({"cursor", "include", "format"})


class PageFilterBackend(DjangoFilterBackend):
    """django-filter's backend, giving the FilterSet the user as the pages do (``user=``).

    A list asked for with no filter (a device's sync, the next page of a cursor) is not given to a FilterSet
    that would return it unchanged: making one (a deep copy of its filters, their form and option querysets)
    was a quarter of the API interview list's Python calls. Given no value, every filter leaves the rows as
    they are; only a FilterSet that changes ``qs`` or ``filter_queryset`` itself, or has a required filter,
    is always made."""

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys() <= NOT_FILTERS and _unchanged_when_empty(self.get_filterset_class(view)):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


@functools.cache
def _unchanged_when_empty(filterset_class):
    base = django_filters.FilterSet
    return filterset_class is None or (
        filterset_class.qs is base.qs
        and filterset_class.filter_queryset is base.filter_queryset
        and not any(f.extra.get("required") for f in filterset_class.base_filters.values())
    )


class UserFilterSet(django_filters.FilterSet):
    """A FilterSet whose ``cluster`` filter offers only the clusters the user may see (by slug)."""

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        if "cluster" in self.filters:
            self.filters["cluster"].queryset = visible_clusters(user)


def cluster_filter(field_name="cluster"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=visible_clusters(None), help_text="Cluster slug."
    )


def id_filter(name):
    """Rows of the object with this id (``name`` a foreign key: ``actor`` filters on ``actor_id``)."""
    return django_filters.NumberFilter(field_name=f"{name}_id")


class DatedFilterSet(UserFilterSet):
    """Rows dated from ``date_from`` to ``date_to`` (both included), as the pages' period filters."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")


# The FilterSets name no model: their filters are all declared, and the view's queryset says what they filter.


class MembershipFilter(UserFilterSet):
    cluster = cluster_filter()
    actor = id_filter("actor")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)


class TieFilter(UserFilterSet):
    cluster = cluster_filter()
    kind = django_filters.ChoiceFilter(choices=Relationship.Kind.choices)
    source = id_filter("source")
    target = id_filter("target")


class EvaluationFilter(DatedFilterSet):
    cluster = cluster_filter()


class VersionFilter(UserFilterSet):
    questionnaire = id_filter("questionnaire")
    status = django_filters.ChoiceFilter(choices=QuestionnaireVersion.Status.choices)


class InterventionFilter(UserFilterSet):
    """The portfolio's filters (goal, government level, status, department) and the cluster tab's."""

    cluster = cluster_filter()
    goal = django_filters.ModelChoiceFilter(
        field_name="instrument_type__goal", to_field_name="code", queryset=Goal.objects.all()
    )
    government_level = django_filters.ChoiceFilter(choices=Intervention.GovernmentLevel.choices)
    status = django_filters.ChoiceFilter(choices=Intervention.Status.choices)
    region = django_filters.ModelChoiceFilter(
        field_name="cluster__regions",
        to_field_name="code",
        queryset=Region.objects.filter(level=Region.Level.DEPARTMENT),
        distinct=True,
        help_text="Ubigeo code of a department, e.g. 21 (Puno).",
    )


class IndicatorFilter(UserFilterSet):
    cluster = cluster_filter("intervention__cluster")
    intervention = id_filter("intervention")


class MeasurementFilter(DatedFilterSet):
    cluster = cluster_filter("indicator__intervention__cluster")
    indicator = id_filter("indicator")
    status = django_filters.ChoiceFilter(choices=Measurement.Status.choices)


class ActivityFilter(DatedFilterSet):
    cluster = cluster_filter("intervention__cluster")
    intervention = id_filter("intervention")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)


class ReportFilter(UserFilterSet):
    cluster = cluster_filter()
    status = django_filters.ChoiceFilter(choices=ReportJob.Status.choices)
