"""`load_demo` holds what the article says, and only that; running it twice changes nothing."""

import pytest
from django.core.management import call_command

from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    Hospital,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
)
from nansha.datasets import demo_data, public_reports
from nansha.records.validators import REGION_BOUNDS
from parks.models import Park
from policies.models import Policy

pytestmark = pytest.mark.django_db

MODELS = [Park, Hospital, ResearchInstitution, ServicePlatform, Enterprise, Policy, ClinicalProject, SignedProject]


def snapshot():
    return {model: sorted(model.objects.values_list("pk", "updated_at")) for model in MODELS}


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_a_staff_edit_survives_another_load(demo):
    Park.objects.filter(name_zh="广东医谷").update(total_floor_area_m2=12345)
    call_command("load_demo", verbosity=0)
    assert Park.objects.get(name_zh="广东医谷").total_floor_area_m2 == 12345


def test_the_articles_entities_are_there(demo):
    assert set(Park.objects.values_list("name_zh", flat=True)) >= {
        "横沥生物医药产业园",
        "生命健康产业园区",
        "广东医谷",
        "广东医谷二期",
        "中大药谷",
        "南沙科创中心生命健康产业园",
        "广州产投大湾区数字经济和生命科学产业园",
    }
    assert set(Hospital.objects.values_list("name_zh", flat=True)) >= {
        "广州市第一人民医院南沙医院",
        "中山大学附属第一(南沙)医院",
    }
    assert set(ResearchInstitution.objects.values_list("name_zh", flat=True)) >= {
        "香港科技大学(广州)",
        "粤港澳大湾区精准医学研究院(广州)",
        "中山大学",
        "华南理工大学",
    }
    assert ServicePlatform.objects.filter(name_zh="大湾区细胞与基因治疗产业公共服务中心").exists()
    assert Enterprise.objects.filter(name_zh="霖南基因科技(广东)有限公司").exists()
    assert Policy.objects.filter(source=demo_data.ARTICLE).count() == 3
    assert Park.objects.get(name_zh="广东医谷").level == "national"
    assert Park.objects.get(name_zh="广东医谷二期").parent.name_zh == "广东医谷"


def test_the_thalassaemia_project_links_hospital_and_enterprise_with_the_articles_figures(demo):
    project = ClinicalProject.objects.get(indication_zh="输血依赖型β-地中海贫血")
    assert project.hospital.name_zh == "广州市第一人民医院南沙医院"
    assert project.enterprise.name_zh == "霖南基因科技(广东)有限公司"
    assert project.patients_treated == 12 and "9人已康复出院" in project.outcome_zh
    assert ClinicalProject.objects.get(indication_zh="慢加急性肝衰竭").patients_treated == 4
    assert ClinicalProject.objects.filter(stage="filing").count() == 3


def test_the_signed_projects_figures_are_flagged_as_the_articles_approximations(demo):
    signed = SignedProject.objects.get()
    assert (signed.amount_wan, signed.expected_annual_output_wan, signed.amounts_are_estimates) == (
        50000,
        100000,
        True,
    )
    assert signed.signed_on is None  # the article gives no year


def test_every_record_of_the_article_cites_it_and_is_published(demo):
    # The policies of public_reports.json cite the pages they were read from instead (tests/test_policy_pages.py);
    # the article's records the reports add facts to are tested in tests/test_public_records.py.
    reports = {row["title"] for row in public_reports.read()}
    for model in MODELS:
        for record in model.objects.filter(source__startswith=demo_data.ARTICLE):
            if "\nhttp" in record.source:  # completed from the public reports
                continue
            # Short names are not from the article: the records that have them say where they come from.
            aliases_note = demo_data.ALIASES_SOURCE if getattr(record, "aliases", None) else ""
            if model is Policy and record.title_zh in reports:
                assert record.source.startswith("http") and record.status == "published", record
                continue
            assert (record.source, record.verified_on, record.status) == (
                demo_data.ARTICLE + aliases_note,
                demo_data.VERIFIED_ON,
                "published",
            ), record


def test_positions_are_estimates_flagged_approximate_and_inside_the_region(demo):
    for model in (Park, Hospital, ResearchInstitution, ServicePlatform, Enterprise):
        for place in model.objects.exclude(lat=None):
            assert place.position_is_approximate, place
            assert REGION_BOUNDS["min_lat"] <= place.lat <= REGION_BOUNDS["max_lat"]
            assert REGION_BOUNDS["min_lng"] <= place.lng <= REGION_BOUNDS["max_lng"]


def test_facts_the_article_does_not_give_stay_empty(demo):
    enterprise = Enterprise.objects.get(name_zh="霖南基因科技(广东)有限公司")
    assert (enterprise.credit_code, enterprise.founded_on, enterprise.ownership, enterprise.lat) == (
        "",
        None,
        "",
        None,
    )
    hospital = Hospital.objects.get(name_zh="广州市第一人民医院南沙医院")
    assert (hospital.grade, hospital.is_drug_trial_institution, hospital.has_stem_cell_filing) == ("", None, None)
    assert all(p.outline is None for p in Park.objects.all())
    assert Park.objects.get(name_zh="广东医谷二期").total_floor_area_m2 is None


def test_the_chain_is_a_tree_with_cell_therapy_above_car_t_and_stem_cells(demo):
    cell = ChainSegment.objects.get(code="cell-therapy")
    assert {c.code for c in cell.children.all()} >= {"car-t", "stem-cell"}
    assert set(ChainSegment.objects.values_list("stage", flat=True)) == {"upstream", "midstream", "downstream"}
    for segment in ChainSegment.objects.all():
        segment.full_clean()
