from django.utils.formats import number_format
from django.utils.translation import gettext as _

from nansha.records.views import RecordDetailView, linked

from .filters import offered_spaces
from .models import Park


def space_summary(space):
    where = " ".join(part for part in (space.building, space.floor, space.unit) if part)
    parts = [where, space.get_use_display(), f"{number_format(space.usable_area_m2)} m²"]
    if space.cleanroom_grade:
        parts.append(space.get_cleanroom_grade_display())
    if space.rent_yuan_m2_month is not None:
        parts.append(_("%(rent)s yuan/m²/month") % {"rent": number_format(space.rent_yuan_m2_month)})
    if space.available_from:
        parts.append(_("from %(date)s") % {"date": space.available_from.isoformat()})
    return " · ".join(p for p in parts if p)


class ParkDetail(RecordDetailView):
    model = Park
    layer = "parks"
    select_related = ["parent"]
    prefetch_related = ["focus_segments"]

    def sections(self, record):
        spaces = offered_spaces().filter(park=record).order_by("building", "floor", "unit")
        return [
            (_("Free space"), [{"text": space_summary(s), "url": "", "meta": ""} for s in spaces]),
            (_("Enterprises"), linked(record.enterprises.published().order_by("name_zh"))),
            (_("Public service platforms"), linked(record.platforms.published())),
            (_("Phases and sub-parks"), linked(record.phases.published())),
            (_("Signed investment projects"), linked(record.signed_projects.published())),
        ]
