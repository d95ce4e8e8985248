"""Cached responses keep their compressed bodies: a hit sends stored bytes in the encoding the client takes."""

import gzip

import brotli
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from nansha.ops.encoded import accepted_encoding

from .factories import enterprise

pytestmark = pytest.mark.django_db

URLS = ["/map/data.json?layers=enterprises", "/api/v1/enterprises/geojson/"]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def fetch(client, url, accept="", method="get", **headers):
    response = getattr(client, method)(url, HTTP_ACCEPT_ENCODING=accept, **headers)
    assert response.status_code == 200, response.content[:300]
    return response


def plain(response):
    encoding = response.get("Content-Encoding")
    return DECODE[encoding](response.content) if encoding else response.content


@pytest.fixture
def calls(monkeypatch):
    """How often gzip and brotli compressed anything (the libraries' functions, counted and called through)."""
    counted = {"gzip": 0, "br": 0}
    for module, name, key in [(gzip, "compress", "gzip"), (brotli, "compress", "br")]:
        original = getattr(module, name)

        def spy(*args, _original=original, _key=key, **kwargs):
            counted[_key] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return counted


@pytest.mark.parametrize("url", URLS)
def test_cached_compressed_bodies_decompress_to_exactly_the_uncached_body(client, demo, settings, url):
    settings.PUBLIC_DATA_CACHE_SECONDS = 0
    uncached = {accept: fetch(client, url, accept) for accept in ("", "gzip", "br")}
    settings.PUBLIC_DATA_CACHE_SECONDS = 600
    for accept, encoding in [("", None), ("gzip, deflate", "gzip"), ("gzip, deflate, br", "br")]:
        for _attempt in ("miss", "hit"):
            response = fetch(client, url, accept)
            assert response.get("Content-Encoding") == encoding
            assert plain(response) == uncached[""].content
            assert int(response["Content-Length"]) == len(response.content)
            assert "Accept-Encoding" in response["Vary"]
            assert response["ETag"] == uncached[""]["ETag"]
    assert plain(uncached["gzip"]) == plain(uncached["br"]) == uncached[""].content


@pytest.mark.parametrize("url", URLS)
def test_a_cache_hit_neither_queries_nor_compresses(client, demo, calls, url):
    first = fetch(client, url, "gzip, deflate, br")
    fetch(client, url, "gzip, deflate")
    made = dict(calls)
    assert made == {"gzip": 1, "br": 1}
    for accept in ("gzip, deflate, br", "gzip, deflate", ""):
        with CaptureQueriesContext(connection) as queries:
            again = fetch(client, url, accept)
        assert len(queries) == 0 and calls == made
    assert again.content == plain(first)


def test_a_hit_costs_the_same_for_5_and_50_enterprises(client, demo):
    def hit_queries(url):
        fetch(client, url, "gzip")
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url, "gzip")
        return len(queries)

    for i in range(5):
        enterprise(f"企业{i}", segments=["car-t"], honours=["high-tech"])
    few = [hit_queries(url) for url in URLS]
    for i in range(5, 50):
        enterprise(f"企业{i}", segments=["car-t", "stem-cell"], honours=["high-tech"])
    assert [hit_queries(url) for url in URLS] == few


@pytest.mark.parametrize("url", URLS)
def test_a_save_replaces_every_compressed_body(client, demo, url):
    for accept in ("gzip", "br", ""):
        assert "新压缩企业" not in plain(fetch(client, url, accept)).decode()
    enterprise("新压缩企业")
    for accept in ("gzip", "br", ""):
        assert "新压缩企业" in plain(fetch(client, url, accept)).decode()


@pytest.mark.parametrize("url", URLS)
def test_head_sends_the_headers_of_get_and_no_body(client, demo, url):
    for accept in ("gzip", "br", ""):
        got = fetch(client, url, accept)
        head = fetch(client, url, accept, method="head")
        assert head.content == b""
        assert head["Content-Length"] == got["Content-Length"] == str(len(got.content))
        assert head.get("Content-Encoding") == got.get("Content-Encoding")
        assert head["ETag"] == got["ETag"] and "Accept-Encoding" in head["Vary"]


@pytest.mark.parametrize("url", URLS)
def test_a_client_that_has_the_body_gets_304_in_any_encoding(client, demo, url):
    etag = fetch(client, url, "gzip")["ETag"]
    for accept in ("gzip", "br", ""):
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response.content == b""


@pytest.mark.parametrize("url", URLS)
def test_django_gzip_middleware_does_not_compress_again(client, demo, settings, url):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    expected = fetch(client, url, "").content
    for accept in ("gzip", "br"):
        assert plain(fetch(client, url, accept)) == expected


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("BR; q=1.0, GZIP;q=0.8", "br"),
        ("gzip;q=0, br;q=0", "identity"),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("identity", "identity"),
        ("deflate, zstd", "identity"),
        ("gzip;q=banana", "identity"),
        ("", "identity"),
    ],
)
def test_the_encoding_follows_accept_encoding(header, encoding):
    assert accepted_encoding(RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)) == encoding


def test_small_bodies_are_sent_as_they_are(client, demo):
    response = fetch(client, "/api/v1/enterprises/geojson/?q=nothing-matches-this", "gzip, br")
    assert response.get("Content-Encoding") is None and response.json()["features"] == []


@pytest.mark.parametrize("query", ["ownership=soe", "segment=no-such"])
def test_bad_filters_are_refused_on_every_request_not_cached(client, demo, query):
    for _attempt in ("miss", "again"):
        response = client.get(f"/api/v1/enterprises/geojson/?{query}", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 400 and response.json()


def test_parameters_that_change_nothing_share_the_cached_map_data(client, demo, calls):
    first = fetch(client, "/map/data.json?layers=enterprises", "gzip")
    with CaptureQueriesContext(connection) as queries:
        again = fetch(client, "/map/data.json?layers=enterprises&page=3&base=osm", "gzip")
    assert again.content == first.content and calls["gzip"] == 1
    assert len(queries) < 5  # the new query is read once, the data is not computed again
