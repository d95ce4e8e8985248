"""OGC API – Features (/ogc/): landing page, conformance, collections and items over the API's viewsets."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.LandingPage.as_view(), name="ogc-landing"),
    path("conformance", views.Conformance.as_view(), name="ogc-conformance"),
    path("collections", views.Collections.as_view(), name="ogc-collections"),
    path("collections/<str:collection_id>", views.Collection.as_view(), name="ogc-collection"),
    # One route per collection, so that the API document gives each its own filters; the general route
    # answers the rest (a 404 naming the collection) and is left out of the document.
    *(path(f"collections/{key}/items", views.collection_items_view(key)) for key in views.COLLECTIONS),
    path(
        "collections/<str:collection_id>/items",
        views.OtherItems.as_view(),
        name="ogc-items",
    ),
    path("collections/<str:collection_id>/queryables", views.Queryables.as_view(), name="ogc-queryables"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.Item.as_view(), name="ogc-item"),
]
