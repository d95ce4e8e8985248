from django.urls import include, path

from .baseline import BaselineGeoJSON

urlpatterns = [
    path("bench/drf-geojson/", BaselineGeoJSON.as_view()),
    path("", include("nansha.urls")),
]
