"""Admin map widgets built on django-leaflet's static files and LEAFLET_CONFIG, without GDAL.

django-leaflet's own LeafletWidget derives from django.contrib.gis and needs GDAL, which this
project does not use (DESIGN.md, decision 1). These two widgets edit plain columns instead:
- PointMapWidget: a map beside the latitude and longitude inputs; click or drag to set them.
- OutlineMapWidget: a GeoJSON textarea with a map to draw, edit or delete polygons (Leaflet.draw).
"""

from django import forms

from nansha.records.base_maps import map_config

from .draw_texts import draw_texts


class MapWidgetMedia:
    class Media:
        css = {
            "all": [
                "leaflet/leaflet.css",
                "leaflet/draw/leaflet.draw.css",
                "nansha/admin/map-widgets.css",
            ]
        }
        js = ["leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "nansha/admin/map-widgets.js"]


class PointMapWidget(MapWidgetMedia, forms.Widget):
    """A map that reads and writes the form's `lat` and `lng` inputs; it holds no value itself."""

    template_name = "nansha/widgets/point_map.html"

    def __init__(self, lat_field="lat", lng_field="lng", attrs=None):
        super().__init__(attrs)
        self.lat_field, self.lng_field = lat_field, lng_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        prefix = attrs.get("id", "").removesuffix(name) if attrs else "id_"
        context["widget"].update(
            lat_input_id=f"{prefix}{self.lat_field}",
            lng_input_id=f"{prefix}{self.lng_field}",
            map_config=map_config(),
            config_id=f"{attrs['id']}_config",
            # "Find the address on the map" reads these (the first filled in) and ticks "approximate" if need be.
            address_input_ids=[f"{prefix}address_zh", f"{prefix}address_en"],
            approximate_input_id=f"{prefix}position_is_approximate",
        )
        return context

    def value_from_datadict(self, data, files, name):
        return None


class OutlineMapWidget(MapWidgetMedia, forms.Textarea):
    """A GeoJSON textarea paired with a map on which staff draw the outline."""

    template_name = "nansha/widgets/outline_map.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, "class": "vLargeTextField outline-geojson", **(attrs or {})})

    def format_value(self, value):
        # forms.JSONField renders "no outline" as the JSON literal null; show an empty box instead.
        return None if value in (None, "", "null") else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        prefix = attrs["id"].removesuffix(name)
        context["widget"].update(
            map_config=map_config(),
            config_id=f"{attrs['id']}_config",
            draw_texts=draw_texts(),
            draw_texts_id=f"{attrs['id']}_draw_texts",
            lat_input_id=f"{prefix}lat",
            lng_input_id=f"{prefix}lng",
        )
        return context


class PositionField(forms.Field):
    """A form field that only shows the point map; the position lives in the lat/lng fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", PointMapWidget())
        super().__init__(**kwargs)
