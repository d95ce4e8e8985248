from django.utils.translation import gettext as _

from nansha.records.numbers import grouped_number
from nansha.records.views import RecordDetailView, linked

from .models import Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform


def _clinical_note(project):
    parts = [project.get_stage_display()]
    if project.patients_treated is not None:
        parts.append(_("%(n)s patients") % {"n": grouped_number(project.patients_treated)})
    return " · ".join(parts)


class EnterpriseDetail(RecordDetailView):
    model = Enterprise
    layer = "enterprises"
    select_related = ["park"]
    prefetch_related = ["segments", "honours"]

    def sections(self, record):
        products = record.products.published().select_related("segment")
        return [
            (
                _("Products and pipelines"),
                linked(
                    products,
                    lambda p: " · ".join(
                        part
                        for part in (p.get_kind_display(), p.get_development_stage_display(), p.indication_zh)
                        if part
                    ),
                ),
            ),
            (
                _("Clinical projects"),
                linked(record.clinical_projects.published().select_related("hospital"), _clinical_note),
            ),
            (_("Signed investment projects"), linked(record.signed_projects.published())),
            (_("Figures from public sources"), public_figures(record)),
        ]


def public_figures(enterprise):
    """The enterprise's figures whose source is public (annual report, filing, notice), as section items.

    A company's business figures are staff-only (they decide 免申即享 in the admin); only those staff marked as
    from a public source are shown, to everyone alike, with their date and source.
    """
    items = []
    for fact in enterprise.facts.filter(source_is_public=True).order_by("kind", "-as_of", "code"):
        link = fact.source if fact.source.startswith(("http://", "https://")) else ""
        meta = _("as of %(date)s") % {"date": fact.as_of.isoformat()}
        items.append(
            {
                "text": f"{fact.get_kind_display()}: {fact.shown_value}",
                "url": link,
                "meta": f"{meta} · {fact.source}" if not link else meta,
            }
        )
    return items


class HospitalDetail(RecordDetailView):
    model = Hospital
    layer = "hospitals"

    def sections(self, record):
        projects = record.clinical_projects.published().select_related("enterprise")
        return [(_("Clinical projects"), linked(projects, _clinical_note))]


class ResearchInstitutionDetail(RecordDetailView):
    model = ResearchInstitution
    layer = "institutions"
    prefetch_related = ["segments"]


class FundDetail(RecordDetailView):
    model = Fund
    layer = "funds"
    prefetch_related = ["stages", "focus_segments"]


class ServicePlatformDetail(RecordDetailView):
    model = ServicePlatform
    layer = "platforms"
    select_related = ["park"]
    prefetch_related = ["segments"]
