"""Production settings: the base settings with HTTPS enforced and secure cookies.

DJANGO_SETTINGS_MODULE=nansha.settings.production behind a TLS-terminating proxy that sets
X-Forwarded-Proto. `python manage.py check --deploy` is clean with these settings (tested).
DEBUG is off whatever the environment says, and SECRET_KEY must come from the environment: base.py makes up a
development key when DEBUG is set, which production refuses to run with.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")  # read as is, as in base.py
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment: production settings have no default key.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes talk to the app directly, over plain HTTP: they get the answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # and the Content-Security-Policy's frame-ancestors 'none' (base.py)
