"""Sharing (issue 21): QR codes of this site's pages, the embedded map and its framing, the printed brief's header."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from nansha.share.embed import embed_origins
from nansha.share.qr import qr_svg_bytes

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.gzns.gov.cn"


def test_the_qr_code_encodes_the_absolute_address_of_a_page_of_this_site(client):
    response = client.get("/share/qr.svg", {"path": "/match/?segments=car-t&area_min=300"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == qr_svg_bytes(
        "http://testserver/match/?segments=car-t&area_min=300", title="QR code of this page’s address"
    )
    assert response.content.startswith(b"<svg") and b"viewBox" in response.content  # scales with its <img>


def test_a_different_page_gives_a_different_code(client):
    one = client.get("/share/qr.svg", {"path": "/match/"}).content
    other = client.get("/share/qr.svg", {"path": "/dashboard/"}).content
    assert one != other


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "Give the page to encode"),
        ("//evil.example/x", "Only a page of this site"),
        ("/\\evil.example/x", "Only a page of this site"),
        ("https://evil.example/", "Only a page of this site"),
        ("match/", "Only a page of this site"),
        ("/a\x01b", "Only a page of this site"),
        ("/" + "a" * 1600, "too long for a QR code"),
        ("/" + "字" * 1400, "too long for a QR code"),  # 1,401 characters, 4,200 bytes: more than any QR holds
    ],
)
def test_anything_but_a_page_of_this_site_is_refused_with_the_reason(client, path, message):
    response = client.get("/share/qr.svg", {"path": path}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_map_refuses_frames_unless_an_origin_is_configured(client):
    response = client.get("/", {"embed": "1"})
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_embedded_map_may_be_framed_by_the_configured_origins_only(client, settings):
    settings.EMBED_ALLOWED_ORIGINS = [ORIGIN, "http://localhost:8000"]
    embedded = client.get("/", {"embed": "1", "layers": "parks"})
    assert "X-Frame-Options" not in embedded
    policy = embedded["Content-Security-Policy"]
    assert f"frame-ancestors {ORIGIN} http://localhost:8000;" in policy + ";"
    assert "script-src 'self'" in policy  # the rest of the policy is unchanged
    html = embedded.content.decode()
    assert 'class="topbar"' not in html and '<base target="_blank">' in html
    assert 'id="embed-open"' in html
    # Every other page, and the map itself without embed=1, still refuse every frame.
    for url in ["/", "/match/", "/dashboard/", "/chain/", "/match/?embed=1"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_embed_is_a_known_map_parameter_kept_out_of_the_notes(client):
    html = client.get("/", {"embed": "1"}).content.decode()
    assert "Unknown parameter" not in html


@pytest.mark.parametrize(
    "value",
    ["www.gzns.gov.cn", "https://*.gov.cn", "https://www.gzns.gov.cn/map", "ftp://www.gzns.gov.cn", "https://", "*"],
)
def test_an_allowed_origin_that_is_not_an_origin_stops_the_settings_with_its_value(value):
    with pytest.raises(ImproperlyConfigured, match="EMBED_ALLOWED_ORIGINS"):
        embed_origins([value])


def test_allowed_origins_are_kept_as_browsers_send_them():
    assert embed_origins(["https://www.gzns.gov.cn/", " http://localhost:8000 "]) == [
        "https://www.gzns.gov.cn",
        "http://localhost:8000",
    ]


def test_the_match_brief_states_the_needs_the_date_and_the_link(client, demo):
    response = client.get(
        "/match/",
        {"segments": "car-t", "area_min": "300", "ownership": "private", "rent_max": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Your needs" in html
    assert "<dt>Area from (m²)</dt><dd>300</dd>" in html
    assert "<dt>Ownership kind</dt><dd>Domestic private</dd>" in html
    assert "Rent at most" not in html.split("Your needs")[1].split("</dl>")[0]  # blank answers are left out
    assert f'datetime="{timezone.localdate():%Y-%m-%d}"' in html
    assert "http://testserver/match/?segments=car-t&amp;area_min=300&amp;ownership=private" in html
    assert "/share/qr.svg?path=%2Fmatch%2F%3Fsegments%3Dcar-t%26area_min%3D300%26ownership%3Dprivate" in html


def test_record_pages_print_with_the_same_header(client, demo):
    from parks.models import Park

    park = Park.objects.published().first()
    html = client.get(f"/parks/{park.pk}/").content.decode()
    assert 'class="print-only print-header"' in html
    assert f"/share/qr.svg?path=%2Fparks%2F{park.pk}%2F" in html
    assert "data-print" in html
