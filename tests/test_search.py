"""The search box finds what people type: short names, traditional and full-width input, pinyin read in
context, and what a record is (segment, product, park), best matches first, the same in every FilterSet."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import QueryDict

from industry.filters import (
    EnterpriseFilterSet,
    HospitalFilterSet,
    ResearchInstitutionFilterSet,
    ServicePlatformFilterSet,
)
from industry.models import ChainSegment, Enterprise, Hospital, Product, ResearchInstitution, ServicePlatform
from industry.selectors import segment_subtree_ids
from nansha.datasets.reference_data import load_reference_data
from nansha.datasets.synthetic import generate_synthetic
from nansha.records.pinyin import pinyin_key
from nansha.records.search import normalize
from parks.filters import ParkFilterSet
from parks.models import Park
from policies.filters import PolicyFilterSet
from policies.models import Policy

from .factories import SOURCE, enterprise, park

pytestmark = pytest.mark.django_db

KINDS = {
    "enterprises": (EnterpriseFilterSet, Enterprise),
    "hospitals": (HospitalFilterSet, Hospital),
    "institutions": (ResearchInstitutionFilterSet, ResearchInstitution),
    "platforms": (ServicePlatformFilterSet, ServicePlatform),
    "parks": (ParkFilterSet, Park),
    "policies": (PolicyFilterSet, Policy),
}


def found(kind, q):
    """The Chinese names the search box gives for `q`, in its order."""
    filterset_class, model = KINDS[kind]
    filterset = filterset_class(QueryDict(mutable=True) | {"q": q}, queryset=model.objects.published())
    assert filterset.is_valid(), filterset.errors
    field = "title_zh" if model is Policy else "name_zh"
    return list(filterset.qs.values_list(field, flat=True))


def test_normalisation_folds_width_case_and_traditional_characters():
    assert normalize("香港科技大學（廣州）") == "香港科技大学(广州)"
    assert normalize("ＺＳＤＸ") == "zsdx"
    assert normalize("  Cell\u3000 Therapy\x00 ") == "cell therapy"


@pytest.mark.parametrize(
    ("kind", "q", "name"),
    [
        ("hospitals", "中山一院", "中山大学附属第一(南沙)医院"),
        ("institutions", "港科大", "香港科技大学(广州)"),
        ("institutions", "HKUST", "香港科技大学(广州)"),
        ("institutions", "hkust", "香港科技大学(广州)"),
        ("institutions", "华工", "华南理工大学"),
        ("institutions", "SCUT", "华南理工大学"),
    ],
)
def test_short_names_find_the_record_first(demo, kind, q, name):
    assert found(kind, q)[0] == name


@pytest.mark.parametrize(
    ("kind", "q", "name"),
    [
        ("institutions", "香港科技大學", "香港科技大学(广州)"),
        ("institutions", "香港科技大學（廣州）", "香港科技大学(广州)"),
        ("hospitals", "廣州市第一人民醫院", "广州市第一人民医院南沙医院"),
        ("hospitals", "中山大學附屬第一（南沙）醫院", "中山大学附属第一(南沙)医院"),
        ("institutions", "華南理工大學", "华南理工大学"),
        ("platforms", "細胞與基因治療", "大湾区细胞与基因治疗产业公共服务中心"),
    ],
)
def test_traditional_input_finds_simplified_records(demo, kind, q, name):
    assert name in found(kind, q)


@pytest.mark.parametrize(
    ("kind", "q", "name"),
    [
        ("institutions", "香港科技大学（广州）", "香港科技大学(广州)"),
        ("institutions", "ｚｓｄｘ", "中山大学"),
        ("institutions", "ＨＫＵＳＴ", "香港科技大学(广州)"),
        ("institutions", "ｓｃｕｔ", "华南理工大学"),
    ],
)
def test_full_width_input_as_chinese_input_methods_type_it(demo, kind, q, name):
    assert found(kind, q)[0] == name


def test_a_credit_code_typed_in_full_width_characters(db):
    enterprise("代码公司", credit_code="91440300708461136T")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "91440300708461136t")
    assert found("enterprises", full_width) == ["代码公司"]
    assert found("enterprises", "91440300708461136t") == ["代码公司"]


@pytest.fixture
def cell_firms(demo):
    enterprise("甲公司", segments=["car-t"])
    enterprise("乙公司", segments=["stem-cell"])
    enterprise("丙公司", segments=["gene-therapy"])
    enterprise("丁公司", segments=["car-t"], published=False)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("细胞治疗", {"甲公司", "乙公司"}),
        ("細胞治療", {"甲公司", "乙公司"}),
        ("cell therapy", {"甲公司", "乙公司"}),
        ('"cell therapy"', {"甲公司", "乙公司"}),
        ("Cell Therapy", {"甲公司", "乙公司"}),
        ("CAR-T", {"甲公司"}),
        ("car t", {"甲公司"}),
        ("CAR－T", {"甲公司"}),
        ("干细胞", {"乙公司"}),
        ("基因治疗", {"丙公司"}),
    ],
)
def test_what_an_enterprise_does_finds_it_by_segment_and_synonym(cell_firms, q, expected):
    assert expected <= set(found("enterprises", q))
    assert "丁公司" not in found("enterprises", q)  # drafts stay hidden


def test_every_car_t_enterprise_of_the_synthetic_data_is_found(db):
    generate_synthetic(enterprises=60, seed=3)
    car_t = ChainSegment.objects.get(code="car-t")
    expected = set(Enterprise.objects.published().filter(segments=car_t).values_list("name_zh", flat=True))
    assert expected  # the seed puts some enterprises on CAR-T
    assert set(found("enterprises", "CAR-T")) == expected
    cell = segment_subtree_ids(ChainSegment.objects.filter(code="cell-therapy"))
    on_cell = set(Enterprise.objects.published().filter(segments__in=cell).values_list("name_zh", flat=True))
    assert set(found("enterprises", "cell therapy")) == on_cell
    assert set(found("enterprises", "细胞治疗")) == on_cell


def test_pinyin_reads_polyphonic_characters_in_context(db):
    assert pinyin_key("长效") == "changxiao cx"
    assert pinyin_key("重组") == "chongzu cz"
    enterprise("长效重组药业")
    enterprise("银行大厦")
    for q in ("changxiao", "cxcz", "chongzu", "cxczyy", "ＣＸＣＺ"):
        assert found("enterprises", q) == ["长效重组药业"], q
    assert found("enterprises", "zhangxiao") == []
    assert found("enterprises", "yinhang") == ["银行大厦"]


def test_products_indications_disciplines_and_parks_find_their_records(demo):
    firm = enterprise("产品公司")
    Product.objects.create(
        enterprise=firm, name_zh="示例长效胰岛素", indication_zh="2型糖尿病", source=SOURCE, status="published"
    )
    Product.objects.create(enterprise=firm, name_zh="草稿产品甲", source=SOURCE, status="draft")
    host = park("示例生物园", aliases=["示例园简称"])
    enterprise("园内公司", park=host)
    assert found("enterprises", "糖尿病") == ["产品公司"]
    assert found("enterprises", "示例长效胰岛素") == ["产品公司"]
    assert found("enterprises", "草稿产品甲") == []  # a draft product reveals nothing
    assert found("enterprises", "示例生物园") == ["园内公司"]
    assert found("enterprises", "示例园简称") == ["园内公司"]
    assert found("institutions", "生物医学工程") == ["香港科技大学(广州)"]
    assert found("institutions", "biomedical engineering") == ["香港科技大学(广州)"]


def test_policies_are_searched_the_same_way(demo):
    policy = Policy.objects.filter(title_zh__contains="十四五").get()
    policy.aliases = ["生物经济规划"]
    policy.save()
    assert found("policies", "生物经济规划") == [policy.title_zh]
    assert policy.title_zh in found("policies", "生物經濟")  # traditional input


def test_results_are_ranked_exact_prefix_pinyin_segment_description(db):
    load_reference_data()
    enterprise("5描述", description_zh="我们做基因检测")
    enterprise("4环节", segments=["gene-therapy"])
    enterprise("2前缀", aliases=["基因之家"])
    enterprise("1精确", aliases=["基因"])
    enterprise("3另一前缀", name_en="基因 Two")
    assert found("enterprises", "基因") == ["1精确", "2前缀", "3另一前缀", "4环节", "5描述"]
    enterprise("6基因无关")  # its name's pinyin holds "jiyin"
    enterprise("7某公司", description_zh="jiyin")
    # the pinyin of a name first, then other text (aliases' pinyin, descriptions) in name order
    assert found("enterprises", "jiyin") == ["6基因无关", "1精确", "2前缀", "7某公司"]


def test_ties_keep_the_resource_order_then_the_id(db):
    made = [enterprise(name, aliases=["同名"]) for name in ("示例3", "示例1", "示例2", "示例2")]
    filterset = EnterpriseFilterSet({"q": "同名"}, queryset=Enterprise.objects.published())
    assert list(filterset.qs.values_list("pk", flat=True)) == [made[1].pk, made[2].pk, made[3].pk, made[0].pk]


def test_search_columns_follow_every_save_and_the_rebuild_command(db):
    firm = enterprise("保存公司")
    firm.aliases = ["新简称"]
    firm.save()
    assert found("enterprises", "新简称") == ["保存公司"]
    firm.aliases = []
    firm.save(update_fields=["aliases"])
    assert found("enterprises", "新简称") == []
    Enterprise.objects.filter(pk=firm.pk).update(aliases=["绕过保存"], search_names="", search_text="")
    assert found("enterprises", "绕过保存") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert found("enterprises", "绕过保存") == ["保存公司"]
    assert found("enterprises", "baocun") == ["保存公司"]


def test_aliases_are_cleaned_and_validated(db):
    firm = enterprise("别名公司", aliases=[" 甲 ", "", "甲", "乙"])
    firm.refresh_from_db()
    assert firm.aliases == ["甲", "乙"]
    firm.aliases = [f"名{i}" for i in range(21)]
    with pytest.raises(ValidationError, match="At most 20"):
        firm.full_clean()
    firm.aliases = ["长" * 101]
    with pytest.raises(ValidationError, match="at most 100"):
        firm.full_clean()


def test_an_alias_change_is_kept_in_history(db):
    firm = enterprise("历史公司")
    firm.aliases = ["旧称"]
    firm.save()
    assert [h.aliases for h in firm.history.order_by("history_id")] == [[], ["旧称"]]
