"""The figures staff keep about an enterprise for policies (industry.EnterpriseFact), and 免申即享 judged on them.

Money is 万元; every award below is worked out by hand in the comment beside it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from industry.models import Enterprise, EnterpriseFact
from nansha.datasets.reference_data import load_reference_data
from policies import eligibility
from policies.models import AwardKind, Clause, Measure, Policy

from .admin_forms import form_data
from .factories import SOURCE, enterprise

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = Decimal
PERIOD_START = date(2024, 4, 29)


def fact(company, kind, value=None, *, as_of=date(2025, 6, 30), code="", **fields):
    record = EnterpriseFact(
        enterprise=company, kind=kind, value=value, code=code, as_of=as_of, source="2025 年报", **fields
    )
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def anchor(db):
    """Article 2 of Nansha's 2024 measures: fixed-asset investment ≥ 2亿 (20,000 万元) gets 10% of it, at most 1亿."""
    load_reference_data()
    policy = Policy.objects.create(
        title_zh="南沙扶持办法", level="district", source=SOURCE, status="published", effective_from=PERIOD_START
    )
    return Clause.objects.create(
        policy=policy,
        number="2",
        title_zh="龙头企业奖励",
        min_fixed_asset_investment_wan=D(20000),
        award_kind=AwardKind.PERCENTAGE,
        award_percent=D(10),
        award_basis=Measure.FIXED_ASSET_INVESTMENT,
        award_cap_wan=D(10000),
    )


def judged(clause):
    return {e.name_zh: r for e, r in eligibility.qualifying_for_clause(clause, today=TODAY)}


# --- the record ------------------------------------------------------------------------------------


def test_a_fact_refuses_bad_values_naming_the_field(db):
    company = enterprise("某公司")

    def problems(**fields):
        with pytest.raises(ValidationError) as caught:
            fact(company, **fields)
        return caught.value.message_dict

    assert "negative" in problems(kind="revenue", value=D(-1))["value"][0]
    assert "in 万元" in problems(kind="revenue")["value"][0]
    assert "whole number" in problems(kind="headcount", value=D("10.5"))["value"][0]
    assert "not “万美元”" in problems(kind="foreign_capital", value=D(100), unit="万美元")["unit"][0]
    assert "phase_2" in problems(kind="clinical_stage", code="phase_9")["code"][0]
    assert "code, not a number" in problems(kind="approval", code="device_class_3", value=D(1))["value"][0]
    assert "future" in problems(kind="revenue", value=D(1), as_of=TODAY + timedelta(days=1))["as_of"][0]
    revenue = fact(company, "revenue", D(12000), as_of=date(2024, 12, 31))
    assert revenue.unit == "万元" and str(revenue) == "revenue: 12,000 万元 (2024-12-31)"


def test_staff_keep_facts_inline_on_the_enterprise_with_history(admin_client, db):
    load_reference_data()
    company = enterprise("霖南基因")
    url = f"/admin/industry/enterprise/{company.pk}/change/"
    data = form_data(admin_client.get(url))
    data.update(
        {
            "facts-TOTAL_FORMS": "1",
            "facts-0-kind": "fixed_asset_investment",
            "facts-0-value": "30000",
            "facts-0-as_of": "2025-06-30",
            "facts-0-source": "企业报送",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    saved = company.facts.get()
    assert (saved.value, saved.unit) == (D(30000), "万元")
    assert saved.history.count() == 1 and saved.history.get().history_user.username == "admin"
    data = form_data(admin_client.get(url))
    data["facts-0-value"] = "-5"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and "negative" in refused.content.decode()
    assert admin_client.get(f"/admin/industry/enterprisefact/{saved.pk}/history/").status_code == 200


def test_facts_import_with_bad_rows_named_by_row_and_column(db, tmp_path, capsys):
    company = enterprise("霖南基因")
    enterprise("示例公司", credit_code="91440115MA9UKQ3X2L")
    good = tmp_path / "facts.csv"
    good.write_text(
        "enterprise,kind,value,unit,code,as_of,source\n"
        "霖南基因,revenue,12000,万元,,2024-12-31,2024 年报\n"
        "91440115MA9UKQ3X2L,approval,,,device_class_3,2025-03-01,NMPA 数据库\n",
        encoding="utf-8",
    )
    call_command("import_records", "facts", str(good), verbosity=0)
    assert company.facts.get().value == D(12000)
    assert EnterpriseFact.objects.get(code="device_class_3").enterprise.name_zh == "示例公司"

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "enterprise,kind,value,unit,code,as_of,source\n"
        "霖南基因,headcount,12.5,,,2025-06-30,走访\n"
        "霖南基因,foreign_capital,500,万美元,,2025-06-30,走访\n"
        "无此公司,revenue,lots,,,2024-12-31,年报\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", "facts", str(bad), verbosity=0)
    err = capsys.readouterr().err
    assert "Row 1, column value: A headcount is a whole number of people." in err
    assert "Row 2, column unit:" in err and "万美元" in err
    assert "Row 3, column enterprise: no enterprise “无此公司”" in err
    assert "Row 3, column value: “lots” is not a number" in err
    assert EnterpriseFact.objects.count() == 2


# --- 免申即享 judged on the facts ------------------------------------------------------------------------


def test_figures_on_record_make_an_enterprise_eligible_with_its_award(anchor):
    fact(enterprise("大投资公司"), "fixed_asset_investment", D(30000))  # 10% × 30,000 = 3,000 ≤ 10,000
    fact(enterprise("刚好两亿公司"), "fixed_asset_investment", D(20000))  # 2亿 exactly: 10% × 20,000 = 2,000
    fact(enterprise("小投资公司"), "fixed_asset_investment", D(5000))  # below 2亿: fails, left out
    rows = judged(anchor)
    assert set(rows) == {"大投资公司", "刚好两亿公司"}
    big = rows["大投资公司"]
    assert (big.status, big.award.amount_wan) == ("eligible", D(3000))
    assert big.award.arithmetic == "10% × ¥300,000,000 (as of 2025-06-30) = ¥30,000,000, under the ¥100,000,000 cap"
    assert [f.value for f in big.records] == [D(30000)]
    assert rows["刚好两亿公司"].award.amount_wan == D(2000)


def test_conditions_in_words_keep_the_list_at_possible_as_in_the_calculator(anchor):
    """The list and the calculator judge a clause alike: words the record cannot settle are never "eligible"."""
    anchor.other_conditions_zh = "厂房面积超过1000平方米"
    anchor.save()
    fact(enterprise("大投资公司"), "fixed_asset_investment", D(30000))
    row = judged(anchor)["大投资公司"]
    assert row.status == "possible" and row.award.amount_wan == D(3000)
    assert any("厂房面积超过1000平方米" in str(j.reason) for j in row.judgements)


def test_a_missing_figure_is_possible_naming_it_never_eligible(anchor):
    enterprise("无数据公司")
    row = judged(anchor)["无数据公司"]
    assert (row.status, row.missing) == ("possible", ["fixed-asset investment"])
    assert row.award.amount_wan is None and "not on record" in row.award.arithmetic


def test_a_figure_older_than_the_policy_period_is_named_as_too_old(anchor):
    company = enterprise("旧数据公司")
    fact(company, "fixed_asset_investment", D(30000), as_of=date(2023, 12, 31))  # before 2024-04-29
    row = judged(anchor)["旧数据公司"]
    assert row.status == "possible" and row.award.amount_wan is None
    assert row.missing == ["fixed-asset investment (the figure on record, as of 2023-12-31, is too old)"]
    assert "older than the policy's period (from 2024-04-29)" in row.judgements[0].reason
    fact(company, "fixed_asset_investment", D(30000), as_of=date(2024, 12, 31))  # a newer figure: counts
    assert judged(anchor)["旧数据公司"].status == "eligible"


def test_without_an_effective_date_the_period_starts_when_the_policy_was_published(anchor):
    Policy.objects.filter(pk=anchor.policy_id).update(effective_from=None, published_on=PERIOD_START)
    fact(enterprise("旧数据公司"), "fixed_asset_investment", D(40000), as_of=date(2023, 6, 30))
    clause = Clause.objects.get(pk=anchor.pk)
    assert judged(clause)["旧数据公司"].status == "possible"  # the real Nansha measures give only a publication day


def test_a_years_revenue_may_be_of_the_year_before_the_period(anchor):
    anchor.min_fixed_asset_investment_wan, anchor.min_revenue_wan = None, D(1000)
    anchor.save()
    company = enterprise("营收公司")
    fact(company, "fixed_asset_investment", D(30000))
    fact(company, "revenue", D(1500), as_of=date(2023, 12, 31))  # 上一年度 of a 2024 policy: current
    assert judged(anchor)["营收公司"].status == "eligible"
    EnterpriseFact.objects.filter(kind="revenue").update(as_of=date(2022, 12, 31))
    assert judged(anchor)["营收公司"].status == "possible"


def test_approvals_not_on_record_are_unknown_not_failed(anchor):
    anchor.required_approvals = ["device_class_3", "drug_manufacturing"]
    anchor.min_clinical_stage = "phase_2"
    anchor.save()
    company = enterprise("器械公司")
    fact(company, "fixed_asset_investment", D(30000))
    fact(company, "approval", code="device_class_3")
    fact(company, "clinical_stage", code="phase_3")
    row = judged(anchor)["器械公司"]
    assert row.status == "possible"
    assert row.missing == ["Drug manufacturing licence"]
    fact(company, "approval", code="drug_manufacturing")
    assert judged(anchor)["器械公司"].status == "eligible"


def test_the_list_runs_a_constant_number_of_queries(anchor, admin_client):
    def queries(n):
        for i in range(n):
            company = enterprise(f"企业{len(judged(anchor))}-{i}", segments=["gene-therapy"])
            fact(company, "fixed_asset_investment", D(30000))
            fact(company, "approval", code="device_class_3")
        url = f"/admin/policies/policy/clauses/{anchor.pk}/qualifying/"
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)


def test_public_pages_show_only_figures_from_public_sources(client, admin_client, anchor):
    company = enterprise("保密公司")
    fact(company, "revenue", D(987654), as_of=date(2024, 12, 31))  # from the company's own filing: staff-only
    fact(company, "headcount", D(1234), source_is_public=True, as_of=date(2024, 12, 31))  # an annual report
    for viewer in (client, admin_client):  # the public page is the same for staff
        page = viewer.get(f"/enterprises/{company.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "987" not in page
        assert "headcount: 1,234 人" in page and "as of 2024-12-31" in page
    api = client.get(f"/api/v1/enterprises/{company.pk}/").content.decode()
    assert "987" not in api


def test_one_enterprise_over_every_policy_runs_a_constant_number_of_queries(anchor):
    company = enterprise("大投资公司", segments=["gene-therapy"])
    fact(company, "fixed_asset_investment", D(30000))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            calculated = eligibility.calculate_for_enterprise(Enterprise.objects.get(pk=company.pk), today=TODAY)
        return len(captured), calculated

    few, calculated = queries()  # the enterprise with its segments, honours and facts, and the segment tree
    assert few == 11  # and the policies with their segments, honours, clauses and the clauses' ones
    assert [(r.clause.number, r.status, r.award.amount_wan) for r in calculated[0][1]] == [("2", "eligible", 3000)]
    for i in range(3):
        policy = Policy.objects.create(title_zh=f"另一办法{i}", level="district", source=SOURCE, status="published")
        for n in range(3):
            clause = Clause.objects.create(policy=policy, number=str(n), title_zh="条", min_headcount=10)
            clause.segments.set(company.segments.all())
    more, calculated = queries()
    assert more == few and len(calculated) == 4


def test_the_facts_list_and_its_import_are_in_the_admin(admin_client, db):
    fact(enterprise("霖南基因"), "revenue", D(12000), as_of=date(2024, 12, 31))
    listing = admin_client.get("/admin/industry/enterprisefact/")
    assert listing.status_code == 200 and "霖南基因" in listing.content.decode()
    assert admin_client.get("/admin/industry/enterprisefact/import/").status_code == 200
    assert (
        admin_client.get("/admin/industry/enterprisefact/?kind=revenue&source_is_public__exact=0").status_code == 200
    )
