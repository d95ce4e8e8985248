"""Production settings: the base settings with HTTPS enforced and secure cookies.

DJANGO_SETTINGS_MODULE=nansha.settings.production behind a TLS-terminating proxy that sets
X-Forwarded-Proto. `python manage.py check --deploy` is clean with these settings (tested).
DEBUG is off whatever the environment says, and SECRET_KEY must come from the environment: base.py makes up a
development key when DEBUG is set, which production refuses to run with.

PLAIN_HTTP_LOCALHOST=1 serves plain HTTP for a trial on this machine (docker compose's default, at
http://localhost:8000): no redirect to HTTPS, no HSTS, cookies without the Secure flag (a browser would not send
them back over HTTP). It is refused unless every ALLOWED_HOSTS entry is this machine's own (localhost, 127.0.0.1,
::1), so a site reachable by others always has HTTPS and secure cookies.
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

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
PLAIN_HTTP_LOCALHOST = env.bool("PLAIN_HTTP_LOCALHOST", default=False)
if PLAIN_HTTP_LOCALHOST:
    if not ALLOWED_HOSTS or set(ALLOWED_HOSTS) - LOOPBACK_HOSTS:  # noqa: F405
        raise ImproperlyConfigured(
            "PLAIN_HTTP_LOCALHOST=1 serves plain HTTP to this machine only: ALLOWED_HOSTS may name only "
            f"{', '.join(sorted(LOOPBACK_HOSTS))} (it names {', '.join(ALLOWED_HOSTS) or 'nothing'}). "  # noqa: F405
            "Serve any other host over HTTPS, with PLAIN_HTTP_LOCALHOST unset."
        )
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
    # What `check --deploy` warns of here (no HTTPS, no HSTS, cookies sent in clear) is the point of this mode, and
    # harmless: only this machine is served, the requests never cross a network.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
