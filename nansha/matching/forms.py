"""The project a company states on /match/ (and to /api/v1/match/), checked for the impossible."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industry.models import InvestmentStage
from parks.models import CleanroomGrade, SpaceUse
from policies.forms import REGISTRATION, CompanyFactsForm  # noqa: F401  (REGISTRATION kept importable here)

from .engine import Needs


class ProjectForm(CompanyFactsForm):
    """The space a project needs, and (from CompanyFactsForm) who the company is and its numbers."""

    use = forms.ChoiceField(choices=[("", _("Any use")), *SpaceUse.choices], required=False, label=_("Space use"))
    area_min = forms.DecimalField(
        min_value=1, max_digits=10, decimal_places=1, required=False, label=_("Area from (m²)")
    )
    area_max = forms.DecimalField(
        min_value=1, max_digits=10, decimal_places=1, required=False, label=_("Area up to (m²)")
    )
    cleanroom = forms.ChoiceField(
        choices=[("", _("No cleanroom needed")), *CleanroomGrade.choices], required=False, label=_("Cleanroom grade")
    )
    floor_load_min = forms.DecimalField(
        min_value=0, max_digits=6, decimal_places=1, required=False, label=_("Floor load at least (kN/m²)")
    )
    ceiling_min = forms.DecimalField(
        min_value=0, max_digits=5, decimal_places=2, required=False, label=_("Ceiling height at least (m)")
    )
    rent_max = forms.DecimalField(
        min_value=0, max_digits=8, decimal_places=2, required=False, label=_("Rent at most (yuan/m²/month)")
    )
    move_in = forms.DateField(required=False, label=_("Move-in date"), widget=forms.DateInput(attrs={"type": "date"}))
    financing_stage = forms.ModelChoiceField(
        queryset=InvestmentStage.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any round"),
        label=_("Financing round sought"),
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("area_min"), data.get("area_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "area_max",
                _("The largest area (%(high)s m²) is below the smallest (%(low)s m²).") % {"low": low, "high": high},
            )
        today = timezone.localdate()
        if data.get("move_in") and data["move_in"] < today:
            self.add_error(
                "move_in", _("The move-in date %(date)s has passed.") % {"date": data["move_in"].isoformat()}
            )
        return data

    def needs(self):
        data = self.cleaned_data
        return Needs(
            **self.profile_fields(),
            use=data.get("use") or "",
            area_min=data.get("area_min"),
            area_max=data.get("area_max"),
            cleanroom=data.get("cleanroom") or "",
            floor_load_min=data.get("floor_load_min"),
            ceiling_min=data.get("ceiling_min"),
            rent_max=data.get("rent_max"),
            move_in=data.get("move_in"),
            financing_stage=data["financing_stage"].code if data.get("financing_stage") else "",
        )
