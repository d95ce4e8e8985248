"""The public detail page (and map card) of a record, shared by every kind of map record."""

from django.http import Http404
from django.views.generic import DetailView

from nansha.records.base_maps import map_config
from nansha.records.presentation import audience, detail_url, field_rows


class RecordDetailView(DetailView):
    """A published record with all its public facts and links; `?card=1` gives the map card alone."""

    layer = ""  # the map layer the record belongs to
    template_name = "records/detail.html"
    card_template_name = "records/card.html"
    extra_template_name = ""  # a template shown after the sections (a park's spaces and enterprises)
    select_related = ()
    prefetch_related = ()

    def get_queryset(self):
        return (
            self.model.objects.published()
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
        )

    def get_template_names(self):
        return [self.card_template_name if self.request.GET.get("card") == "1" else self.template_name]

    def sections(self, record):
        """Lists of related records: [(title, [{"text", "url", "meta"}...])], empty lists left out."""
        return []

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except (Http404, ValueError, OverflowError) as error:
            raise Http404("No such published record.") from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(
            record=record,
            layer=self.layer,
            kind=record._meta.verbose_name,
            rows=field_rows(record, audience(self.request).published_only()),
            sections=[(title, items) for title, items in self.sections(record) if items],
            url=detail_url(record),
            source_pages=source_pages(record.source),
            map_feature=self.map_feature(record),
            map_config=map_config(),
            extra_template=self.extra_template_name,
        )
        return context

    def map_feature(self, record):
        """What the page's small map draws: the point and, for a park, its outline."""
        return {
            "lat": record.lat,
            "lng": record.lng,
            "approximate": record.position_is_approximate,
            "outline": getattr(record, "outline", None),
            "layer": self.layer,
        }


def linked(records, meta=None):
    """Section items for records that have detail pages (meta: a function giving a short note)."""
    return [{"text": str(r), "url": detail_url(r), "meta": meta(r) if meta else ""} for r in records]


def source_pages(source):
    """A record's source, one item a line: [{"text": the line, "url": its web address or ""}].

    A line is a document title, a URL, or "URL (publisher; date; reliability)" as the data loads write it.
    """
    pages = []
    for line in filter(None, (line.strip() for line in (source or "").splitlines())):
        url = line.split()[0] if line.startswith(("http://", "https://")) else ""
        pages.append({"text": line, "url": url})
    return pages
