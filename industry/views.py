from django.utils.translation import gettext as _

from nansha.records.views import RecordDetailView, linked

from .models import Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform


def _clinical_note(project):
    parts = [project.get_stage_display()]
    if project.patients_treated is not None:
        parts.append(_("%(n)d patients") % {"n": project.patients_treated})
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
        ]


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
