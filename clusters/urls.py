from django.urls import path

from clusters.views import actors, clusters, evaluations, imports, members, network

app_name = "clusters"

urlpatterns = [
    # A cluster, its figures and team: clusters/views/clusters.py
    path("clusters/", clusters.cluster_list, name="list"),
    path("clusters/new/", clusters.cluster_create, name="create"),
    path("clusters/<slug:slug>/", clusters.cluster_detail, name="detail"),
    path("clusters/<slug:slug>/edit/", clusters.cluster_edit, name="edit"),
    path("clusters/<slug:slug>/history/", clusters.cluster_history, name="history"),
    path("clusters/<slug:slug>/figures/", clusters.figures, name="figures"),
    path("clusters/<slug:slug>/figures/<int:pk>/edit/", clusters.figure_edit, name="figure_edit"),
    path("clusters/<slug:slug>/figures/<int:pk>/delete/", clusters.figure_delete, name="figure_delete"),
    path("clusters/<slug:slug>/team/", clusters.team, name="team"),
    path("clusters/<slug:slug>/team/<int:user_id>/remove/", clusters.team_remove, name="team_remove"),
    # A cluster's actors: clusters/views/members.py
    path("clusters/<slug:slug>/actors/", members.cluster_actors, name="actors"),
    path("clusters/<slug:slug>/actors/add/", members.membership_add, name="membership_add"),
    path("clusters/<slug:slug>/members/<int:pk>/edit/", members.membership_edit, name="membership_edit"),
    path("clusters/<slug:slug>/members/<int:pk>/delete/", members.membership_delete, name="membership_delete"),
    # Its network: clusters/views/network.py
    path("clusters/<slug:slug>/network/", network.network, name="network"),
    path("clusters/<slug:slug>/network/ties/<int:pk>/delete/", network.relationship_delete, name="tie_delete"),
    # Its evaluations: clusters/views/evaluations.py
    path("clusters/<slug:slug>/evaluations/", evaluations.evaluations, name="evaluations"),
    path("clusters/<slug:slug>/evaluations/new/", evaluations.evaluation_create, name="evaluation_create"),
    path("clusters/<slug:slug>/evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("clusters/<slug:slug>/evaluations/<int:pk>/edit/", evaluations.evaluation_edit, name="evaluation_edit"),
    # Actors: clusters/views/actors.py; their spreadsheets (export, import): clusters/views/imports.py
    path("actors/", actors.actor_list, name="actor_list"),
    path("actors/new/", actors.actor_create, name="actor_create"),
    path("actors/export/", imports.actor_export, name="actor_export"),
    path("actors/import/", imports.actor_import, name="actor_import"),
    path("actors/import/confirm/", imports.actor_import_confirm, name="actor_import_confirm"),
    path("actors/import/template/", imports.actor_import_template, name="actor_import_template"),
    path("actors/autocomplete/", actors.actor_autocomplete, name="actor_autocomplete"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", actors.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/history/", actors.actor_history, name="actor_history"),
    # Reference data for pickers: clusters/views/actors.py
    path("regions/<str:code>/children/", actors.region_children, name="region_children"),
]
