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


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["interview", "question", "text_value", "number_value"]
    raw_id_fields = ["interview", "question"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "interview", "kind", "size"]
    raw_id_fields = ["interview"]


@admin.register(InterviewChange)
class InterviewChangeAdmin(admin.ModelAdmin):
    list_display = ["interview", "action", "changed_by", "changed_at"]
    list_filter = ["action"]
    raw_id_fields = ["interview"]
