"""The project a company states on /match/ (and to /api/v1/match/), checked for the impossible."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industry.models import ChainSegment, Honour, InvestmentStage, OwnershipKind, SizeBand
from parks.models import CleanroomGrade, SpaceUse

from .engine import Needs

REGISTRATION = [("", _("Not decided")), ("yes", _("Yes")), ("no", _("No"))]


class ProjectForm(forms.Form):
    segments = forms.ModelMultipleChoiceField(
        queryset=ChainSegment.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Chain segments"),
        widget=forms.CheckboxSelectMultiple,
    )
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
    founded_on = forms.DateField(
        required=False,
        label=_("Founded on (blank if not yet founded)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ownership = forms.ChoiceField(
        choices=[("", _("Not said")), *OwnershipKind.choices], required=False, label=_("Ownership kind")
    )
    size_band = forms.ChoiceField(
        choices=[("", _("Not said")), *SizeBand.choices], required=False, label=_("Size band")
    )
    honours = forms.ModelMultipleChoiceField(
        queryset=Honour.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Honours held"),
        widget=forms.CheckboxSelectMultiple,
    )
    registers_in_nansha = forms.ChoiceField(choices=REGISTRATION, required=False, label=_("Will register in Nansha"))
    financing_stage = forms.ModelChoiceField(
        queryset=InvestmentStage.objects.all(), to_field_name="code", required=False, label=_("Financing round sought")
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
        if data.get("founded_on") and data["founded_on"] > today:
            self.add_error("founded_on", _("A founding date cannot be in the future."))
        return data

    def needs(self):
        data = self.cleaned_data
        return Needs(
            segments=list(data.get("segments") or []),
            use=data.get("use") or "",
            area_min=data.get("area_min"),
            area_max=data.get("area_max"),
            cleanroom=data.get("cleanroom") or "",
            floor_load_min=data.get("floor_load_min"),
            ceiling_min=data.get("ceiling_min"),
            rent_max=data.get("rent_max"),
            move_in=data.get("move_in"),
            founded_on=data.get("founded_on"),
            ownership=data.get("ownership") or "",
            size_band=data.get("size_band") or "",
            honours=list(data.get("honours") or []),
            registers_in_nansha={"yes": True, "no": False}.get(data.get("registers_in_nansha") or ""),
            financing_stage=data["financing_stage"].code if data.get("financing_stage") else "",
        )
