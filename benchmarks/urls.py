from django.urls import include, path

from . import baseline_export, policy_calculator, search_baseline
from .baseline import BaselineGeoJSON
from .floor import geojson_floor

urlpatterns = [
    path("bench/drf-geojson/", BaselineGeoJSON.as_view()),
    path("bench/calculator/", policy_calculator.calculator),
    path("bench/calculator-baseline/", policy_calculator.calculator_baseline),
    path("bench/qualifying/", policy_calculator.qualifying),
    path("bench/qualifying-baseline/", policy_calculator.qualifying_baseline),
    path("bench/map-export-baseline.<str:fmt>", baseline_export.export),
    # The search before its text index (benchmarks/search_baseline.py).
    path("bench/search-baseline/enterprises/", search_baseline.BaselineEnterpriseSearch.as_view({"get": "list"})),
    path("bench/search-baseline/suggest.json", search_baseline.suggest),
    path("bench/geojson-floor/", geojson_floor),
    path("", include("nansha.urls")),
]
