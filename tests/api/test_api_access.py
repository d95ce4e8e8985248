"""Who gets what, over real HTTP against the live server: anonymous, partner key, revoked key, staff."""

import re

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework_api_key.models import APIKey

from industry.models import Enterprise

from ..factories import SOURCE, enterprise
from . import RESOURCES

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"


@pytest.fixture
def records(demo):
    enterprise("公开企业", contact_phone="020-12345678", contact_email="bd@example.org")
    enterprise("草稿企业", published=False)


@pytest.fixture
def partner_key():
    _key, secret = APIKey.objects.create_key(name="Partner portal")
    return secret


def staff_session(live_server):
    get_user_model().objects.create_user("staff", "staff@example.org", PASSWORD, is_staff=True, is_superuser=True)
    session = requests.Session()
    login = f"{live_server.url}/admin/login/"
    session.get(login)
    session.post(
        login,
        data={
            "username": "staff",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": login},
    )
    return session


def names(response):
    return [r["name_zh"] for r in response.json()["results"]]


def test_anonymous_callers_read_published_records_without_contacts(live_server, records):
    response = requests.get(f"{live_server.url}/api/v1/enterprises/?q=企业", timeout=10)
    assert response.status_code == 200
    assert names(response) == ["公开企业"]
    assert "contact_phone" not in response.json()["results"][0]
    geo = requests.get(f"{live_server.url}/api/v1/enterprises/geojson/?q=公开", timeout=10).json()
    assert "contact_phone" not in geo["features"][0]["properties"]


def test_partners_with_a_key_get_contact_fields_but_no_drafts(live_server, records, partner_key):
    headers = {"X-Api-Key": partner_key}
    response = requests.get(f"{live_server.url}/api/v1/enterprises/?q=企业", headers=headers, timeout=10)
    assert response.status_code == 200 and names(response) == ["公开企业"]
    assert response.json()["results"][0]["contact_phone"] == "020-12345678"
    geo = requests.get(f"{live_server.url}/api/v1/enterprises/geojson/?q=公开", headers=headers, timeout=10).json()
    assert geo["features"][0]["properties"]["contact_email"] == "bd@example.org"
    assert (
        requests.post(
            f"{live_server.url}/api/v1/enterprises/", json={"name_zh": "x"}, headers=headers, timeout=10
        ).status_code
        == 403
    )


@pytest.mark.parametrize("key", ["revoked", "garbage", "expired"])
def test_a_revoked_unknown_or_expired_key_is_refused(live_server, records, key):
    if key == "revoked":
        record, secret = APIKey.objects.create_key(name="Old partner")
        record.revoked = True
        record.save()
    elif key == "expired":
        _record, secret = APIKey.objects.create_key(name="Old partner", expiry_date="2000-01-01T00:00:00Z")
    else:
        secret = "nope.nope"
    url = f"{live_server.url}/api/v1/enterprises/"
    response = requests.get(url, headers={"X-Api-Key": secret, "Accept-Language": "en"}, timeout=10)
    assert response.status_code == 403
    assert "API key" in response.json()["detail"]
    chinese = requests.get(url, headers={"X-Api-Key": secret}, timeout=10)  # the default language, as other errors
    assert chinese.status_code == 403 and "API 密钥" in chinese.json()["detail"]


def test_staff_see_drafts_and_may_write_through_the_api(live_server, records):
    session = staff_session(live_server)
    assert "草稿企业" in names(session.get(f"{live_server.url}/api/v1/enterprises/?q=企业", timeout=10))
    headers = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": live_server.url}
    created = session.post(
        f"{live_server.url}/api/v1/enterprises/",
        json={"name_zh": "API企业", "source": SOURCE, "segments": ["car-t"], "lat": 22.8, "lng": 113.5},
        headers=headers,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    assert Enterprise.objects.get(name_zh="API企业").segments.get().code == "car-t"
    for payload, field in [
        ({"credit_code": "91440300708461136X"}, "credit_code"),
        ({"lat": 22.8}, "lng"),
        ({"lat": 39.9, "lng": 116.4}, "lat"),
        ({"segments": ["nope"]}, "segments"),
    ]:
        bad = session.post(
            f"{live_server.url}/api/v1/enterprises/",
            json={"name_zh": "坏企业", "source": SOURCE, **payload},
            headers=headers,
            timeout=10,
        )
        assert bad.status_code == 400 and field in bad.json(), bad.text
    assert not Enterprise.objects.filter(name_zh="坏企业").exists()


def test_anonymous_writes_are_refused(live_server, records):
    response = requests.post(f"{live_server.url}/api/v1/enterprises/", json={"name_zh": "x"}, timeout=10)
    assert response.status_code == 403


def test_anonymous_callers_are_throttled_and_partners_have_their_own_limit(
    live_server, records, partner_key, settings
):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anonymous": "3/min", "partner": "5/min"}
    url = f"{live_server.url}/api/v1/parks/"
    statuses = [requests.get(url, timeout=10).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in requests.get(url, timeout=10).headers
    partner = [requests.get(url, headers={"X-Api-Key": partner_key}, timeout=10).status_code for _ in range(6)]
    assert partner == [200] * 5 + [429]
    cache.clear()


def test_staff_issue_a_key_in_the_admin_and_the_partner_uses_it(live_server, records):
    session = staff_session(live_server)
    add = f"{live_server.url}/admin/rest_framework_api_key/apikey/add/"
    session.get(add)
    page = session.post(
        add,
        data={"name": "Guangzhou portal", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": add},
        timeout=10,
    )
    secret = re.search(r"([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})", page.text).group(1)
    response = requests.get(f"{live_server.url}/api/v1/enterprises/?q=公开", headers={"X-Api-Key": secret}, timeout=10)
    assert response.json()["results"][0]["contact_phone"] == "020-12345678"
    record = APIKey.objects.get(name="Guangzhou portal")
    record.revoked = True  # revoked in the admin: the same key stops working
    record.save()
    assert (
        requests.get(f"{live_server.url}/api/v1/enterprises/", headers={"X-Api-Key": secret}, timeout=10).status_code
        == 403
    )


def test_cors_origins_come_from_the_settings(live_server, records, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example.org"]
    allowed = requests.get(
        f"{live_server.url}/api/v1/parks/", headers={"Origin": "https://partner.example.org"}, timeout=10
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://partner.example.org"
    other = requests.get(f"{live_server.url}/api/v1/parks/", headers={"Origin": "https://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers


def test_every_endpoint_for_every_kind_of_caller(live_server, records, partner_key):
    revoked, revoked_secret = APIKey.objects.create_key(name="Revoked partner")
    revoked.revoked = True
    revoked.save()
    staff = staff_session(live_server)
    for resource in RESOURCES:
        url = f"{live_server.url}/api/v1/{resource}/"
        anonymous = requests.get(url, timeout=10)
        partner = requests.get(url, headers={"X-Api-Key": partner_key}, timeout=10)
        refused = requests.get(url, headers={"X-Api-Key": revoked_secret}, timeout=10)
        as_staff = staff.get(url, timeout=10)
        assert (anonymous.status_code, partner.status_code, refused.status_code, as_staff.status_code) == (
            200,
            200,
            403,
            200,
        ), resource
        assert as_staff.json()["count"] >= partner.json()["count"] == anonymous.json()["count"], resource


def test_a_forged_forwarded_for_header_does_not_dodge_the_throttle(live_server, records, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anonymous": "3/min", "partner": "5/min"}
    url = f"{live_server.url}/api/v1/parks/"
    statuses = [
        requests.get(url, headers={"X-Forwarded-For": f"10.0.0.{i}"}, timeout=10).status_code for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_partner_ogc_items_with_contacts_are_not_publicly_cacheable(live_server, records, partner_key):
    url = f"{live_server.url}/ogc/collections/enterprises/items"
    assert (
        requests.get(url, headers={"X-Api-Key": partner_key}, timeout=10)
        .headers["Cache-Control"]
        .startswith("private")
    )
    assert requests.get(url, timeout=10).headers["Cache-Control"].startswith("public")
