"""Who sees what through the API, GeoJSON and OGC (issue 12, items 2-4), over real HTTP against the live server.

- a link to a record the caller may not see (a draft) is no link: neither id nor name, on every resource;
- drafts of a model: staff whose role may view that model; never anonymous callers, partners or staff without
  a role, whatever another caller had cached before;
- direct contacts: partners with a valid key and staff.
Every draft here is named 草稿…, so that "草稿" anywhere in a public answer is a leak.
"""

from types import SimpleNamespace

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from rest_framework_api_key.models import APIKey

from industry.models import ClinicalProject, ServicePlatform, SignedProject
from nansha.staff.roles import VIEWERS

from ..factories import SOURCE, enterprise, hospital, park
from . import RESOURCES

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
PHONE = "020-88886666"
MAPPABLE = ["enterprises", "parks", "hospitals", "institutions", "funds", "platforms"]


@pytest.fixture
def records(demo):
    """Published records linked to drafts, one of each kind of link the public resources have."""
    hidden_park = park("草稿园区", published=False)
    hidden_firm = enterprise("草稿企业", published=False)
    hidden_hospital = hospital("草稿医院")
    hidden_hospital.status = "draft"
    hidden_hospital.save()
    firm = enterprise("园内企业", park=hidden_park, contact_phone=PHONE)
    platform = ServicePlatform.objects.create(
        name_zh="园内平台", source=SOURCE, status="published", lat=22.8, lng=113.5, park=hidden_park
    )
    phase = park("二期园区", parent=hidden_park)
    signed = SignedProject.objects.create(
        name_zh="签约项目", source=SOURCE, status="published", park=hidden_park, enterprise=hidden_firm
    )
    clinical = ClinicalProject.objects.create(
        name_zh="临床项目",
        stage="ongoing",
        source=SOURCE,
        status="published",
        hospital=hidden_hospital,
        enterprise=hidden_firm,
    )
    return SimpleNamespace(
        park=hidden_park,
        firm=firm,
        platform=platform,
        phase=phase,
        signed=signed,
        clinical=clinical,
        draft=hidden_firm,
    )


def session(live_server, name, *, role=None, permissions=(), superuser=False):
    """A requests session of a logged-in staff user with the given role or model permissions."""
    user = get_user_model().objects.create_user(
        name, f"{name}@example.org", PASSWORD, is_staff=True, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = requests.Session()
    login = f"{live_server.url}/admin/login/"
    client.get(login, timeout=10)
    client.post(
        login,
        data={
            "username": name,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": login},
        timeout=10,
    )
    assert "sessionid" in client.cookies
    return client


def partner_session():
    _record, secret = APIKey.objects.create_key(name="Partner portal")
    client = requests.Session()
    client.headers["X-Api-Key"] = secret
    return client


def fetch(client, url):
    response = client.get(url, timeout=10)
    assert response.status_code == 200, (url, response.text[:300])
    return response


def by_name(results, key="name_zh"):
    return {r[key]: r for r in results}


def feature_properties(collection):
    return {f["properties"]["name_zh"]: f["properties"] for f in collection["features"]}


def public_surfaces(base, records):
    """Every public answer that could carry a link: REST lists and details, GeoJSON (both ways), OGC items."""
    urls = [f"{base}/api/v1/{resource}/?page_size=200" for resource in RESOURCES]
    urls += [f"{base}/api/v1/{resource}/geojson/" for resource in MAPPABLE]
    urls += [f"{base}/api/v1/{resource}/geojson/?ordering=name_zh" for resource in MAPPABLE]
    urls += [f"{base}/ogc/collections/{c}/items?limit=1000" for c in MAPPABLE]
    urls += [
        f"{base}/api/v1/enterprises/{records.firm.pk}/",
        f"{base}/api/v1/platforms/{records.platform.pk}/",
        f"{base}/api/v1/parks/{records.phase.pk}/",
        f"{base}/api/v1/signed-projects/{records.signed.pk}/",
        f"{base}/api/v1/clinical-projects/{records.clinical.pk}/",
        f"{base}/ogc/collections/enterprises/items/{records.firm.pk}",
        f"{base}/ogc/collections/platforms/items/{records.platform.pk}",
    ]
    return urls


def links(base, client, records):
    """The links the published records hold, as the caller sees them everywhere: {(where, field): value}."""
    found = {}
    enterprises = by_name(fetch(client, f"{base}/api/v1/enterprises/?q=园内企业").json()["results"])
    found["rest enterprise park"] = enterprises["园内企业"]["park"], enterprises["园内企业"]["park_name"]
    platforms = by_name(fetch(client, f"{base}/api/v1/platforms/?page_size=200").json()["results"])
    found["rest platform park"] = platforms["园内平台"]["park"]
    parks = by_name(fetch(client, f"{base}/api/v1/parks/?page_size=200").json()["results"])
    found["rest park parent"] = parks["二期园区"]["parent"]
    signed = fetch(client, f"{base}/api/v1/signed-projects/{records.signed.pk}/").json()
    found["rest signed park, enterprise"] = signed["park"], signed["enterprise"]
    clinical = fetch(client, f"{base}/api/v1/clinical-projects/{records.clinical.pk}/").json()
    found["rest clinical hospital"] = clinical["hospital"], clinical["hospital_name"]
    found["rest clinical enterprise"] = clinical["enterprise"], clinical["enterprise_name"]
    for query in ("", "?ordering=name_zh"):  # built by the database, and in Python
        geo = feature_properties(fetch(client, f"{base}/api/v1/enterprises/geojson/{query}").json())
        found[f"geojson{query} enterprise park_id"] = geo["园内企业"]["park_id"]
        geo = feature_properties(fetch(client, f"{base}/api/v1/platforms/geojson/{query}").json())
        found[f"geojson{query} platform park_id"] = geo["园内平台"]["park_id"]
    items = feature_properties(fetch(client, f"{base}/ogc/collections/enterprises/items?limit=1000").json())
    found["ogc items park_id"] = items["园内企业"]["park_id"]
    item = fetch(client, f"{base}/ogc/collections/platforms/items/{records.platform.pk}").json()
    found["ogc item park_id"] = item["properties"]["park_id"]
    return found


def test_anonymous_callers_and_partners_get_no_link_to_a_draft_anywhere(live_server, records):
    for client in (requests.Session(), partner_session()):
        for url in public_surfaces(live_server.url, records):
            assert "草稿" not in fetch(client, url).text, url
        assert {
            where: value
            for where, value in links(live_server.url, client, records).items()
            if value
            not in (
                None,
                (None, None),
            )
        } == {}


def test_staff_without_a_role_see_no_drafts_even_after_a_superuser_filled_the_cache(live_server, records):
    base = live_server.url
    superuser = session(live_server, "chief", superuser=True)
    for url in public_surfaces(base, records):  # fills the cache with what a superuser may see
        fetch(superuser, url)
    assert "草稿企业" in fetch(superuser, f"{base}/api/v1/enterprises/geojson/").text
    no_role = session(live_server, "newcomer")
    for url in public_surfaces(base, records):
        assert "草稿" not in fetch(no_role, url).text, url
    assert set(links(base, no_role, records).values()) <= {None, (None, None)}


def test_a_model_permission_shows_drafts_of_that_model_only(live_server, records):
    base = live_server.url
    firms_only = session(live_server, "firms", permissions=["view_enterprise"])
    assert "草稿企业" in fetch(firms_only, f"{base}/api/v1/enterprises/?page_size=200").text
    assert "草稿企业" in fetch(firms_only, f"{base}/api/v1/enterprises/geojson/").text
    seen = links(base, firms_only, records)
    assert seen["rest signed park, enterprise"] == (None, records.draft.pk)
    assert seen["rest clinical enterprise"] == (records.draft.pk, "草稿企业")
    assert seen["rest clinical hospital"] == (None, None)
    assert seen["rest enterprise park"] == (None, None)  # no permission on parks: the draft park stays hidden
    assert seen["geojson enterprise park_id"] is None and seen["geojson?ordering=name_zh enterprise park_id"] is None
    assert "草稿园区" not in fetch(firms_only, f"{base}/api/v1/parks/?page_size=200").text


def test_a_viewer_sees_drafts_and_their_links_in_the_api_but_ogc_stays_the_published_map(live_server, records):
    base = live_server.url
    viewer = session(live_server, "viewer", role=VIEWERS)
    seen = links(base, viewer, records)
    park_id = records.park.pk
    assert seen["rest enterprise park"] == (park_id, "草稿园区")
    assert seen["rest park parent"] == seen["rest platform park"] == park_id
    assert seen["geojson enterprise park_id"] == seen["geojson?ordering=name_zh enterprise park_id"] == park_id
    assert seen["geojson platform park_id"] == park_id
    assert seen["ogc items park_id"] is None and seen["ogc item park_id"] is None


def test_contacts_in_ogc_items_for_partners_and_staff_only(live_server, records):
    url = f"{live_server.url}/ogc/collections/enterprises/items?limit=1000"
    assert PHONE not in fetch(requests.Session(), url).text
    for client in (partner_session(), session(live_server, "newcomer")):
        response = fetch(client, url)
        assert feature_properties(response.json())["园内企业"]["contact_phone"] == PHONE
        assert response.headers["Cache-Control"].startswith("private")
