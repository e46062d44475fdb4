from django.urls import path

from instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.instrument_type_create, name="instrument_type_create"),
    path("clusters/<slug:slug>/", views.cluster_tab, name="cluster"),
    path("clusters/<slug:slug>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/edit/", views.intervention_edit, name="intervention_edit"),
    path("interventions/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("interventions/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("indicators/export.xlsx", views.indicator_export, name="indicator_export"),
    path("measurements/<int:pk>/", views.measurement_detail, name="measurement_detail"),
    path("measurements/<int:pk>/edit/", views.measurement_edit, name="measurement_edit"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
    path("measurements/<int:pk>/review/", views.measurement_review, name="measurement_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
]
