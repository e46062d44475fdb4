from django.urls import path

from clusters import registry_views as views

app_name = "clusters"

urlpatterns = [
    # Clusters and their tabs
    path("clusters/", views.cluster_list, name="list"),
    path("clusters/new/", views.cluster_create, name="create"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="detail"),
    path("clusters/<slug:slug>/edit/", views.cluster_edit, name="edit"),
    path("clusters/<slug:slug>/history/", views.cluster_history, name="history"),
    path("clusters/<slug:slug>/figures/", views.figures, name="figures"),
    path("clusters/<slug:slug>/figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("clusters/<slug:slug>/figures/<int:pk>/delete/", views.figure_delete, name="figure_delete"),
    path("clusters/<slug:slug>/team/", views.team, name="team"),
    path("clusters/<slug:slug>/team/<int:user_id>/remove/", views.team_remove, name="team_remove"),
    path("clusters/<slug:slug>/actors/", views.cluster_actors, name="actors"),
    path("clusters/<slug:slug>/actors/add/", views.membership_add, name="membership_add"),
    path("clusters/<slug:slug>/members/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("clusters/<slug:slug>/members/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("clusters/<slug:slug>/network/", views.network, name="network"),
    path("clusters/<slug:slug>/network/ties/<int:pk>/delete/", views.relationship_delete, name="tie_delete"),
    path("clusters/<slug:slug>/evaluations/", views.evaluations, name="evaluations"),
    path("clusters/<slug:slug>/evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("clusters/<slug:slug>/evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("clusters/<slug:slug>/evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    # Actors
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/new/", views.actor_create, name="actor_create"),
    path("actors/export/", views.actor_export, name="actor_export"),
    path("actors/import/", views.actor_import, name="actor_import"),
    path("actors/import/confirm/", views.actor_import_confirm, name="actor_import_confirm"),
    path("actors/import/template/", views.actor_import_template, name="actor_import_template"),
    path("actors/autocomplete/", views.actor_autocomplete, name="actor_autocomplete"),
    path("actors/<int:pk>/", views.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", views.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/history/", views.actor_history, name="actor_history"),
    # Reference data for pickers
    path("regions/<str:code>/children/", views.region_children, name="region_children"),
]
