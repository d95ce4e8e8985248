from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from industry.api import views as industry
from nansha.matching.views import MatchAPI
from parks.api import views as parks
from policies.api import views as policies

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
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
