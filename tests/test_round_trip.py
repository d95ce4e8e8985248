"""An exported file of every importable kind, imported unchanged, changes nothing (issue 19, item 1): no row
created or updated, no version raised, no history entry; for every field type (decimals, dates, booleans,
choices, lists, links, empty values), as CSV and as Excel."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.apps import apps
from django.core.management import call_command

from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    EnterpriseFact,
    Fund,
    Honour,
    Hospital,
    InvestmentStage,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
    StatedFigure,
)
from nansha.staff.spreadsheets import IMPORTABLE, resource_for, row_problems
from parks.models import Park, Space
from policies.models import Policy

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[113.5, 22.7], [113.51, 22.7], [113.51, 22.71], [113.5, 22.7]]]}


@pytest.fixture
def records(demo):
    """Every kind with values of every field type, and empty ones, beside the real and sample data."""
    call_command("generate_synthetic", enterprises=40, seed=3, verbosity=0)
    segments = list(ChainSegment.objects.order_by("code")[:2])
    park = Park.objects.create(
        name_zh="圆整园",
        source="test",
        kind="incubator",
        level="provincial",
        development_status="",
        total_floor_area_m2=Decimal("12345.6"),
        outline=SQUARE,
        lat=22.705,
        lng=113.505,
        aliases=["圆整", "RT park"],
        website="https://example.org/a?b=1;c",
        verified_on=date(2024, 2, 29),
    )
    park.focus_segments.set(segments)
    Space.objects.create(park=park, use="wet_lab", usable_area_m2=Decimal("88.5"), source="test", floor="=1")
    enterprise = Enterprise.objects.create(
        name_zh="圆整生物",
        source="test",
        park=park,
        registered_in_nansha=False,
        registered_capital_wan=Decimal("0.01"),
        founded_on=date(2001, 1, 31),
        ownership="foreign",
        aliases=["圆整"],
    )
    enterprise.honours.set(Honour.objects.order_by("code")[:2])
    EnterpriseFact.objects.create(
        enterprise=enterprise, kind="revenue", value=Decimal("12.5"), as_of=date(2023, 12, 31), source="test"
    )
    fund = Fund.objects.create(name_zh="圆整基金", source="test", kind="bank", fund_size_wan=Decimal("100000"))
    fund.stages.set(InvestmentStage.objects.all()[:2])
    fund.focus_segments.set(segments)
    ServicePlatform.objects.create(name_zh="圆整平台", source="a\nhttps://example.org/x", park=park)
    SignedProject.objects.create(
        name_zh="圆整签约", source="test", park=park, amount_wan=Decimal("5.5"), amounts_are_estimates=True
    )
    ClinicalProject.objects.create(
        name_zh="圆整临床", source="test", stage="ongoing", started_on=date(2020, 1, 1), patients_treated=0
    )
    Hospital.objects.create(
        name_zh="圆整医院", source="test", is_drug_trial_institution=True, has_stem_cell_filing=None
    )
    ResearchInstitution.objects.create(name_zh="圆整研究院", source="test", kind="institute")
    StatedFigure.objects.create(
        metric_en="'quoted' = 1", value="=SUM(1)", as_of="2024-04", kind="target", source="test"
    )
    assert Policy.objects.exists()


def snapshot(model):
    rows = sorted(model.objects.values_list("pk", *(["version"] if hasattr(model, "version") else [])))
    history = model.history.count() if hasattr(model, "history") else None
    return rows, history


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", sorted(IMPORTABLE))
def test_an_exported_file_imported_unchanged_changes_nothing(records, kind, file_format):
    model = apps.get_model(IMPORTABLE[kind])
    assert model.objects.exists(), kind
    exported = resource_for(model)().export(model.objects.all())
    content = exported.export(file_format)
    dataset = tablib.Dataset().load(content, format=file_format)
    before = snapshot(model)
    result = resource_for(model)().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert row_problems(result) == []
    assert (result.totals["new"], result.totals["update"]) == (0, 0), kind
    assert snapshot(model) == before
