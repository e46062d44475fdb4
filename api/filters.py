"""Filters of the API's lists: the pages' own FilterSets where the pages have them (clusters, actors,
interviews), and small ones with the same fields as the pages' filter forms elsewhere.

Every FilterSet here takes the user, so that a choice (a cluster, say) is one the user may see."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from clusters.access import visible_clusters
from clusters.models import Evaluation, Membership, Region, Relationship
from instruments.models import Activity, Goal, Indicator, Intervention, Measurement
from reports.models import ReportJob
from surveys.models import QuestionnaireVersion


class PageFilterBackend(DjangoFilterBackend):
    """django-filter's backend, giving the FilterSet the user as the pages do (``user=``)."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


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


class MembershipFilter(UserFilterSet):
    cluster = cluster_filter()
    actor = django_filters.NumberFilter(field_name="actor_id")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = []


class TieFilter(UserFilterSet):
    cluster = cluster_filter()
    kind = django_filters.ChoiceFilter(choices=Relationship.Kind.choices)
    source = django_filters.NumberFilter(field_name="source_id")
    target = django_filters.NumberFilter(field_name="target_id")

    class Meta:
        model = Relationship
        fields = []


class EvaluationFilter(UserFilterSet):
    cluster = cluster_filter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Evaluation
        fields = []


class VersionFilter(UserFilterSet):
    questionnaire = django_filters.NumberFilter(field_name="questionnaire_id")
    status = django_filters.ChoiceFilter(choices=QuestionnaireVersion.Status.choices)

    class Meta:
        model = QuestionnaireVersion
        fields = []


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

    class Meta:
        model = Intervention
        fields = []


class IndicatorFilter(UserFilterSet):
    cluster = cluster_filter("intervention__cluster")
    intervention = django_filters.NumberFilter(field_name="intervention_id")

    class Meta:
        model = Indicator
        fields = []


class MeasurementFilter(UserFilterSet):
    cluster = cluster_filter("indicator__intervention__cluster")
    indicator = django_filters.NumberFilter(field_name="indicator_id")
    status = django_filters.ChoiceFilter(choices=Measurement.Status.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = []


class ActivityFilter(UserFilterSet):
    cluster = cluster_filter("intervention__cluster")
    intervention = django_filters.NumberFilter(field_name="intervention_id")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = []


class ReportFilter(UserFilterSet):
    cluster = cluster_filter()
    status = django_filters.ChoiceFilter(choices=ReportJob.Status.choices)

    class Meta:
        model = ReportJob
        fields = []
