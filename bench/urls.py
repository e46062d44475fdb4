"""The site's URLs plus the floor: a minimal view rendering a static template, for comparison."""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    return render(request, "bench/floor.html")


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
