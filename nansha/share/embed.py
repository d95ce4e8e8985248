"""The map in other sites' frames: `?embed=1` shows the map alone (no header, no panel) for an <iframe>.

Framing stays refused (Content-Security-Policy frame-ancestors 'none', X-Frame-Options DENY) except for
the origins listed in the environment's EMBED_ALLOWED_ORIGINS, and only for the embedded map itself:
every other page, and the embedded map framed by any other site, are refused by the browser as before.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

EMBED_PARAMETER = "embed"


def is_embedded(request):
    """True when the request asks for the embedded map (`embed=1`)."""
    return request.GET.get(EMBED_PARAMETER) == "1"


def embed_origins(values):
    """The origins allowed to frame the embedded map, from EMBED_ALLOWED_ORIGINS (list of str).

    Each must be an origin as a browser sends it, 'https://www.gz.gov.cn' (scheme, host, optional
    port; no path, no wildcard); anything else raises ImproperlyConfigured naming the value, so that a
    typo cannot silently open (or close) framing.
    """
    origins = []
    for value in values:
        parts = urlsplit(value.strip())
        if (
            parts.scheme not in {"http", "https"}
            or not parts.hostname
            or "*" in value
            or parts.path not in {"", "/"}
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise ImproperlyConfigured(
                f"EMBED_ALLOWED_ORIGINS: {value!r} is not an origin such as https://www.example.gov.cn"
            )
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def allow_framing(response):
    """Let the EMBED_ALLOWED_ORIGINS frame `response` (CSP frame-ancestors; X-Frame-Options left off, since it
    cannot name origins and CSP supersedes it). With no origin configured, the response is left refusing frames."""
    origins = settings.EMBED_ALLOWED_ORIGINS
    if origins:
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": list(origins)}
    return response
