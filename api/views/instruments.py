"""Interventions, their indicators and measurements, and their activities."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.filters import ActivityFilter, IndicatorFilter, InterventionFilter, MeasurementFilter
from api.serializers import instruments as s
from api.views.base import CreateMixin, ReadViewSet, action_perms, visible_or_400
from clusters.models import Actor
from instruments import selectors as instrument_selectors
from instruments import services as instrument_services


@extend_schema_view(list=extend_schema(summary="Interventions"), retrieve=extend_schema(summary="An intervention"))
class InterventionViewSet(ReadViewSet):
    perms = action_perms("instruments.view_intervention")
    serializer_class = s.InterventionSerializer
    filterset_class = InterventionFilter

    def get_queryset(self):
        ids = Actor.objects.only("id")
        return (
            instrument_selectors.visible_interventions(self.request.user)
            .select_related("cluster", "instrument_type__goal")
            .prefetch_related(
                Prefetch("implementing_institutions", queryset=ids),
                Prefetch("funding_institutions", queryset=ids),
                Prefetch("beneficiaries", queryset=ids),
            )
        )


@extend_schema_view(list=extend_schema(summary="Indicators"), retrieve=extend_schema(summary="An indicator"))
class IndicatorViewSet(ReadViewSet):
    perms = action_perms("instruments.view_indicator")
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return instrument_selectors.visible_indicators(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Measurements of indicators"),
    retrieve=extend_schema(summary="A measurement"),
    create=extend_schema(
        summary="Record a measurement (it waits for a coordinator's review)", responses={201: s.MeasurementSerializer}
    ),
)
class MeasurementViewSet(CreateMixin, ReadViewSet):
    perms = action_perms("instruments.view_measurement", create="instruments.add_measurement")
    serializer_class = s.MeasurementSerializer
    write_serializers = {"create": s.MeasurementCreateSerializer}
    filterset_class = MeasurementFilter

    def get_queryset(self):
        return instrument_selectors.visible_measurements(self.request.user).select_related("recorded_by")

    def create_object(self, data):
        user = self.request.user
        data = dict(data)
        indicator = visible_or_400(
            instrument_selectors.visible_indicators(user),
            "indicator",
            _("No indicator you may see has this id."),
            pk=data.pop("indicator"),
        )
        measurement = instrument_services.measurement_create(indicator=indicator, recorded_by=user, **data)
        return self.get_queryset().get(pk=measurement.pk)


@extend_schema_view(
    list=extend_schema(summary="Activities of interventions"), retrieve=extend_schema(summary="An activity")
)
class ActivityViewSet(ReadViewSet):
    perms = action_perms("instruments.view_activity")
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        return instrument_selectors.visible_activities(self.request.user)
