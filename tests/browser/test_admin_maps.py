"""Staff place points and draw park outlines on the admin maps, in Debian's Chromium."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

from industry.models import Enterprise
from parks.models import Park

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TILE_HOSTS = {"tile.openstreetmap.org"}


@pytest.fixture
def staff_page(page, live_server, demo):
    get_user_model().objects.create_superuser("staff", "staff@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def only_tiles_left_the_machine(page):
    return {urlparse(url).hostname for url in page.outside_requests} <= TILE_HOSTS


def click_map(page, map_selector, dx, dy):
    page.locator(map_selector).scroll_into_view_if_needed()
    box = page.locator(map_selector).bounding_box()
    x, y = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy
    page.mouse.move(x, y, steps=4)  # as a hand would: Leaflet.draw follows the pointer before a click
    page.mouse.click(x, y)


def test_clicking_the_map_places_the_point_and_dragging_moves_it(staff_page, live_server):
    page = staff_page
    page.goto(f"{live_server.url}/admin/industry/enterprise/add/")
    page.wait_for_selector("#id_position_map.leaflet-container")
    click_map(page, "#id_position_map", 0, 0)
    lat, lng = float(page.input_value("#id_lat")), float(page.input_value("#id_lng"))
    assert 22.5 < lat < 23.1 and 113.2 < lng < 113.9  # the map opens on Nansha

    marker = page.locator("#id_position_map .leaflet-marker-icon")
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + 40, steps=8)
    page.mouse.up()
    moved = float(page.input_value("#id_lat")), float(page.input_value("#id_lng"))
    assert moved != (lat, lng) and moved[1] > lng

    page.fill("#id_name_zh", "地图测试企业")
    page.fill("#id_source", "browser test")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    saved = Enterprise.objects.get(name_zh="地图测试企业")
    assert (saved.lat, saved.lng) == pytest.approx(moved, abs=1e-6)
    assert only_tiles_left_the_machine(page)


def test_typing_coordinates_moves_the_marker(staff_page, live_server):
    page = staff_page
    hospital_url = f"{live_server.url}/admin/industry/hospital/add/"
    page.goto(hospital_url)
    page.wait_for_selector("#id_position_map.leaflet-container")
    assert page.locator("#id_position_map .leaflet-marker-icon").count() == 0
    page.fill("#id_lat", "22.8")
    page.fill("#id_lng", "113.53")
    assert page.locator("#id_position_map .leaflet-marker-icon").count() == 1


def test_drawing_a_park_outline_saves_a_closed_polygon(staff_page, live_server):
    page = staff_page
    park = Park.objects.get(name_zh="横沥生物医药产业园")
    assert park.outline is None
    page.goto(f"{live_server.url}/admin/parks/park/{park.pk}/change/")
    page.wait_for_selector("#id_outline_map.leaflet-container")
    page.locator("#id_outline_map").scroll_into_view_if_needed()
    page.click("#id_outline_map .leaflet-draw-draw-polygon")
    for dx, dy in [(-60, -40), (60, -40), (60, 40), (-60, 40), (-60, -40)]:  # back on the first vertex closes it
        click_map(page, "#id_outline_map", dx, dy)
        page.wait_for_timeout(400)  # a person's pace: quicker clicks count as a double click
    assert '"Polygon"' in page.input_value("#id_outline")

    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    park.refresh_from_db()
    ring = park.outline["coordinates"][0]
    assert park.outline["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    assert all(113.2 < lng < 113.9 and 22.5 < lat < 23.1 for lng, lat in ring)

    # The saved outline is drawn again when the page is opened.
    page.goto(f"{live_server.url}/admin/parks/park/{park.pk}/change/")
    page.wait_for_selector("#id_outline_map path.leaflet-interactive")
    assert only_tiles_left_the_machine(page)


def test_the_outline_tools_are_in_the_page_language(staff_page, live_server):
    """Leaflet.draw ships English only: its toolbar and tooltips come from our catalogue (nansha/staff/draw_texts.py).

    The staff page is in simplified Chinese, the site's default."""
    page = staff_page
    page.goto(f"{live_server.url}/admin/parks/park/{Park.objects.order_by('pk').first().pk}/change/")
    page.wait_for_selector("#id_outline_map .leaflet-draw-draw-polygon")
    assert page.get_attribute("#id_outline_map .leaflet-draw-draw-polygon", "title") == "绘制多边形"
    no_outline = page.get_attribute("#id_outline_map .leaflet-draw-edit-edit", "title")
    assert no_outline == "没有可编辑的边界"  # the park has no outline yet
    page.locator("#id_outline_map .leaflet-draw-draw-polygon").click()  # the tool's actions appear beside it
    actions = page.locator("#id_outline_map .leaflet-draw-actions:visible a").all_inner_texts()
    assert actions == ["完成", "删除最后一点", "取消"], actions
