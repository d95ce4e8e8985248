"""Settings for the Nansha biomedical industry map.

Every value that differs between machines comes from the environment (django-environ), so one
settings module serves a laptop, CI and production:

- DATABASE_URL: default a SQLite file under var/; PostgreSQL in production and CI.
- SECRET_KEY: required when DEBUG is off.
- DEBUG: off unless set; `make run` turns it on for local use.
- ALLOWED_HOSTS: comma-separated.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants as csp
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from nansha.share.embed import embed_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional local overrides; absent in CI and production

DEBUG = env.bool("DEBUG", default=False)
# Read as is: django-environ would take a key starting with "$" (Django's generated keys may) for a reference
# to another variable, and end up with no key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
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
    "nansha.apps.APIKeyConfig",  # rest_framework_api_key, under a name in the page's language
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "simple_history",
    "concurrency",
    "import_export",
    "nansha.apps.SignInLockoutConfig",  # axes, under a name in the page's language
    "django_tasks",
    "nansha.apps.TaskResultsConfig",  # django_tasks_db, under a name in the page's language
    "jobs",
    "nansha",
    "industry",
    "parks",
    "policies",
    "leads",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "nansha.ops.middleware.reject_nul_characters",
    "nansha.ops.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a user/address is locked out
    "django.contrib.auth.backends.ModelBackend",
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
            "libraries": {"numbers": "nansha.records.numbers"},
        },
    },
]
# Widgets render through the template engine so that templates/ can hold their templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'nansha.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections but never answers holds a request this long at most (psycopg's
    # default is 130 s; libpq's minimum 2 s). /healthz waits no longer than this for the database either.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the background worker write to the same file. A write transaction takes the lock when
    # it begins and waits for it (up to SQLITE_TIMEOUT seconds) instead of failing with "database is locked"
    # when a reading transaction tries to write (Django's notes on SQLite, "Database is locked" errors).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=env.int("SQLITE_TIMEOUT", default=20)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Simplified Chinese (default), traditional Chinese for Hong Kong and Macao readers (a zh-HK, zh-MO, zh-TW or
# zh-Hant browser gets it: Django's fallbacks), English. Content in traditional: nansha/records/chinese.py.
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("zh-hant", _("Traditional Chinese")), ("en", _("English"))]
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
            else "nansha.ops.storage.StaticStorage",
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
# Any other record whose verified_on is older than this many days is listed on the staff freshness page.
RECORD_STALE_AFTER_DAYS = env.int("RECORD_STALE_AFTER_DAYS", default=365)

# Address to point in the admin ("Find the address"): the geocoding web service asked by the server, "amap"
# (Gaode/AMap web service API, answers GCJ-02, converted to WGS-84) or "tianditu" (天地图, answers CGCS2000, taken
# as WGS-84); without GEOCODER_KEY the button says that none is configured. GEOCODER_URL replaces the service's
# own address (a proxy, or a local stand-in in tests); GEOCODER_CITY narrows AMap's search.
GEOCODER = env.str("GEOCODER", default="amap")
GEOCODER_KEY = os.environ.get("GEOCODER_KEY", "")
GEOCODER_URL = env.str("GEOCODER_URL", default="")
GEOCODER_CITY = env.str("GEOCODER_CITY", default="广州")
GEOCODER_TIMEOUT_SECONDS = env.float("GEOCODER_TIMEOUT_SECONDS", default=5.0)

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
    "DEFAULT_THROTTLE_CLASSES": [
        "nansha.api.access.AnonymousThrottle",
        "nansha.api.access.PartnerThrottle",
        "nansha.api.access.PagingThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": ["nansha.api.filtering.FilterBackend"],
    # DRF's parsers, with JSON nested too deeply for Python's decoder a 400 like any other bad JSON.
    "DEFAULT_PARSER_CLASSES": [
        "nansha.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "nansha.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nansha.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "nansha.api.renderers.ContentJSONRenderer",  # Chinese content in traditional for zh-hant
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "PAGE_SIZE": 50,
    # How many proxies stand in front of the app (nginx in docker compose: 1). With 0 the throttles
    # identify callers by REMOTE_ADDR only, so a forged X-Forwarded-For cannot dodge them.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# Requests per period for callers without a key and for partners with one (staff are not throttled). Further
# pages of a feature collection (OGC items following a `next` link) count apart, per caller, at the paging rate,
# so that GIS clients can page whole collections repeatedly (nansha.api.access.follows_next_link).
API_THROTTLE_RATES = {
    "anonymous": env.str("API_RATE_ANONYMOUS", default="120/min"),
    "partner": env.str("API_RATE_PARTNER", default="2000/min"),
    "paging": env.str("API_RATE_PAGING", default="6000/min"),
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
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nansha.api.schema.document_access_and_errors",
    ],
    # Swagger UI shows a badge from validator.swagger.io for a schema not on localhost: the CSP would refuse the
    # image, and the badge would tell swagger.io our schema's address. Turned off.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
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

# The map's exports (/map/export.csv|xlsx|geojson; nansha/map/export_limits.py). Records per export: anonymous
# visitors at most MAP_EXPORT_MAX_ROWS_ANONYMOUS, partners with an API key and logged-in staff MAP_EXPORT_MAX_ROWS;
# an Excel file (built in memory, unlike CSV and GeoJSON, which stream) at most MAP_XLSX_MAX_ROWS for anyone. A
# larger export is refused with a message. Anonymous visitors make at most MAP_EXPORT_RATE_ANONYMOUS exports per
# address (a number per s, min, hour or day), counted in the shared cache.
MAP_EXPORT_MAX_ROWS_ANONYMOUS = env.int("MAP_EXPORT_MAX_ROWS_ANONYMOUS", default=5_000)
MAP_EXPORT_MAX_ROWS = env.int("MAP_EXPORT_MAX_ROWS", default=200_000)
MAP_XLSX_MAX_ROWS = env.int("MAP_XLSX_MAX_ROWS", default=10_000)
MAP_EXPORT_RATE_ANONYMOUS = env.str("MAP_EXPORT_RATE_ANONYMOUS", default="10/min")

# Two caches (why: nansha/ops/cache.py). With REDIS_URL both are that Redis server, shared by every app process.
# Without it (the default: `make run`, the Dockerfile's gunicorn workers):
# - "shared", what every process must agree on (the public data's version, the API throttles' counts), is a table
#   in the site's database (Django's DatabaseCache; `migrate` creates it): no extra server, and a change or an
#   anonymous request counted by one process is seen by all at once. One indexed row read per cached response, a
#   few queries per anonymous API request: set REDIS_URL for heavy traffic.
# - "default", the public responses and the import progress, is each process's memory: responses are found only
#   under the shared version, so a process never serves another's stale copy.
REDIS_URL = env.str("REDIS_URL", default="")
SHARED_CACHE_TABLE = "nansha_shared_cache"  # `migrate` creates it in every database (nansha.ops.cache)
if REDIS_URL:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        for alias in ("default", "shared")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Full at MAX_ENTRIES (one per caller address in the throttle's window), it culls a third of its rows: at
        # worst a throttle count starts again or the data version is new, never stale data.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": SHARED_CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }

# Spreadsheet import/export in the admin (django-import-export; columns in nansha/staff/spreadsheets.py). An import
# runs in one transaction: all rows or none. Between the preview and the confirmation the uploaded file waits in
# the shared cache when there is one (REDIS_URL: every app server sees it), else in the machine's temp folder
# (every worker process of one server sees it).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    "import_export.tmp_storages.CacheStorage" if REDIS_URL else "import_export.tmp_storages.TempFolderStorage"
)
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True  # control characters Excel cannot hold become "�"

# Background jobs (jobs/; DESIGN.md decision 8): imports and large exports run on django-tasks' database backend
# (django-tasks-db), worked by `manage.py run_worker` (make run starts one beside the web server). The queue is
# a table of the site's own database: no extra server, SQLite included.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RESULT_DAYS = env.int("JOB_RESULT_DAYS", default=7)  # an export's file (and the job) is kept this long
JOB_ABANDONED_AFTER_HOURS = env.int("JOB_ABANDONED_AFTER_HOURS", default=6)  # a job of a worker on another host
# A running job's progress and cancel request (jobs/live.py): Redis with REDIS_URL, else files here.
JOB_STATE_DIR = env.path("JOB_STATE_DIR", default=str(VAR_DIR / "jobs"))
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))  # export files of jobs (default storage)
# Limits of an import (checked before the file is read; clear messages in nansha/staff/spreadsheets.py).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=200)  # an .xlsx unpacking to more is a zip bomb
# The admin exports a changelist of more rows than this as a background job with a file to download.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2_000)

# How long the map's data and the API's GeoJSON stay cached; any save by staff invalidates them at once.
PUBLIC_DATA_CACHE_SECONDS = env.int("PUBLIC_DATA_CACHE_SECONDS", default=600)

# Content-Security-Policy (django-csp 4). Scripts come from this site only; a template that cannot avoid an
# inline script gives it `nonce="{{ request.csp_nonce }}"`, and the header then carries that request's nonce.
# Styles keep 'unsafe-inline': Django admin, DRF's browsable API, import-export and Redoc (styled-components)
# write <style> blocks and style attributes. CSS cannot run script, and every fetch directive below refuses
# other hosts, so an injected style cannot send data anywhere either.
# Base-map tiles are the only outside resources: their hosts come from LEAFLET_CONFIG["TILES"].
# Per-page exceptions live beside their views (Redoc's worker: nansha/api/urls.py).


def tile_origins(tiles):
    """The origins the base maps load tiles from, with Leaflet's {s} expanded to each subdomain."""
    origins = []
    for _name, url, options in tiles:
        parts = urlsplit(url)
        if not parts.netloc:
            continue  # tiles served by this site: 'self' covers them
        subdomains = options.get("subdomains", "abc")  # Leaflet's default
        hosts = [parts.netloc.replace("{s}", s) for s in subdomains] if "{s}" in parts.netloc else [parts.netloc]
        origins += [f"{parts.scheme}://{host}" for host in hosts if f"{parts.scheme}://{host}" not in origins]
    return origins


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:", *tile_origins(LEAFLET_CONFIG["TILES"])],
        "connect-src": [csp.SELF],
        "font-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
# The embedded map (`/?embed=1`, nansha/share/embed.py) may be framed by these origins only, comma-separated
# (e.g. EMBED_ALLOWED_ORIGINS=https://www.gzns.gov.cn); none by default. Every other page keeps refusing frames.
EMBED_ALLOWED_ORIGINS = embed_origins(env.list("EMBED_ALLOWED_ORIGINS", default=[]))
# Tile servers want to know which site asks (OpenStreetMap's usage policy requires a Referer): send them our
# origin, never a page's path or query. Django's default, same-origin, sends them nothing.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Admin login throttling (django-axes). After AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused (429, templates/axes/lockout.html) for AXES_COOLOFF_MINUTES, even with the right
# password; `python manage.py axes_reset` (or deleting the attempt in the admin) lifts it at once. Locking the
# pair, not the username alone, keeps a stranger from locking a colleague out from elsewhere; not the address
# alone, because a whole office or government network may share one address.
# The address is taken as the API throttles take it (nansha.api.access.client_address).

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "nansha.api.access.client_address"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Wrong old passwords on the admin's password change form count too (nansha/ops/admin_auth.py); what the forms post
# is kept with each attempt, so their password fields are masked.
AXES_SENSITIVE_PARAMETERS = ["old_password", "new_password1", "new_password2"]
# After signing in with no (or a refused) `next`: the admin, not Django's /accounts/profile/ (no such page here).
LOGIN_REDIRECT_URL = "admin:index"


# E-mail (Django's SMTP backend; sent by background jobs, never in a request). Every value from the environment.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
# The site's address as staff reach it, for links in e-mails (the admin page of a lead).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Investment-promotion leads (leads/). The public contact form takes at most LEADS_RATE submissions per client
# address (a number per s, min, hour or day; counted in the shared cache), refuses a form sent less than
# LEADS_MIN_FILL_SECONDS after it was shown (a program, not a person) or more than LEADS_FORM_MAX_AGE_HOURS
# after. Personal data is anonymised LEADS_RETENTION_DAYS after a lead's last stage change
# (`manage.py anonymise_leads`, to run daily, e.g. from cron); the consent text states the period.
LEADS_RATE = env.str("LEADS_RATE", default="5/hour")
LEADS_MIN_FILL_SECONDS = env.int("LEADS_MIN_FILL_SECONDS", default=3)
LEADS_FORM_MAX_AGE_HOURS = env.int("LEADS_FORM_MAX_AGE_HOURS", default=24)
LEADS_RETENTION_DAYS = env.int("LEADS_RETENTION_DAYS", default=730)
