from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from nansha.api.resources.industry import views as industry
from nansha.api.resources.parks import views as parks
from nansha.api.resources.policies import views as policies
from nansha.api.schema import SchemaView
from nansha.matching.views import MatchAPI

router = DefaultRouter()
router.register("enterprises", industry.EnterpriseViewSet, basename="enterprise")
router.register("segments", industry.ChainSegmentViewSet, basename="segment")
router.register("parks", parks.ParkViewSet, basename="park")
router.register("spaces", parks.SpaceViewSet, basename="space")
router.register("hospitals", industry.HospitalViewSet, basename="hospital")
router.register("institutions", industry.ResearchInstitutionViewSet, basename="institution")
router.register("funds", industry.FundViewSet, basename="fund")
router.register("platforms", industry.ServicePlatformViewSet, basename="platform")
router.register("policies", policies.PolicyViewSet, basename="policy")
router.register("signed-projects", industry.SignedProjectViewSet, basename="signed-project")
router.register("clinical-projects", industry.ClinicalProjectViewSet, basename="clinical-project")

urlpatterns = [
    path("v1/match/", MatchAPI.as_view(), name="api-match"),
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL (`?script`), not inline, so the
    # Content-Security-Policy needs no 'unsafe-inline' for scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc runs its search index in a worker it creates from a blob: URL; only this page allows that.
    path(
        "redoc/",
        csp_update({"worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-redoc",
    ),
]
