from django.urls import path

from home import views

# No namespace: "home" and "health" are reversed across the project (the menu, login, checks).
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
]
