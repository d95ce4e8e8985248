"""/favicon.ico: browsers and crawlers ask for it on every site, whatever the pages link to.

The pages link the vendored SVG (static/nansha/favicon.svg) with <link rel="icon">; this answers the bare path
with the same file (200, image/svg+xml, cached for a day) instead of a 404 in every log.
"""

from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = "nansha/favicon.svg"


@cache
def favicon_bytes():
    """The icon's bytes: from the source folders (development), or the collected files (production)."""
    path = finders.find(FAVICON)
    if path:
        with open(path, "rb") as file:
            return file.read()
    with staticfiles_storage.open(FAVICON) as file:
        return file.read()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    try:
        content = favicon_bytes()
    except OSError as error:
        raise Http404("No favicon.") from error
    return HttpResponse(content, content_type="image/svg+xml")
