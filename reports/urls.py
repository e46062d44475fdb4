from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.job_request, name="request"),
    path("programme/new/", views.programme_request, name="programme_request"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("editions/", views.edition_list, name="edition_list"),
    path("editions/new/<slug:slug>/", views.edition_create, name="edition_create"),
    path("editions/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("editions/<int:pk>/edit/", views.edition_edit, name="edition_edit"),
    path("editions/<int:pk>/final/", views.edition_finalise, name="edition_finalise"),
    path("editions/<int:pk>/reopen/", views.edition_reopen, name="edition_reopen"),
    path("settings/", views.programme_settings, name="settings"),
]
