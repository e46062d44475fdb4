from django.urls import path

from mapping import views

app_name = "mapping"

urlpatterns = [
    path("", views.index, name="index"),
    path("candidates/", views.candidates, name="candidates"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/weights/", views.weights_save, name="weights"),
    path("priorities/export/", views.priorities_export, name="priorities_export"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset"),
    path("datasets/<int:pk>/compute/", views.dataset_compute, name="dataset_compute"),
    path("datasets/<int:pk>/delete/", views.dataset_delete, name="dataset_delete"),
    path("import/", views.data_import, name="import"),
    path("import/confirm/", views.data_import_confirm, name="import_confirm"),
    path("import/template/", views.data_import_template, name="import_template"),
    path("import/demo.csv", views.demo_file, name="demo_file"),
    path("clusters/<slug:slug>/", views.cluster_scores, name="cluster"),
]
