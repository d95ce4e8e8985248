"""The company facts the policy calculator (政策计算器) asks for: on each policy page, on /match/ and in the API.

Every number is optional: a number left blank is unknown (the clauses that need it become “possibly
eligible”, naming it), never zero. Bounds refuse negatives and absurd sizes with a message naming the field.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industry.models import ChainSegment, DevelopmentStage, Honour, OwnershipKind, SizeBand
from nansha.records.chinese import in_script, join_items
from nansha.records.numbers import grouped_number

from .clauses import ApprovalKind
from .eligibility import Profile

REGISTRATION = [("", _("Not decided")), ("yes", _("Yes")), ("no", _("No"))]
# 10^9 万元 is 10^13 yuan, above any company's figures: beyond it a number is a typing slip.
MAX_WAN = 10**9


# Digits grouped by commas (30,000) as people type them; full-width forms (３０，０００) are made ASCII first.
GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]{1,4}(,[0-9]{4})+(\.[0-9]+)?")
# Units a money figure may be typed with, as multiples of 万元 (the field's unit).
MONEY_UNITS = {"亿元": 10_000, "亿": 10_000, "万元": 1, "万": 1}
SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")


def typed_number(value, units=None):
    """A number as typed → a plain decimal string, or the input unchanged (for the field to refuse).

    '30,000', '30，000', '３０，０００', ' 30 000 ' → '30000'; with units ({"亿": 10000, ...}) '3亿' → '30000'.
    """
    if not isinstance(value, str):
        return value
    text = SPACES.sub("", unicodedata.normalize("NFKC", value))
    factor = 1
    for unit, multiple in (units or {}).items():
        if text.endswith(unit) and len(text) > len(unit):
            text, factor = text[: -len(unit)], multiple
            break
    if "," in text:
        if not GROUPED.fullmatch(text):
            return value
        text = text.replace(",", "")
    if factor != 1:
        try:
            return str(Decimal(text) * factor)
        except InvalidOperation:
            return value
    return text


class TypedDecimalField(forms.DecimalField):
    """A decimal typed as people do: grouped digits, full-width digits, and (money) 万/亿 after the number."""

    def __init__(self, *args, units=None, **kwargs):
        self.units = units
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(typed_number(value, self.units))


class TypedIntegerField(forms.IntegerField):
    """A whole number typed with grouped or full-width digits (1,200)."""

    def to_python(self, value):
        return super().to_python(typed_number(value))


def _typed_input():
    # A text box: a number box (type=number) drops “30,000” and “3亿” before the server sees them.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def _money(label):
    return TypedDecimalField(
        units=MONEY_UNITS,
        min_value=0,
        max_value=MAX_WAN,
        max_digits=14,
        decimal_places=2,
        required=False,
        label=label,
        help_text=_("In units of 10,000 yuan, e.g. 30,000 or 3亿. Leave blank if you do not know."),
        widget=_typed_input(),
    )


# The numeric facts, in the order shown, with their Profile attribute names.
NUMERIC_FACTS = [
    "fixed_asset_investment_wan",
    "foreign_capital_wan",
    "revenue_wan",
    "rd_spending_wan",
    "headcount",
    "cleanroom_area_m2",
]
COMPANY_FACTS = [
    "founded_on",
    "ownership",
    "size_band",
    "registers_in_nansha",
    *NUMERIC_FACTS,
    "clinical_stage",
]


def _stated_text(field, value):
    """One answer of a form as a person reads it (see CompanyFactsForm.stated)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return join_items(in_script(str(record)) for record in value)
    if isinstance(field, forms.ModelChoiceField):
        return in_script(str(value))
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}
        values = value if isinstance(value, (list, tuple)) else [value]
        return join_items(labels.get(str(v), str(v)) for v in values)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return grouped_number(value)
    return str(value)


class CompanyFactsForm(forms.Form):
    """Who the company is and its numbers; .profile() gives the policies.eligibility.Profile to judge."""

    segments = forms.ModelMultipleChoiceField(
        queryset=ChainSegment.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Chain segments"),
        widget=forms.CheckboxSelectMultiple,
    )
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
    fixed_asset_investment_wan = _money(_("Fixed-asset investment (10,000 yuan)"))
    foreign_capital_wan = _money(_("Foreign capital injected (10,000 yuan)"))
    revenue_wan = _money(_("Revenue, last year (10,000 yuan)"))
    rd_spending_wan = _money(_("R&D spending, last year (10,000 yuan)"))
    headcount = TypedIntegerField(
        min_value=0,
        max_value=10_000_000,
        required=False,
        label=_("Headcount (people)"),
        help_text=_("Leave blank if you do not know."),
        widget=_typed_input(),
    )
    cleanroom_area_m2 = TypedDecimalField(
        min_value=0,
        max_value=10**8,
        max_digits=12,
        decimal_places=2,
        required=False,
        label=_("Cleanroom area (m²)"),
        help_text=_("Leave blank if you do not know."),
        widget=_typed_input(),
    )
    clinical_stage = forms.ChoiceField(
        choices=[("", _("Not said")), *DevelopmentStage.choices],
        required=False,
        label=_("Most advanced product's stage"),
    )
    approvals = forms.MultipleChoiceField(
        choices=ApprovalKind.choices,
        required=False,
        label=_("Approvals held"),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if data.get("founded_on") and data["founded_on"] > timezone.localdate():
            self.add_error("founded_on", _("A founding date cannot be in the future."))
        return data

    def profile_fields(self):
        """The Profile's fields from the cleaned data (blank numbers stay None: unknown)."""
        data = self.cleaned_data
        return {
            "segments": list(data.get("segments") or []),
            "founded_on": data.get("founded_on"),
            "ownership": data.get("ownership") or "",
            "size_band": data.get("size_band") or "",
            "honours": list(data.get("honours") or []),
            "registers_in_nansha": {"yes": True, "no": False}.get(data.get("registers_in_nansha") or ""),
            **{name: data.get(name) for name in NUMERIC_FACTS},
            "clinical_stage": data.get("clinical_stage") or "",
            "approvals": list(data.get("approvals") or []),
        }

    def profile(self):
        return Profile(**self.profile_fields())

    def stated(self):
        """What the visitor said, for a printed brief: [(label, text)] in the form's order, blank answers left out.

        Choices read as their labels, records as their names (in the page's script), lists joined as the
        language joins them, numbers grouped by three, dates as YYYY-MM-DD. Call after is_valid().
        """
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value is None or value is False or value == "":
                continue
            if not isinstance(value, str) and hasattr(value, "__len__") and not len(value):  # lists, querysets
                continue
            rows.append((str(field.label), _stated_text(field, value)))
        return rows
