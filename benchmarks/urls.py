from django.urls import include, path

from . import baseline_export
from .baseline import BaselineGeoJSON

urlpatterns = [
    path("bench/drf-geojson/", BaselineGeoJSON.as_view()),
    path("bench/map-export-baseline.<str:fmt>", baseline_export.export),
    path("", include("nansha.urls")),
]
