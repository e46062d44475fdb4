from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import (
    Actor,
    Cluster,
    Evaluation,
    HeadlineFigure,
    Membership,
    Region,
    Relationship,
    RiskRating,
    Sector,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name_es", "name_en"]


class HeadlineFigureInline(admin.TabularInline):
    model = HeadlineFigure
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "main_sector", "stage", "status", "coordinator"]
    list_filter = ["stage", "status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions", "related_sectors", "team"]
    list_select_related = ["main_sector", "coordinator"]
    inlines = [HeadlineFigureInline]


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ruc", "size", "region"]
    list_filter = ["kind", "size"]
    search_fields = ["name", "ruc"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "cluster", "role"]
    list_filter = ["role", "cluster"]
    raw_id_fields = ["actor"]
    list_select_related = ["actor", "cluster"]


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target", "cluster", "interview"]
    list_filter = ["kind", "cluster"]
    raw_id_fields = ["source", "target", "interview"]
    list_select_related = ["source", "target", "cluster"]


class RiskRatingInline(admin.TabularInline):
    model = RiskRating
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "date", "evaluator"]
    list_filter = ["cluster"]
    inlines = [RiskRatingInline]
