from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "南沙生物医药与健康产业地图 · Nansha biomedical industry map"
admin.site.site_title = "南沙产业地图 admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
