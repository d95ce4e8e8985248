from django.urls import path

from . import views

urlpatterns = [
    path("", views.LandingPage.as_view(), name="ogc-landing"),
    path("conformance", views.Conformance.as_view(), name="ogc-conformance"),
    path("collections", views.Collections.as_view(), name="ogc-collections"),
    path("collections/<str:collection_id>", views.Collection.as_view(), name="ogc-collection"),
    path("collections/<str:collection_id>/items", views.Items.as_view(), name="ogc-items"),
    path("collections/<str:collection_id>/items/<int:feature_id>", views.Item.as_view(), name="ogc-item"),
]
