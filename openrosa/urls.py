from django.urls import path

from openrosa import views

app_name = "openrosa"


def _device_paths(prefix, name_prefix):
    """The OpenRosa endpoints under a prefix: /openrosa/ (password) or /key/<token>/ (device token)."""
    return [
        path(f"{prefix}formList", views.form_list, name=f"{name_prefix}form_list"),
        path(f"{prefix}forms/<int:pk>/form.xml", views.form_xml, name=f"{name_prefix}form_xml"),
        path(f"{prefix}forms/<int:pk>/manifest", views.manifest, name=f"{name_prefix}manifest"),
        path(f"{prefix}forms/<int:pk>/media/<str:name>", views.media, name=f"{name_prefix}media"),
        path(f"{prefix}submission", views.submission, name=f"{name_prefix}submission"),
    ]


urlpatterns = [
    *_device_paths("openrosa/", ""),
    *_device_paths("key/<str:token>/", "key_"),
    path("openrosa/devices/", views.devices, name="devices"),
    path("openrosa/devices/new/", views.device_create, name="device_create"),
    path("openrosa/devices/<int:pk>/revoke/", views.device_revoke, name="device_revoke"),
    path("openrosa/observations/", views.observations, name="observations"),
    path("openrosa/submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
]
