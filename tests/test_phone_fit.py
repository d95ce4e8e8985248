"""A first visitor's rough edges (issue 21): no "view on the map" for a record without a position, and a proper
empty choice on /match/ instead of Django's "---------"."""

import pytest
from django.urls import reverse

from industry.models import Fund, ResearchInstitution, ServicePlatform

from .factories import enterprise, hospital, park

pytestmark = pytest.mark.django_db


def records(lat, lng):
    host = park("园", lat=lat, lng=lng)
    common = {"source": "test", "status": "published", "lat": lat, "lng": lng}
    return {
        "park-detail": host,
        "enterprise-detail": enterprise("企", lat=lat, lng=lng),
        "hospital-detail": hospital("院", lat=lat, lng=lng),
        "institution-detail": ResearchInstitution.objects.create(name_zh="所", kind="institute", **common),
        "fund-detail": Fund.objects.create(name_zh="基金", **common),
        "platform-detail": ServicePlatform.objects.create(name_zh="平台", park=host, **common),
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_record_without_a_position_offers_no_map_link(client, language):
    for name, record in records(None, None).items():
        html = client.get(reverse(name, args=[record.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "?open=" not in html, name
        assert ("not known" if language == "en" else "未知") in html, name


def test_a_record_with_a_position_still_offers_the_map_link(client):
    for name, record in records(22.8, 113.5).items():
        html = client.get(reverse(name, args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "?open=" in html and "Show on the map" in html, name


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Any round"), ("zh-hans", "不限轮次"), ("zh-hant", "不限輪次")]
)
def test_the_financing_round_on_match_has_a_named_empty_choice(client, language, label):
    html = client.get(reverse("match"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "---------" not in html
    assert f'<option value="" selected>{label}</option>' in html
