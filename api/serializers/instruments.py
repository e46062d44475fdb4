"""Interventions, indicators, measurements and activities."""

from rest_framework import serializers

from api.fields import Money, PageUrl, PersonField
from instruments.models import Activity, Indicator, Intervention, Measurement


class InstrumentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    goal = serializers.CharField(source="goal.code")


class InterventionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:intervention-detail")
    page_url = PageUrl()
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    instrument_type = InstrumentTypeSerializer(read_only=True)
    budget_planned = Money()
    budget_executed = Money()
    implementing_institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    funding_institutions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    beneficiaries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "url",
            "page_url",
            "cluster",
            *Intervention.EDITABLE_FIELDS,
            "updated_at",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")
    page_url = PageUrl()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "url",
            "page_url",
            "intervention",
            *Indicator.EDITABLE_FIELDS,
        ]
        read_only_fields = fields


# A value's breakdowns (by sex, by firm size), as the model groups them.
MEASUREMENT_VALUES = [name for group in Measurement.DISAGGREGATIONS.values() for name in group]


class MeasurementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:measurement-detail")
    recorded_by = PersonField(allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "url",
            "indicator",
            "date",
            "value",
            "source",
            "note",
            *MEASUREMENT_VALUES,
            "status",
            "review_comment",
            "recorded_by",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = fields


class MeasurementCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="Indicator id.")
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    source = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self):
        # One optional number per breakdown, after the declared fields (as the schema has always listed them).
        fields = super().get_fields()
        for name in MEASUREMENT_VALUES:
            fields[name] = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
        return fields


class ActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "intervention",
            *Activity.EDITABLE_FIELDS,
        ]
        read_only_fields = fields
