from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from surveys.models import (
    Answer,
    Attachment,
    Choice,
    Interview,
    InterviewChange,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from surveys.services.interviews import answers_delete, interviews_delete


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(SimpleHistoryAdmin):
    list_display = ["questionnaire", "number", "status", "published_at"]
    list_filter = ["status"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "version", "order"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "type", "version", "required"]
    list_filter = ["type"]
    search_fields = ["code"]
    inlines = [ChoiceInline]


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "cluster", "date", "interviewer", "status"]
    list_filter = ["status", "cluster"]
    raw_id_fields = ["actor"]
    list_select_related = ["actor", "cluster", "interviewer"]

    def delete_model(self, request, obj):
        interviews_delete(Interview.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        interviews_delete(queryset)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Answers are read here and changed only through their interview (its form, its history, its review, and the
    stamp the findings' buckets are checked by): an answer saved on its own would change none of them. One
    deleted here (or with its interview) moves its interview's stamp."""

    list_display = ["interview", "question", "text_value", "number_value"]
    raw_id_fields = ["interview", "question"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, Answer.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        answers_delete(queryset)


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "interview", "kind", "size"]
    raw_id_fields = ["interview"]


@admin.register(InterviewChange)
class InterviewChangeAdmin(admin.ModelAdmin):
    list_display = ["interview", "action", "changed_by", "changed_at"]
    list_filter = ["action"]
    raw_id_fields = ["interview"]
