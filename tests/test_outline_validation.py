"""An invalid park outline, pasted in the admin or sent to the API, is refused with its real reason (issue 19)."""

import json

import pytest

from parks.models import Park

from .admin_forms import form_data
from .test_admin import admin_url

SQUARE = [[113.50, 22.80], [113.51, 22.80], [113.51, 22.81], [113.50, 22.81], [113.50, 22.80]]
BOW_TIE = [[113.5, 22.8], [113.6, 22.9], [113.6, 22.8], [113.5, 22.9], [113.5, 22.8]]  # crosses at (113.55, 22.85)


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


BAD_OUTLINES = {
    "self-intersection": (polygon(BOW_TIE), "The outline crosses itself near 22.850000° N, 113.550000° E."),
    "two polygons overlapping": (
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[lng + 0.005, lat + 0.005] for lng, lat in SQUARE]]]},
        "crosses itself near",
    ),
    "unclosed ring": (polygon(SQUARE[:-1]), "ring 1: the ring is not closed"),
    "too few points": (polygon([SQUARE[0], SQUARE[1], SQUARE[0]]), "too few points"),
    "too few different points": (polygon([SQUARE[0], SQUARE[1], SQUARE[1], SQUARE[0]]), "Too few points"),
    "out of WGS-84 range": (
        polygon([[200, 95], [113.6, 22.8], [113.6, 22.9], [200, 95]]),
        "ring 1, point 1: [200, 95] is not a WGS-84 position",
    ),
    "latitude first": (
        polygon([[lat, lng] for lng, lat in SQUARE]),
        "GeoJSON puts the longitude first: the two may be swapped",
    ),
}


@pytest.fixture
def park(demo):
    park = Park.objects.get(name_zh="广东医谷")
    park.outline = polygon(SQUARE)
    park.save()
    return park


@pytest.mark.django_db
@pytest.mark.parametrize(("outline", "says"), BAD_OUTLINES.values(), ids=BAD_OUTLINES.keys())
def test_the_admin_form_names_why_an_outline_is_refused(admin_client, park, outline, says):
    url = admin_url(Park, "change", park.pk)
    data = form_data(admin_client.get(url))
    data["outline"] = json.dumps(outline)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["outline"])
    assert says in errors and "Enter a valid JSON" not in errors
    park.refresh_from_db()
    assert park.outline == polygon(SQUARE)


@pytest.mark.django_db
def test_pasted_text_that_is_not_json_says_where_it_breaks(admin_client, park):
    url = admin_url(Park, "change", park.pk)
    data = form_data(admin_client.get(url))
    data["outline"] = '{"type": "Polygon",\n "coordinates": [[113.5, 22.8],]}'
    response = admin_client.post(url, data)
    errors = " ".join(response.context["adminform"].form.errors["outline"])
    assert "This is not valid JSON: line 2, column" in errors
    assert 'name="outline"' in response.content.decode() and "[113.5, 22.8],]" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("outline", "says"), BAD_OUTLINES.values(), ids=BAD_OUTLINES.keys())
def test_the_api_names_why_an_outline_is_refused(admin_client, park, outline, says):
    response = admin_client.patch(
        f"/api/v1/parks/{park.pk}/", {"outline": outline, "version": park.version}, content_type="application/json"
    )
    assert response.status_code == 400
    assert says in " ".join(response.json()["outline"])
    park.refresh_from_db()
    assert park.outline == polygon(SQUARE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outline", "says"),
    [
        ("{not json", "The outline is not valid JSON: line 1, column 2"),
        (json.dumps(polygon(SQUARE)), "send the GeoJSON object itself, not a string"),
    ],
)
def test_the_api_names_an_outline_sent_as_text(admin_client, park, outline, says):
    response = admin_client.patch(
        f"/api/v1/parks/{park.pk}/", {"outline": outline, "version": park.version}, content_type="application/json"
    )
    assert response.status_code == 400 and says in " ".join(response.json()["outline"])


@pytest.mark.django_db
def test_a_valid_outline_still_saves_through_the_api(admin_client, park):
    moved = [[lng + 0.01, lat] for lng, lat in SQUARE]
    response = admin_client.patch(
        f"/api/v1/parks/{park.pk}/",
        {"outline": polygon(moved), "version": park.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    park.refresh_from_db()
    assert park.outline == polygon(moved)
