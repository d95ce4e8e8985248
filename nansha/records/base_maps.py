"""The base maps configured in LEAFLET_CONFIG, as the map page, record pages and admin widgets need them."""

from django.conf import settings


def base_maps():
    """The base maps of LEAFLET_CONFIG; `gcj02` marks those drawn in China's GCJ-02 coordinates."""
    return [
        {"key": options.get("key", str(i)), "name": str(name), "url": url, "options": options}
        for i, (name, url, options) in enumerate(settings.LEAFLET_CONFIG["TILES"])
    ]


def map_config():
    """The parts of LEAFLET_CONFIG the widgets' JavaScript needs, as JSON-ready data.

    Staff place points on WGS-84 base maps only: a GCJ-02 map would shift what they place.
    """
    config = settings.LEAFLET_CONFIG
    return {
        "center": list(config["DEFAULT_CENTER"]),
        "zoom": config["DEFAULT_ZOOM"],
        "minZoom": config.get("MIN_ZOOM"),
        "maxZoom": config.get("MAX_ZOOM"),
        "tiles": [tile for tile in base_maps() if not tile["options"].get("gcj02")],
    }
