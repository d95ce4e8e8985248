"""The drawing tool refuses a park outline that crosses itself, when drawing and when editing (issue 19, item 6)."""

import json

import pytest
from django.utils import translation
from shapely.geometry import shape

from parks.models import Park

from .test_admin_maps import click_map, staff_page  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SQUARE = [[113.50, 22.80], [113.51, 22.80], [113.51, 22.81], [113.50, 22.81], [113.50, 22.80]]
TOOLTIP = "#id_outline_map .leaflet-draw-tooltip"


def crossing_message():
    """The refusal as the page says it (the browser asks for Chinese), translated, not Leaflet.draw's English."""
    with translation.override("zh-hans"):
        message = translation.gettext("The outline may not cross itself: place the point elsewhere.")
    assert message != "The outline may not cross itself: place the point elsewhere."
    return message


def test_drawing_a_crossing_outline_is_refused(staff_page, live_server):  # noqa: F811
    page = staff_page
    park = Park.objects.get(name_zh="横沥生物医药产业园")
    page.goto(f"{live_server.url}/admin/parks/park/{park.pk}/change/")
    page.wait_for_selector("#id_outline_map.leaflet-container")
    page.locator("#id_outline_map").scroll_into_view_if_needed()
    page.click("#id_outline_map .leaflet-draw-draw-polygon")
    # top left, bottom right, top right, then bottom left: that edge would cross the first one
    for dx, dy in [(-60, -40), (60, 40), (60, -40), (-60, 40)]:
        click_map(page, "#id_outline_map", dx, dy)
        page.wait_for_timeout(400)
    assert crossing_message() in page.inner_text(TOOLTIP)
    assert page.locator("#id_outline_map .leaflet-marker-icon.leaflet-editing-icon").count() == 3  # not placed
    assert page.input_value("#id_outline") == ""


def test_dragging_a_corner_across_the_outline_is_refused(staff_page, live_server):  # noqa: F811
    page = staff_page
    park = Park.objects.get(name_zh="横沥生物医药产业园")
    park.outline = {"type": "Polygon", "coordinates": [SQUARE]}
    park.save()
    page.goto(f"{live_server.url}/admin/parks/park/{park.pk}/change/")
    page.wait_for_selector("#id_outline_map path.leaflet-interactive")
    page.locator("#id_outline_map").scroll_into_view_if_needed()
    page.click("#id_outline_map .leaflet-draw-edit-edit")
    corners = page.locator("#id_outline_map .leaflet-marker-icon.leaflet-editing-icon:not(.leaflet-edit-move)")
    page.wait_for_function("document.querySelectorAll('#id_outline_map .leaflet-editing-icon').length >= 4")
    boxes = [corners.nth(i).bounding_box() for i in range(corners.count())]
    # the corner furthest left and down (113.50, 22.80) dragged right past the square's right edge and up
    low_left = min(boxes, key=lambda b: b["x"] - b["y"])
    x, y = low_left["x"] + low_left["width"] / 2, low_left["y"] + low_left["height"] / 2
    width = max(b["x"] for b in boxes) - min(b["x"] for b in boxes)
    height = max(b["y"] for b in boxes) - min(b["y"] for b in boxes)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + width * 1.6, y - height * 0.5, steps=12)  # past the right edge: a bow tie
    assert crossing_message() in page.inner_text(TOOLTIP)
    page.mouse.up()
    page.click("#id_outline_map .leaflet-draw-actions a[title]:first-child")  # "Save" the edit
    # The corner stopped where it last kept the outline whole: the outline written back does not cross itself.
    edited = json.loads(page.input_value("#id_outline"))
    assert shape(edited).is_valid and all(lng <= SQUARE[1][0] for lng, _lat in edited["coordinates"][0])
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    park.refresh_from_db()
    assert park.outline == edited
