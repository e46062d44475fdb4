from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from instruments.models import Activity, Goal, Indicator, InstrumentType, Intervention, Measurement


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["order", "name_es", "heading"]


@admin.register(InstrumentType)
class InstrumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name_es", "goal", "is_local"]
    list_filter = ["goal", "is_local"]


@admin.register(Intervention)
class InterventionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cluster", "instrument_type", "status", "budget_planned", "budget_executed"]
    list_filter = ["status", "government_level", "cluster"]
    filter_horizontal = ["implementing_institutions", "funding_institutions", "beneficiaries"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "intervention", "unit", "baseline_value", "target_value"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "date", "value", "status"]
    list_filter = ["status"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "intervention", "date", "kind"]
