"""An investor writes to the investment-promotion bureau from a page of the site, and gets a reference number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads.models import Lead, SourcePage
from tests import factories
from tests.leads_helpers import filled, started

pytestmark = pytest.mark.django_db

URL = "/contact/"


@pytest.fixture
def client(client):
    """An investor reading the site in English (tests of Chinese ask for it)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_park_page_links_to_the_form_which_names_the_park(client):
    park = factories.park("南沙生物医药产业园")
    page = client.get(f"/parks/{park.pk}/").content.decode()
    assert f'href="/contact/?park={park.pk}"' in page
    form = client.get(f"/contact/?park={park.pk}").content.decode()
    assert "About: 南沙生物医药产业园" in form
    assert f'name="park" value="{park.pk}"' in form
    assert "not shared with partners" in form and "2 years" in form  # the consent: who, purpose, retention


def test_enterprise_pages_and_spaces_link_to_the_form(client):
    enterprise = factories.enterprise("甲生物")
    park = factories.park("园区")
    space = factories.space(park, use="wet_lab", area=500)
    assert f"/contact/?enterprise={enterprise.pk}" in client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert f"/contact/?space={space.pk}" in client.get(f"/parks/{park.pk}/").content.decode()
    card = client.get(f"/enterprises/{enterprise.pk}/?card=1").content.decode()  # the map's card
    assert f"/contact/?enterprise={enterprise.pk}" in card


def test_match_results_carry_the_query_to_the_form(client):
    park = factories.park("园区")
    factories.space(park, use="wet_lab", area=500)
    page = client.get("/match/?use=wet_lab&area_min=300").content.decode()
    assert "/contact/?match=use%3Dwet_lab%26area_min%3D300" in page


def test_sending_the_form_keeps_the_lead_and_shows_its_reference(client):
    park = factories.park("园区")
    space = factories.space(park, use="wet_lab", area=500)
    response = client.post(URL, filled(space=space.pk, match="use=wet_lab&area_min=300"))
    assert response.status_code == 302 and response.url == reverse("lead-received")
    lead = Lead.objects.get()
    page = client.get(response.url).content.decode()
    assert lead.reference in page and lead.reference.startswith("ZS-")
    assert lead.phone == "+8613800138000"  # kept in international form
    assert lead.source_page == SourcePage.SPACE and lead.space == space and lead.park == park
    assert lead.match_query == "use=wet_lab&area_min=300"
    assert "not shared with partners" in lead.consent_text
    assert lead.language == "en"


@pytest.mark.parametrize(
    "phone, stored",
    [
        ("+86 138 0013 8000", "+8613800138000"),
        ("020-3906 8888", "+862039068888"),  # a Guangzhou landline
        ("+852 2123 4567", "+85221234567"),
        ("00853 2888 1234", "+85328881234"),
        ("(+852) 9123-4567", "+85291234567"),
    ],
)
def test_mainland_hong_kong_and_macao_numbers_are_accepted(client, phone, stored):
    assert client.post(URL, filled(phone=phone)).status_code == 302
    assert Lead.objects.get().phone == stored


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"consent": None}, "Without your consent we cannot keep your request"),
        ({"phone": "", "email": ""}, "Give a phone number or an e-mail address"),
        ({"phone": "+1 212 555 0100"}, "mainland China (+86), Hong Kong (+852) or Macao (+853)"),
        ({"phone": "+852 1234 567"}, "a Hong Kong number has 8 digits after +852"),
        ({"phone": "+853 1234"}, "a Macao number has 8 digits after +853"),
        ({"phone": "138 0013 800"}, "a mobile has 11 digits starting with 1"),
        ({"phone": "call me"}, "is not a phone number"),
        ({"phone": "1" * 40}, "at most 32 characters"),
        ({"email": "wang@"}, "Enter a valid email address"),
        ({"company": "公" * 201}, "at most 200 characters"),
        ({"message": "x" * 2001}, "at most 2000 characters"),
        ({"company": ""}, "This field is required"),
        ({"website": "http://spam.example"}, "was filled in, as programs do"),
        ({"started": lambda: started(seconds_ago=0.5)}, "faster than a person types"),
        ({"started": lambda: started(seconds_ago=3 * 86400)}, "more than 24 hours ago"),
        ({"started": "forged"}, "not shown by this site, or it was altered"),
        ({"started": None}, "not shown by this site, or it was altered"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_nothing(client, changes, message):
    changes = {key: value() if callable(value) else value for key, value in changes.items()}  # made now, not before
    response = client.post(URL, filled(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Lead.objects.exists()
    if changes.get("company") != "" and "company" not in changes:
        assert "广州甲生物科技有限公司" in response.content.decode()  # what was typed is still there


def test_a_record_not_published_is_not_named_and_not_kept(client):
    draft = factories.park("草稿园区", published=False)
    assert "草稿园区" not in client.get(f"/contact/?park={draft.pk}").content.decode()
    assert client.post(URL, filled(park=draft.pk, match="area_min=-5")).status_code == 302
    lead = Lead.objects.get()
    assert lead.park is None and lead.match_query == "" and lead.source_page == SourcePage.OTHER


def test_odd_links_do_not_break_the_form(client):
    for query in ("park=abc", "space=99999999999999999999", "enterprise=-1", "match=%00", "match=" + "a" * 5000):
        assert client.get(f"/contact/?{query}").status_code == 200, query


def test_one_address_is_throttled(client, settings):
    settings.LEADS_RATE = "2/hour"
    assert client.post(URL, filled()).status_code == 302
    assert client.post(URL, filled(email="b@example.com")).status_code == 302
    response = client.post(URL, filled(email="c@example.com"))
    assert response.status_code == 429
    assert "Too many requests from your address" in response.content.decode()
    assert Lead.objects.count() == 2
    other = client.post(URL, filled(email="d@example.com"), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302  # another address is not held back


def test_the_message_is_shown_as_text_in_the_admin(client, admin_client):
    client.post(URL, filled(message='<script>alert("x")</script><b>bold</b>', company="<i>Co</i>"))
    lead = Lead.objects.get()
    page = admin_client.get(f"/admin/leads/lead/{lead.pk}/change/").content.decode()
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    changelist = admin_client.get("/admin/leads/lead/").content.decode()
    assert "&lt;i&gt;Co&lt;/i&gt;" in changelist


def test_the_form_in_chinese_and_traditional_chinese(client):
    simplified = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "联系招商部门" in simplified
    traditional = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "聯繫招商部門" in traditional or "聯絡招商部門" in traditional


def test_query_counts_of_the_form(client):
    park = factories.park("园区")
    client.get(f"/contact/?park={park.pk}")  # warm: content types, translations
    with CaptureQueriesContext(connection) as shown:
        client.get(f"/contact/?park={park.pk}")
    assert len(shown) == 1  # the park named
    with CaptureQueriesContext(connection) as sent:
        assert client.post(URL, filled(park=park.pk)).status_code == 302
    # the park; in a savepoint: the lead, its history entry, the park's segments, the lead's (none yet), adding
    # them; the session (throttle counts: the shared cache, in memory in tests)
    assert len(sent) == 11, [q["sql"][:90] for q in sent.captured_queries]
