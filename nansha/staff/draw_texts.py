"""The texts of Leaflet.draw's toolbar and tooltips in the page's language (the library ships English only).

`draw_texts()` has the shape of Leaflet.draw's `L.drawLocal` (leaflet.draw 1.0), limited to the tools the outline
widget offers (polygon, rectangle, edit, delete); static/nansha/admin/map-widgets.js merges it into L.drawLocal
before the toolbar is made.
"""

from django.utils.translation import gettext as _


def draw_texts():
    """{draw: {...}, edit: {...}} as L.drawLocal, each text translated into the active language."""
    return {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Cancel drawing"), "text": _("Cancel")},
                "finish": {"title": _("Finish drawing"), "text": _("Finish")},
                "undo": {"title": _("Delete last point drawn"), "text": _("Delete last point")},
                "buttons": {"polygon": _("Draw a polygon"), "rectangle": _("Draw a rectangle")},
            },
            "handlers": {
                "polygon": {
                    "tooltip": {
                        "start": _("Click to start drawing the outline."),
                        "cont": _("Click to continue drawing the outline."),
                        "end": _("Click the first point to close the outline."),
                    }
                },
                # Shown when a vertex placed or dragged would make the outline cross itself.
                "polyline": {"error": _("The outline may not cross itself: place the point elsewhere.")},
                "rectangle": {"tooltip": {"start": _("Click and drag to draw a rectangle.")}},
                "simpleshape": {"tooltip": {"end": _("Release the mouse to finish drawing.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Keep the changes"), "text": _("Done")},
                    "cancel": {"title": _("Cancel editing and discard the changes"), "text": _("Cancel")},
                    "clearAll": {"title": _("Delete every outline"), "text": _("Delete all")},
                },
                "buttons": {
                    "edit": _("Edit the outline"),
                    "editDisabled": _("No outline to edit"),
                    "remove": _("Delete outlines"),
                    "removeDisabled": _("No outline to delete"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Drag the handles to change the outline."),
                        "subtext": _("Click Cancel to undo the changes."),
                    }
                },
                "remove": {"tooltip": {"text": _("Click an outline to delete it.")}},
            },
        },
    }
