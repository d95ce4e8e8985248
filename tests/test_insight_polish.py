"""/chain/, /dashboard/ and /match/ as a first visitor reads them (issue 21): lists of links end without a
separator, the dashboard opens with headline figures, the match page says what it did not work out."""

import re

import pytest
from django.utils import timezone

from industry.models import Enterprise

from .factories import enterprise, park, space

pytestmark = pytest.mark.django_db


def texts(html, tag):
    """The text of each <tag ...> element of `html` ("p class=..." for an opening with those attributes)."""
    name = tag.split()[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(rf"<{tag}[^>]*>(.*?)</{name}>", html, re.S)
    ]


def test_no_list_of_links_on_the_chain_page_ends_with_a_separator(client, demo):
    host = park("缺口园")
    enterprise("一家", segments=["car-t"], park=host)
    space(host, use="wet_lab", area=300)
    html = client.get("/chain/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    gaps = html[html.index('class="gaps"') :]
    cells = texts(gaps, "dd")
    assert cells and gaps.count('href="/hospitals/') >= 1  # gene therapy: one hospital and no institute
    assert [c for c in cells if re.search(r"[;；,，、]\s*$", c) or re.match(r"^\s*[;；,，、]", c)] == []


def test_headline_figures_equal_the_database_in_a_pinned_number_of_queries(demo, django_assert_num_queries):
    from datetime import timedelta
    from decimal import Decimal

    from django.db.models import Sum

    from industry.models import ClinicalProject, Enterprise
    from nansha.dashboard.selectors import headline_figures
    from parks.filters import offered_spaces
    from parks.models import Park
    from policies.models import Policy

    host = park("头条园")
    enterprise("细胞甲", segments=["car-t"], park=host)  # below cell therapy
    enterprise("基因乙", segments=["gene-therapy", "stem-cell"])  # on both: counted once
    enterprise("器械丙", segments=["reagents-consumables"])
    enterprise("草稿丁", segments=["car-t"], published=False)
    space(host, area=Decimal("1470.5"))
    space(host, area=300, published=False)
    expired = Policy.objects.filter(status="published").order_by("pk").first()
    Policy.objects.filter(pk=expired.pk).update(
        effective_from=None, effective_to=timezone.localdate() - timedelta(days=1)
    )
    with django_assert_num_queries(7):
        headlines = {h.key: h.value for h in headline_figures()}
    published = Enterprise.objects.filter(status="published")
    therapy = published.filter(
        segments__code__in=["cell-therapy", "car-t", "stem-cell", "other-immune-cell", "gene-therapy"]
    )
    today = timezone.localdate()
    assert headlines == {
        "enterprises": published.count(),
        "cell_gene_therapy": therapy.distinct().count(),
        "parks": Park.objects.filter(status="published").count(),
        "free_space": offered_spaces().filter(park__status="published").aggregate(a=Sum("usable_area_m2"))["a"],
        "policies": sum(p.in_force_on(today) for p in Policy.objects.filter(status="published")),
        "clinical_projects": ClinicalProject.objects.filter(status="published").count(),
    }
    assert headlines["cell_gene_therapy"] >= 2 and headlines["free_space"] == Decimal("1470.5")


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Enterprises", "Cell and gene therapy firms", "Parks", "Free space", "Policies in force"]),
        ("zh-hans", ["企业", "细胞与基因治疗企业", "园区", "可租空间", "现行有效政策", "临床项目"]),
    ],
)
def test_the_dashboard_opens_with_the_headline_figures_in_the_page_language(client, demo, language, labels):
    host = park("头条园")
    space(host, area=12500)
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    block = html[html.index('class="headlines"') : html.index('class="charts"')]
    for label in labels:
        assert f'<span class="label">{label}</span>' in block
    assert "12,500" in block and "m²" in block


def test_a_chart_of_the_top_parks_says_how_many_it_leaves_out(client, demo):
    Enterprise.objects.filter(park__isnull=False).delete()  # the reports' firms in their parks: counted apart
    for n in range(17):
        enterprise(f"企{n}", park=park(f"排名园{n:02d}"))
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The chart shows the top 15 of 17 parks; the table lists them all." in html
    table = html[html.index('data-figure="park"') :]
    assert table[: table.index("</table>")].count("<tr>") == 17 + 1  # the table keeps every park


def policy(title, **fields):
    from policies.models import Policy

    return Policy.objects.create(title_zh=title, source="test fixture", status="published", level="district", **fields)


NEEDS = {"segments": "car-t", "use": "wet_lab", "area_min": "100", "area_max": "400", "ownership": "private"}


def test_a_policy_whose_amount_is_not_worked_out_says_so_never_up_to_0(client, demo):
    from decimal import Decimal

    policy("无金额政策")  # no clauses, no maximum
    policy("小额政策", max_amount_wan=Decimal("0.30"))
    html = client.get("/match/", NEEDS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert not re.search(r"up to 0 ", text) and "up to 0 (" not in text
    first = text[text.index("无金额政策") :][:120]
    assert "the amount is not worked out" in first
    assert "up to ¥3,000" in text[text.index("小额政策") :][:80]


def test_the_distance_note_says_what_distances_are_measured_from(client, demo):
    host = park("测距园", lat=22.70, lng=113.60)
    space(host, use="wet_lab", area=300)
    html = client.get("/match/", NEEDS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    note = texts(html, 'p class="provenance" data-anchor')
    assert note == [
        "Distances are measured from 测距园, the best-ranked park with a known position "
        "(positions may be approximate)."
    ]
    nothing = client.get("/match/", {**NEEDS, "use": "warehouse"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spaces that fit" in nothing and 'class="space-match"' not in nothing
    [note] = texts(nothing, 'p class="provenance" data-anchor')
    assert "best-ranked" not in note
    assert note.startswith("No space matched, so distances are measured from a fixed point in central Nansha (22.80")


def test_policies_not_eligible_are_folded_after_the_useful_ones_with_their_number(client, demo):
    html = client.get("/match/", {**NEEDS, "ownership": "foreign"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    brief = html[html.index('class="brief"') :]
    failing = brief.count('class="policy-match status-not_eligible"')
    assert failing >= 1
    folded = brief[brief.index('<details class="not-eligible">') :]
    folded = folded[: folded.index("</details>")]
    assert folded.count('class="policy-match status-not_eligible"') == failing  # every one, inside
    summary = texts(folded, "summary")[0]
    assert summary == (f"{failing} policies not eligible" if failing > 1 else "1 policy not eligible")
    before = brief[: brief.index('<details class="not-eligible">')]
    assert 'policy-match status-not_eligible"' not in before
    if 'status-eligible"' in brief or 'status-possible"' in brief:
        assert 'class="policy-match status-' in before  # the useful ones come first
