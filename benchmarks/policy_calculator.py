"""`make bench` for the policy calculator: one enterprise over every policy and clause, and 免申即享 (who qualifies
for a clause) over every published enterprise, each beside a baseline written the common way in the same run.

The baselines call the same judging code on records fetched as they are needed (no prefetching), as a first
version of such a page would: a query per clause for its segments and honours, per enterprise for its facts.
The figures are synthetic (source 合成数据 Synthetic data), seeded by `seed_facts` after `generate_synthetic`.
"""

import random
from datetime import date
from decimal import Decimal

from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone

from industry.models import Enterprise, EnterpriseFact
from industry.selectors import segment_tree
from nansha.datasets.public_reports import NINE
from policies import eligibility
from policies.models import Clause, Policy

SYNTHETIC_SOURCE = "合成数据 Synthetic data"


def seed_facts(seed=1):
    """Synthetic figures for every synthetic enterprise: fixed-asset investment, revenue, headcount; an approval for
    one in five. Dates around the real policies' periods, so that some figures are too old."""
    rnd = random.Random(seed)
    EnterpriseFact.objects.filter(source=SYNTHETIC_SOURCE).delete()
    rows = []
    for pk in Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE).values_list("pk", flat=True).iterator():
        as_of = rnd.choice([date(2023, 12, 31), date(2024, 12, 31), date(2025, 6, 30)])
        for kind, value in (
            ("fixed_asset_investment", rnd.randrange(500, 60000)),
            ("revenue", rnd.randrange(100, 80000)),
            ("headcount", rnd.randrange(5, 3000)),
        ):
            rows.append(
                EnterpriseFact(
                    enterprise_id=pk,
                    kind=kind,
                    value=Decimal(value),
                    unit="人" if kind == "headcount" else "万元",
                    as_of=as_of,
                    source=SYNTHETIC_SOURCE,
                )
            )
        if rnd.random() < 0.2:
            rows.append(
                EnterpriseFact(
                    enterprise_id=pk, kind="approval", code="device_class_3", as_of=as_of, source=SYNTHETIC_SOURCE
                )
            )
    EnterpriseFact.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _sample_enterprise():
    return Enterprise.objects.published().filter(facts__isnull=False).aggregate(pk=Min("pk"))["pk"]


def _article_2():
    return Clause.objects.select_related("policy").get(policy__title_zh=NINE, number="2")


def calculator(request):
    """Ours: one enterprise judged on every published policy and clause (policies.eligibility)."""
    enterprise = Enterprise.objects.get(pk=_sample_enterprise())
    calculated = eligibility.calculate_for_enterprise(enterprise)
    return JsonResponse({"clauses": sum(len(results) for _policy, results in calculated)})


def calculator_baseline(request):
    """The common way: the same judging, relations fetched as each policy and clause asks for them."""
    today = timezone.localdate()
    enterprise = Enterprise.objects.get(pk=_sample_enterprise())
    facts = list(enterprise.facts.all())
    count = 0
    for policy in Policy.objects.published().order_by("-issued_on", "-published_on", "title_zh", "pk"):
        profile = eligibility.profile_of_enterprise(
            enterprise, facts=facts, since=eligibility.facts_period_start(policy)
        )
        count += len(eligibility.calculate_policy(policy, profile, today=today))
    return JsonResponse({"clauses": count})


def qualifying(request):
    """Ours: 免申即享 for article 2 of Nansha's 2024 measures over every published enterprise."""
    rows = eligibility.qualifying_for_clause(_article_2())
    return JsonResponse({"rows": len(rows)})


def qualifying_baseline(request):
    """The common way: each enterprise's segments, honours and facts fetched as it is judged."""
    clause, today = _article_2(), timezone.localdate()
    since = eligibility.facts_period_start(clause.policy)
    _segments, by_id = segment_tree()
    rows = 0
    for enterprise in Enterprise.objects.published().order_by("name_zh", "pk"):
        profile = eligibility.profile_of_enterprise(enterprise, by_id, facts=enterprise.facts.all(), since=since)
        judged = eligibility.judge_in_force(clause.policy, today) + eligibility.judge_policy(
            clause.policy, profile, today=today
        )
        own = eligibility.judge_clause(clause, profile, today=today)
        eligibility.compute_award(clause, profile)
        rows += eligibility.policy_status([*judged, *own]) != eligibility.NOT_ELIGIBLE
    return JsonResponse({"rows": rows})
