from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from industry import views as industry_views
from leads import views as lead_views
from parks import views as park_views
from policies import views as policy_views

from .chain import views as chain_views
from .dashboard import views as dashboard_views
from .map import suggest as map_suggest
from .map import views as map_views
from .matching import views as match_views
from .ops import admin_auth, favicon, health
from .share import qr
from .staff import freshness_views, geocoding_views, home_views

# In the page's language (lazy: translated per request), like every other label.
admin.site.site_header = _("Nansha biomedical & health industry map")
admin.site.site_title = _("Nansha industry map staff site")

urlpatterns = [
    path("", map_views.map_page, name="map"),
    path("map/data.json", map_views.data, name="map-data"),
    path("search/suggest.json", map_suggest.suggest, name="search-suggest"),
    path("share/qr.svg", qr.qr_code, name="share-qr"),
    path("chain/", chain_views.chain_page, name="chain"),
    path("match/", match_views.match_page, name="match"),
    path("policies/", policy_views.policy_list, name="policies"),
    path("policies/<int:pk>/", policy_views.policy_detail, name="policy-detail"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("contact/", lead_views.contact, name="lead-contact"),
    path("contact/received/", lead_views.received, name="lead-received"),
    path("map/export.<str:fmt>", map_views.export, name="map-export"),
    path("enterprises/<int:pk>/", industry_views.EnterpriseDetail.as_view(), name="enterprise-detail"),
    path("parks/<int:pk>/", park_views.ParkDetail.as_view(), name="park-detail"),
    path("hospitals/<int:pk>/", industry_views.HospitalDetail.as_view(), name="hospital-detail"),
    path("institutions/<int:pk>/", industry_views.ResearchInstitutionDetail.as_view(), name="institution-detail"),
    path("funds/<int:pk>/", industry_views.FundDetail.as_view(), name="fund-detail"),
    path("platforms/<int:pk>/", industry_views.ServicePlatformDetail.as_view(), name="platform-detail"),
    path("api/", include("nansha.api.urls")),
    path("ogc/", include("nansha.ogc.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/freshness/", freshness_views.freshness_view, name="freshness"),
    path("admin/mine/", home_views.staff_home_view, name="staff-home"),
    path("admin/geocode/", geocoding_views.geocode_view, name="geocode"),
    # Before the admin's own: its sign-in and password change pages, hardened (nansha/ops/admin_auth.py).
    path("admin/login/", admin_auth.login),
    path("admin/password_change/", admin_auth.password_change),
    path("admin/", admin.site.urls),
]

# Under /api/ and /ogc/ a URL that matches no route is a JSON 404 like the API's own.
handler404 = "nansha.api.errors.not_found"
