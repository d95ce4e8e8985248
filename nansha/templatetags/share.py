"""{% print_header %}: the top of a printed brief (match, park, enterprise…): site, date, link and its QR code.

Shown only in print (and PDF via the browser's print): a reader of the paper can tell where it comes from,
when it was printed (the local date, Asia/Shanghai) and scan the QR code back to the live page.
"""

from urllib.parse import urlsplit

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("share/print_header.html", takes_context=True)
def print_header(context, url=None):
    """url: the page's absolute URL to print and encode (default: the request's own)."""
    request = context["request"]
    url = url or request.build_absolute_uri()
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return {"url": url, "path": path, "today": timezone.localdate()}
