"""Response bodies in the encodings clients take (brotli, gzip or none), compressed once per cached entry.

A cached response (the map's data, the API's GeoJSON) is kept as its plain body and, once a client
has asked for it, as each compressed body (RFC 9110 §8.4 Content-Encoding): a cache hit sends stored
bytes, with no serialisation and no compression. The encoding is chosen by the request's
Accept-Encoding (RFC 9110 §12.5.3, with q-values), brotli first (smaller), then gzip, else the plain
body; every such response says `Vary: Accept-Encoding`, and carries Content-Encoding, so that Django's
GZipMiddleware (or gzip_page), were it added, leaves it alone.

A response computed on every request (the cache off, or not cacheable) is compressed at a fast level
(DYNAMIC_LEVELS): at 5 MB of GeoJSON, gzip level 6 costs about three times level 1 for some 15% of size.
"""

import gzip
import hashlib
from datetime import datetime
from typing import NamedTuple

import brotli
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import cache

IDENTITY = "identity"
PREFERRED = ("br", "gzip")  # the server's order where the client accepts several equally
MIN_BYTES = 200  # smaller bodies are sent as they are: compressing them gains nothing
# (gzip level, brotli quality): stored bodies are compressed once per data version, dynamic ones on each request.
STORED_LEVELS = {"gzip": 6, "br": 5}
DYNAMIC_LEVELS = {"gzip": 1, "br": 1}


class Variant(NamedTuple):
    """One body of a response: `content` (bytes) in `encoding` ("identity", "gzip" or "br"), the entity tag of
    the plain body (quoted, strong) and the data's last modification time (aware datetime, or None)."""

    content: bytes
    encoding: str
    etag: str
    modified: datetime | None


def accepted_encoding(request):
    """The encoding to answer `request` in: "br", "gzip" or "identity", from its Accept-Encoding header.

    Codings with q=0 are refused; `*` stands for any coding not named; ties go to PREFERRED's order.
    A missing or unreadable header gives "identity" (RFC 9110 §12.5.3 allows any, the plain body is safest).
    """
    quality = {}
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _sep, parameters = item.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for parameter in parameters.split(";"):
            name, _eq, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[coding] = q
    wildcard = quality.get("*", 0.0)
    ranked = [(quality.get(coding, wildcard), -i, coding) for i, coding in enumerate(PREFERRED)]
    best_q, _order, best = max(ranked)
    return best if best_q > 0 else IDENTITY


def compress(body, encoding, levels=DYNAMIC_LEVELS):
    """`body` (bytes) compressed in `encoding` ("gzip" or "br") at `levels`[encoding]; "identity" returns it."""
    if encoding == "gzip":
        return gzip.compress(body, levels["gzip"], mtime=0)
    if encoding == "br":
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=levels["br"])
    return body


def etag_of(body):
    """A strong entity tag (quoted) of the plain body: the same whatever encoding carries it."""
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def variant(body, encoding, *, modified=None, etag=None, levels=DYNAMIC_LEVELS):
    """The Variant of the plain `body` in `encoding` (plain when the body is too small to gain from compression)."""
    etag = etag or etag_of(body)
    if encoding == IDENTITY or len(body) <= MIN_BYTES:
        return Variant(body, IDENTITY, etag, modified)
    return Variant(compress(body, encoding, levels), encoding, etag, modified)


def cached_variant(parts, compute, encoding):
    """The body for `parts` in `encoding`, from the cache when it is there (see nansha.ops.cache.cache_key).

    compute() -> (plain body bytes, last modified datetime or None), called at most once per data version,
    day, language and `parts` in each cache; each encoding is compressed once, the first time it is asked.
    With the cache off (PUBLIC_DATA_CACHE_SECONDS = 0) every call computes and compresses at DYNAMIC_LEVELS.
    """
    if not settings.PUBLIC_DATA_CACHE_SECONDS:
        body, modified = compute()
        return variant(body, encoding, modified=modified)
    key = cache.cache_key(parts)
    store = caches["default"]
    found = store.get(f"{key}:{encoding}")
    if found is not None:
        return Variant(*found)
    plain = store.get(f"{key}:{IDENTITY}")
    if plain is None:
        body, modified = compute()
        plain = Variant(body, IDENTITY, etag_of(body), modified)
        store.set(f"{key}:{IDENTITY}", tuple(plain), settings.PUBLIC_DATA_CACHE_SECONDS)
    else:
        plain = Variant(*plain)
    if encoding == IDENTITY:
        return plain
    encoded = variant(plain.content, encoding, modified=plain.modified, etag=plain.etag, levels=STORED_LEVELS)
    if encoded.encoding != IDENTITY:
        store.set(f"{key}:{encoding}", tuple(encoded), settings.PUBLIC_DATA_CACHE_SECONDS)
    return encoded


def not_modified(request, etag):
    """Whether the request's If-None-Match names `etag` (or is `*`)."""
    tags = [tag.strip() for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]
    return etag in tags or "*" in tags or f"W/{etag}" in tags


def response(request, body, *, content_type, vary=("Accept-Encoding",)):
    """The HttpResponse sending `body` (a Variant): 304 when the client has it (If-None-Match), no body for HEAD.

    Headers: ETag, Last-Modified (when known), Content-Encoding (unless plain), Content-Length, and Vary with
    Accept-Encoding plus `vary`.
    """
    if not_modified(request, body.etag):
        answer = HttpResponseNotModified()
    else:
        answer = HttpResponse(b"" if request.method == "HEAD" else body.content, content_type=content_type)
        answer["Content-Length"] = str(len(body.content))
        if body.encoding != IDENTITY:
            answer["Content-Encoding"] = body.encoding
    answer["ETag"] = body.etag
    if body.modified:
        answer["Last-Modified"] = http_date(body.modified.timestamp())
    patch_vary_headers(answer, ["Accept-Encoding", *vary])
    return answer


def dynamic_response(request, body, *, content_type, modified=None, vary=()):
    """`response` for a plain body made for this request: compressed at DYNAMIC_LEVELS unless the client has it."""
    etag = etag_of(body)
    if not_modified(request, etag):
        return response(request, Variant(b"", IDENTITY, etag, modified), content_type=content_type, vary=vary)
    chosen = variant(body, accepted_encoding(request), modified=modified, etag=etag)
    return response(request, chosen, content_type=content_type, vary=vary)
