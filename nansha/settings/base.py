"""Settings for the Nansha biomedical industry map.

Every value that differs between machines comes from the environment (django-environ), so one
settings module serves a laptop, CI and production:

- DATABASE_URL: default a SQLite file under var/; PostgreSQL in production and CI.
- SECRET_KEY: required when DEBUG is off.
- DEBUG: off unless set; `make run` turns it on for local use.
- ALLOWED_HOSTS: comma-separated.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional local overrides; absent in CI and production

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local use).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our admin config discovers admin modules itself: see nansha.apps.NanshaAdminConfig.
    "nansha.apps.NanshaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "nansha",
    "industry",
    "parks",
    "policies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nansha.urls"
WSGI_APPLICATION = "nansha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Widgets render through the template engine so that templates/ can hold their templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'nansha.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by WhiteNoise in production (after collectstatic).
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "nansha.storage.StaticStorage",
        )
    },
}

# Base maps. Tiles are optional: with none reachable the maps still show markers and outlines.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (22.80, 113.53),  # Nansha district
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    # `key` names the base map in the map's URL; `gcj02` marks tiles drawn in China's GCJ-02
    # coordinates, on which the map shifts everything it draws.
    "TILES": [
        (
            _("OpenStreetMap"),
            env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            {"key": "osm", "attribution": "&copy; OpenStreetMap contributors", "maxZoom": 19},
        ),
        (
            _("Gaode (AutoNavi)"),
            env.str(
                "MAP_GAODE_TILES_URL",
                default="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            ),
            {
                "key": "gaode",
                "attribution": "&copy; 高德地图 AutoNavi",
                "subdomains": "1234",
                "maxZoom": 18,
                "gcj02": True,
            },
        ),
    ],
    "RESET_VIEW": False,
    "PLUGINS": {
        "markercluster": {
            "css": [
                "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css",
            ],
            "js": ["vendor/leaflet.markercluster/leaflet.markercluster.js"],
            "auto-include": False,
        },
    },
}

# A space listing that nobody re-confirms for this many days is stale.
SPACE_LISTING_STALE_AFTER_DAYS = env.int("SPACE_LISTING_STALE_AFTER_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Partner API (REST under /api/v1/, OGC API - Features under /ogc/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["nansha.api.access.ReadOnlyUnlessStaff"],
    "DEFAULT_THROTTLE_CLASSES": ["nansha.api.access.AnonymousThrottle", "nansha.api.access.PartnerThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "nansha.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nansha.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "PAGE_SIZE": 50,
    # How many proxies stand in front of the app (nginx in docker compose: 1). With 0 the throttles
    # identify callers by REMOTE_ADDR only, so a forged X-Forwarded-For cannot dodge them.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# Requests per period for callers without a key and for partners with one (staff are not throttled).
API_THROTTLE_RATES = {
    "anonymous": env.str("API_RATE_ANONYMOUS", default="120/min"),
    "partner": env.str("API_RATE_PARTNER", default="2000/min"),
}
API_KEY_CUSTOM_HEADER = "HTTP_X_API_KEY"  # partners send their key as "X-Api-Key: <key>"
SPECTACULAR_SETTINGS = {
    "TITLE": "Nansha biomedical & health industry map API",
    "DESCRIPTION": (
        "Read-only access to the published records of the Nansha biomedical & health industry map: enterprises, "
        "the industry chain, parks and space, hospitals, universities and institutes, funds, platforms, policies "
        "and projects. The filters are those of the map. Anonymous callers are throttled; partners send an API "
        "key (header `X-Api-Key`) issued by staff, for higher limits and public contact fields."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|ogc)/.*$"

# A chain segment with fewer published enterprises than this is shown as a gap on /chain/.
CHAIN_GAP_THRESHOLD = env.int("CHAIN_GAP_THRESHOLD", default=3)

# Above this many records a map layer is sent as server-side clusters of the viewport (cells of
# MAP_CLUSTER_CELL_PX pixels), with at most MAP_LIST_LIMIT records in view for the result list.
MAP_CLUSTER_THRESHOLD = env.int("MAP_CLUSTER_THRESHOLD", default=5000)
MAP_CLUSTER_CELL_PX = 60
MAP_CLUSTER_MAX_ZOOM = 16  # from this zoom on, the records in view come as markers
MAP_LIST_LIMIT = 500

# A shared cache for several app servers when REDIS_URL is set (Django's Redis backend); else in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# How long the map's data and the API's GeoJSON stay cached; any save by staff invalidates them at once.
PUBLIC_DATA_CACHE_SECONDS = env.int("PUBLIC_DATA_CACHE_SECONDS", default=600)
