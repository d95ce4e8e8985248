from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from nansha.records.views import RecordDetailView, linked

from .filters import offered_spaces
from .models import Park

ENTERPRISES_PER_PAGE = 50


class ParkDetail(RecordDetailView):
    """A park's page: its facts, a table of the space it offers now and its enterprises, ENTERPRISES_PER_PAGE a
    page (`?page=N`; a page number out of range or not a number gives the nearest page)."""

    model = Park
    layer = "parks"
    select_related = ["parent"]
    prefetch_related = ["focus_segments"]
    extra_template_name = "parks/park_extra.html"

    def sections(self, record):
        return [
            (_("Public service platforms"), linked(record.platforms.published())),
            (_("Phases and sub-parks"), linked(record.phases.published())),
            (_("Signed investment projects"), linked(record.signed_projects.published())),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        enterprises = record.enterprises.published().order_by("name_zh", "pk")
        paginator = Paginator(enterprises, ENTERPRISES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            free_spaces=list(offered_spaces().filter(park=record).order_by("building", "floor", "unit", "pk")),
            enterprises_page=page,
            # 1 2 … 6 7 [8] 9 10 … 40: the ends and two pages either side; "…" is paginator.ELLIPSIS
            page_links=list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        )
        return context
