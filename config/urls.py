from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("home.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Choosing a language works before signing in too (the login page has the switch).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("clusters.urls")),
    path("surveys/", include("surveys.urls")),
    path("instruments/", include("instruments.urls")),
    path("reports/", include("reports.urls")),
    # Field devices: /openrosa/... (and /key/<token>/... for device tokens), see openrosa/urls.py.
    path("", include("openrosa.urls")),
    path("api/", include("api.urls")),
    path("accounts/tokens/", include("api.token_urls")),
    path("mapping/", include("mapping.urls")),
    path("admin/", admin.site.urls),
]
