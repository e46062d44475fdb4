from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    # Questionnaires
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/import/", views.questionnaire_import, name="questionnaire_import"),
    path("questionnaires/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("questionnaires/versions/<int:pk>/import/", views.questionnaire_import, name="version_import"),
    path("questionnaires/versions/<int:pk>/new-draft/", views.version_new_draft, name="version_new_draft"),
    path("questionnaires/versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("questionnaires/versions/<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("questionnaires/versions/<int:pk>/xlsform/", views.version_export, name="version_export"),
    path("questionnaires/versions/<int:pk>/languages/", views.version_languages, name="version_languages"),
    path("questionnaires/versions/<int:pk>/files/", views.version_file_upload, name="version_file_upload"),
    path("questionnaires/files/<int:pk>/download/", views.version_file_download, name="version_file_download"),
    path("questionnaires/files/<int:pk>/delete/", views.version_file_delete, name="version_file_delete"),
    path("questionnaires/versions/<int:version_pk>/sections/new/", views.section_form, name="section_create"),
    path("questionnaires/sections/<int:pk>/edit/", views.section_form, name="section_edit"),
    path("questionnaires/sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("questionnaires/versions/<int:version_pk>/questions/new/", views.question_form, name="question_create"),
    path("questionnaires/questions/<int:pk>/edit/", views.question_form, name="question_edit"),
    path("questionnaires/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questionnaires/questions/<int:pk>/move/", views.question_move, name="question_move"),
    # Interviews
    path("interviews/", views.interview_list, name="interview_list"),
    path("interviews/new/", views.interview_start, name="interview_start"),
    path("interviews/review/", views.review_queue, name="review_queue"),
    path("interviews/export/<str:fmt>/<str:shape>/", views.interview_export, name="interview_export"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/review/", views.interview_review, name="interview_review"),
    path("interviews/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    # Findings
    path("findings/", views.findings_index, name="findings_index"),
    path("findings/<slug:slug>/", views.cluster_findings, name="cluster_findings"),
]
