"""QR codes of this site's own pages, for phones (WeChat scans them): the map's current view and printed briefs.

GET /share/qr.svg?path=/match/?segments=car-t → an SVG QR code of the page's absolute URL on this site.
Only a path on this site is encoded (never another host), so the endpoint cannot lend the site's name
to someone else's link.
"""

import io

import segno
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

MAX_PATH_LENGTH = 1500  # characters; a QR code at error correction M holds about 2,300 bytes of a URL


class NotASitePath(ValueError):
    """The text is not a path on this site; the message says why, in the request's language."""


def site_path(value):
    """`value` if it is a path on this site ('/…', no host, no control characters), else NotASitePath.

    '//host/…' and '/\\host' are refused: browsers read both as another host.
    """
    value = value or ""
    if not value:
        raise NotASitePath(_("Give the page to encode as “path”, e.g. path=/match/."))
    if len(value) > MAX_PATH_LENGTH:
        raise NotASitePath(
            _("The page address is too long for a QR code (%(n)s characters; at most %(limit)s).")
            % {"n": len(value), "limit": MAX_PATH_LENGTH}
        )
    if (
        not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ord(c) < 32 or ord(c) == 127 for c in value)
    ):
        raise NotASitePath(_("Only a page of this site can be encoded: the path must start with a single “/”."))
    return value


def qr_svg_bytes(url, *, scale=4, title=""):
    """The SVG (bytes, UTF-8) of a QR code of `url` (str), error correction M, a 4-module quiet zone.

    Raises segno.DataOverflowError when the text does not fit the largest QR code (version 40).
    """
    buffer = io.BytesIO()
    qr = segno.make(url, error="m", micro=False)
    qr.save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, omitsize=True, title=title or None, light="#fff")
    return buffer.getvalue()


@require_safe
@cache_control(public=True, max_age=86_400)
def qr_code(request):
    """The QR code (image/svg+xml) of this site's page `path`; 400 (plain text, naming the problem) otherwise."""
    try:
        path = site_path(request.GET.get("path"))
        body = qr_svg_bytes(request.build_absolute_uri(path), title=_("QR code of this page’s address"))
    except NotASitePath as refused:
        return HttpResponseBadRequest(str(refused), content_type="text/plain; charset=utf-8")
    except segno.DataOverflowError:
        return HttpResponseBadRequest(
            _("The page address is too long for a QR code."), content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(body, content_type="image/svg+xml")
