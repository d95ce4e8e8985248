"""The map data and API GeoJSON are cached (in Redis when REDIS_URL is set), and a save clears them."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from industry.models import Enterprise

from .factories import enterprise

pytestmark = pytest.mark.django_db

URLS = ["/map/data.json?layers=enterprises", "/api/v1/enterprises/geojson/"]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_is_served_from_the_cache_and_a_save_refreshes_it(client, demo, url):
    first, before = queries(client, url)
    again, cached = queries(client, url)
    assert again < first and cached.content == before.content
    enterprise("新保存的企业")
    _n, after = queries(client, url)
    assert "新保存的企业" in after.content.decode()
    Enterprise.objects.filter(name_zh="新保存的企业").get().delete()
    assert "新保存的企业" not in client.get(url).content.decode()


def test_a_change_of_links_refreshes_too(client, demo):
    record = enterprise("链接企业", segments=[])
    assert "链接企业" not in client.get("/map/data.json?segment=car-t").content.decode()
    from industry.models import ChainSegment

    record.segments.add(ChainSegment.objects.get(code="car-t"))
    assert "链接企业" in client.get("/map/data.json?segment=car-t").content.decode()


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
        for alias in ("default", "shared")
    }
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception as error:  # noqa: BLE001
        message = f"Redis at 127.0.0.1:6379 is needed: {error}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    yield cache
    cache.clear()


def test_the_cache_is_shared_through_redis(client, demo, redis_cache):
    _first, before = queries(client, URLS[0])
    assert any(key.startswith(b":1:nansha:public:") for key in redis_cache._cache.get_client().keys("*"))
    again, cached = queries(client, URLS[0])
    assert cached.content == before.content and again < _first


def test_bulk_unpublishing_in_the_admin_clears_the_cache(admin_client, client, demo):
    record = enterprise("批量企业")
    assert "批量企业" in client.get(URLS[0]).content.decode()
    admin_client.post("/admin/industry/enterprise/", {"action": "unpublish", "_selected_action": [record.pk]})
    assert "批量企业" not in client.get(URLS[0]).content.decode()
