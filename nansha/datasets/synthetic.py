"""Synthetic data for scale tests and demonstrations: reproducible from a seed and labelled synthetic everywhere.

It is shaped like a city, not a grid: parks sit around a few town centres, most enterprises within a
few km of a park (parks with more floor area draw more of them), fewer around the town centres and a
long tail across the Bay Area; park floor areas and enterprises' registered capital are drawn from
skewed (log-normal) distributions, founding years lean towards recent years, most firms hold no
honour, and spaces of every use have areas and rents in the range of their use. None of it is real.

Every name carries 示例 / Sample, every record's source says it is synthetic, and credit codes
use the area code 000000, which no real registration authority issues, so no synthetic code can
be a real company's.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from industry.models import ChainSegment, Enterprise, Fund, FundKind, Honour, InvestmentStage, OwnershipKind, SizeBand
from nansha.datasets.reference_data import load_reference_data
from nansha.records.models import PublicationStatus
from nansha.records.pinyin import pinyin_key
from nansha.records.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from parks.models import CleanroomGrade, DevelopmentStatus, Park, ParkKind, Space, SpaceStatus, SpaceUse
from policies.models import Policy, PolicyLevel, SupportKind

SYNTHETIC_SOURCE = "合成数据 Synthetic data"
NANSHA_BOX = (22.60, 22.95, 113.35, 113.70)  # min lat, max lat, min lng, max lng
BAY_AREA_BOX = (22.20, 23.60, 112.80, 114.50)
BATCH = 5000
KM_LAT, KM_LNG = 1 / 111.0, 1 / 102.5  # degrees per km at 22.8°N
# Where the sample's parks and firms gather: rough centres of Nansha's towns (WGS-84, approximate, chosen by
# hand for the sample's shape; they are not used as facts anywhere), with a weight for how much gathers there.
SAMPLE_CENTRES = [
    (22.745, 113.520, 5),  # Hengli
    (22.772, 113.609, 4),  # Huangge
    (22.800, 113.560, 4),  # Nansha street
    (22.705, 113.600, 2),  # Zhujiang street
    (22.685, 113.545, 1),  # Wanqingsha
    (22.800, 113.420, 2),  # Dagang
    (22.850, 113.470, 1),  # Lanhe
    (22.890, 113.460, 3),  # Dongchong
]
# Space uses: (weight, usable area m² (median, spread), rent yuan/m²/month (low, high)).
SPACE_SHAPES = {
    SpaceUse.OFFICE: (5, (300, 0.8), (35, 90)),
    SpaceUse.WET_LAB: (3, (500, 0.6), (55, 130)),
    SpaceUse.PILOT_PLANT: (1, (1500, 0.5), (40, 85)),
    SpaceUse.GMP_PRODUCTION: (2, (2500, 0.6), (45, 95)),
    SpaceUse.WAREHOUSE: (1, (800, 0.7), (18, 40)),
}
# bulk_create skips save(), so the pinyin search key is built here; the prefix is the same for all.
SAMPLE_ENTERPRISE_PINYIN = tuple(pinyin_key("示例生物医药企业").split())


def synthetic_credit_code(index):
    """A well-formed code with area code 000000 (issued to nobody), unique per index."""
    digits = []
    for _ in range(9):
        index, rest = divmod(index, 31)
        digits.append(CREDIT_CODE_ALPHABET[rest])
    first17 = "91000000" + "".join(reversed(digits))
    return first17 + credit_code_check_character(first17)


def _in_box(rnd, box):
    return round(rnd.uniform(box[0], box[1]), 6), round(rnd.uniform(box[2], box[3]), 6)


def _tracked(seed, today):
    return {"source": f"{SYNTHETIC_SOURCE} (generate_synthetic --seed {seed})", "verified_on": today}


def delete_synthetic():
    """Remove every synthetic record (they are recognised by their source).

    Synthetic data is a generated load, not staff work: as its creation by bulk_create, its removal
    is not written to the history (an entry per record made replacing 20,000 enterprises take 84 s
    instead of 9 s).
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        _delete_synthetic()


def _delete_synthetic():
    synthetic = {"source__startswith": SYNTHETIC_SOURCE}
    enterprises = Enterprise.objects.filter(**synthetic)
    for through in (Enterprise.segments.through, Enterprise.honours.through):
        through.objects.filter(enterprise__in=enterprises).delete()
    enterprises.delete()
    Space.objects.filter(**synthetic).delete()
    Park.objects.filter(**synthetic).delete()
    Policy.objects.filter(**synthetic).delete()
    Fund.objects.filter(**synthetic).delete()


def _near(rnd, lat, lng, km):
    """A point around (lat, lng), normally spread with `km` standard deviation, rounded to 6 decimals."""
    return round(lat + rnd.gauss(0, km) * KM_LAT, 6), round(lng + rnd.gauss(0, km) * KM_LNG, 6)


def _clamp(point, box):
    return min(max(point[0], box[0]), box[1]), min(max(point[1], box[2]), box[3])


def _parks(rnd, count, seed, today):
    parks = []
    centres = [(lat, lng) for lat, lng, _w in SAMPLE_CENTRES]
    weights = [w for _lat, _lng, w in SAMPLE_CENTRES]
    for i in range(1, count + 1):
        lat, lng = _clamp(_near(rnd, *rnd.choices(centres, weights)[0], 2.0), NANSHA_BOX)
        area = min(2_000_000, max(3000, round(rnd.lognormvariate(10.8, 0.9), -2)))  # median ~49,000 m²
        parks.append(
            Park(
                name_zh=f"示例园区 {i:03d}",
                name_pinyin=pinyin_key(f"示例园区 {i:03d}"),
                name_en=f"Sample park {i:03d}",
                description_zh="合成数据, 仅供测试。",
                description_en="Synthetic data for testing only.",
                kind=rnd.choices(ParkKind.values, weights=[6, 3, 1])[0],
                development_status=rnd.choices(DevelopmentStatus.values, weights=[7, 2, 1])[0],
                lat=lat,
                lng=lng,
                total_floor_area_m2=Decimal(area),
                status=PublicationStatus.PUBLISHED,
                **_tracked(seed, today),
            )
        )
    for park in parks:
        park.refresh_search_fields(pinyin=False)  # bulk_create skips save()
    return Park.objects.bulk_create(parks)


def _spaces(rnd, parks, seed, today):
    """Two to six spaces a park, of every use, each with an area and a rent in its use's range."""
    spaces, uses = [], list(SPACE_SHAPES)
    for park in parks:
        for n in range(rnd.randint(2, 6)):
            use = (
                uses[n]
                if n < len(uses) and rnd.random() < 0.3
                else rnd.choices(uses, [w for w, *_ in SPACE_SHAPES.values()])[0]
            )
            _weight, (median, spread), (low, high) = SPACE_SHAPES[use]
            area = min(20_000, max(30, round(median * rnd.lognormvariate(0, spread), -1)))
            spaces.append(
                Space(
                    park=park,
                    building=f"{rnd.choice('ABCDEF')}栋",
                    floor=f"{rnd.randint(1, 3 if use in (SpaceUse.PILOT_PLANT, SpaceUse.WAREHOUSE) else 12)}F",
                    use=use,
                    usable_area_m2=Decimal(area),
                    cleanroom_grade=rnd.choice(CleanroomGrade.values) if use == SpaceUse.GMP_PRODUCTION else "",
                    floor_load_kn_m2=Decimal(
                        rnd.choice([3, 5]) if use == SpaceUse.OFFICE else rnd.choice([5, 8, 10, 15])
                    ),
                    ceiling_height_m=Decimal(
                        rnd.choice(["3.6", "4.5"])
                        if use == SpaceUse.OFFICE
                        else rnd.choice(["4.5", "5.4", "6.0", "8.0"])
                    ),
                    rent_yuan_m2_month=Decimal(rnd.randint(low, high)),
                    available_from=today + timedelta(days=rnd.randint(-60, 240)),
                    availability=rnd.choices(SpaceStatus.values, weights=[6, 2, 2])[0],
                    status=PublicationStatus.PUBLISHED,
                    **_tracked(seed, today),
                )
            )
    return Space.objects.bulk_create(spaces)


def _funds(rnd, count, seed, today, segments):
    stages = list(InvestmentStage.objects.all())
    for i in range(1, count + 1):
        kind = rnd.choices(FundKind.values, weights=[6, 3, 1])[0]
        lat, lng = _clamp(_near(rnd, *rnd.choice(SAMPLE_CENTRES)[:2], 1.5), NANSHA_BOX)
        fund = Fund(
            name_zh=f"示例基金 {i:02d}",
            name_en=f"Sample fund {i:02d}",
            description_zh="合成数据, 仅供测试。",
            description_en="Synthetic data for testing only.",
            kind=kind,
            fund_size_wan=Decimal(round(rnd.lognormvariate(11, 1.0), -2)) if kind == FundKind.FUND else None,
            lat=lat,
            lng=lng,
            status=PublicationStatus.PUBLISHED,
            **_tracked(seed, today),
        )
        fund.full_clean()
        fund.save()
        if stages:
            fund.stages.set(rnd.sample(stages, rnd.randint(1, min(3, len(stages)))))
        fund.focus_segments.set(rnd.sample(segments, rnd.randint(1, 3)))
    return count


def _policies(rnd, count, seed, today, segments, honours):
    support_kinds = list(SupportKind.objects.all())
    for i in range(1, count + 1):
        lo = rnd.choice([None, None, 1, 2])
        start = today - timedelta(days=rnd.randint(30, 900))
        policy = Policy.objects.create(
            title_zh=f"示例政策 {i:02d}",
            title_en=f"Sample policy {i:02d}",
            summary_zh="合成数据, 仅供测试。",
            summary_en="Synthetic data for testing only.",
            level=rnd.choice(PolicyLevel.values),
            issued_on=start,
            effective_from=start,
            effective_to=start + timedelta(days=rnd.choice([365, 730, 1095])),
            max_amount_wan=Decimal(rnd.choice([50, 100, 300, 500, 1000])),
            min_years_since_founding=lo,
            max_years_since_founding=rnd.choice([None, 5, 10]) if lo is None else lo + rnd.choice([5, 10]),
            eligible_ownership_kinds=rnd.sample(OwnershipKind.values, rnd.choice([0, 0, 2, 3])),
            eligible_size_bands=rnd.sample(SizeBand.values, rnd.choice([0, 0, 2])),
            requires_nansha_registration=rnd.random() < 0.5,
            status=PublicationStatus.PUBLISHED,
            **_tracked(seed, today),
        )
        policy.support_kinds.set(rnd.sample(support_kinds, rnd.randint(1, 2)))
        policy.target_segments.set(rnd.sample(segments, rnd.randint(1, 3)))
        policy.required_honours.set(rnd.sample(honours, rnd.choice([0, 0, 1])))


def _enterprise(rnd, i, seed, today, parks, park_weights):
    """One sample enterprise: 75% within a few km of a park (bigger parks draw more), 15% around a town centre,
    10% anywhere in the Bay Area (the long tail)."""
    where = rnd.random()
    park = None
    if where < 0.75:
        near = rnd.choices(parks, cum_weights=park_weights)[0]
        km = rnd.expovariate(1 / 0.6) if rnd.random() < 0.8 else rnd.expovariate(1 / 2.5)  # mostly inside or next door
        lat, lng = _near(rnd, near.lat, near.lng, km)
        park = near if km < 0.8 and rnd.random() < 0.85 else None
    elif where < 0.90:
        lat, lng = _near(rnd, *rnd.choices([c[:2] for c in SAMPLE_CENTRES], [c[2] for c in SAMPLE_CENTRES])[0], 2.5)
    else:
        lat, lng = _in_box(rnd, NANSHA_BOX if rnd.random() < 0.5 else BAY_AREA_BOX)
    lat, lng = _clamp((lat, lng), BAY_AREA_BOX)
    capital = min(10_000_000, max(3, round(rnd.lognormvariate(6.2, 1.6))))  # 万元, median ~500
    band = SizeBand.MICRO if capital < 100 else SizeBand.SMALL if capital < 2000 else SizeBand.MEDIUM
    band = SizeBand.LARGE if capital > 50_000 else band
    year = 2025 - min(30, int(rnd.expovariate(1 / 7)))  # more young firms than old ones
    name_zh = f"示例生物医药企业 {i:06d}"
    enterprise = Enterprise(
        name_zh=name_zh,
        name_pinyin=f"{SAMPLE_ENTERPRISE_PINYIN[0]}{i:06d} {SAMPLE_ENTERPRISE_PINYIN[1]}",
        name_en=f"Sample Biomedical Co. {i:06d}",
        description_zh="合成数据, 仅供测试。",
        description_en="Synthetic data for testing only.",
        credit_code=synthetic_credit_code(i),
        founded_on=date(year, 1, 1) + timedelta(days=rnd.randrange(0, 365)),
        registered_capital_wan=Decimal(capital),
        ownership=rnd.choices(OwnershipKind.values, weights=[60, 10, 5, 12, 10, 3])[0],
        size_band=band,
        registered_in_nansha=rnd.choices([True, False, None], weights=[6, 2, 2])[0],
        park=park,
        lat=lat,
        lng=lng,
        position_is_approximate=True,
        status=PublicationStatus.PUBLISHED if rnd.random() < 0.95 else PublicationStatus.DRAFT,
        **_tracked(seed, today),
    )
    enterprise.refresh_search_fields(pinyin=False)  # bulk_create skips save(); the pinyin is set above
    return enterprise


@transaction.atomic
def generate_synthetic(*, enterprises, seed, progress=None):
    """Replace any synthetic data with a fresh set of `enterprises` enterprises drawn from `seed`.

    `progress` is called with the number of enterprises written after each batch.
    Returns the counts created per kind of record.
    """
    rnd = random.Random(seed)
    today = timezone.localdate()
    load_reference_data()
    delete_synthetic()
    leaves = list(ChainSegment.objects.filter(children__isnull=True).order_by("code"))
    honours = list(Honour.objects.order_by("code"))
    parks = _parks(rnd, max(10, min(300, enterprises // 400)), seed, today)
    spaces = _spaces(rnd, parks, seed, today)
    _policies(rnd, 20, seed, today, leaves, honours)
    funds = _funds(rnd, max(5, min(60, enterprises // 500)), seed, today, leaves)
    park_weights, total = [], 0.0
    for park in parks:  # cumulative: a park draws firms in proportion to its floor area
        total += float(park.total_floor_area_m2)
        park_weights.append(total)
    segment_weights = [1.0 / (rank + 1) for rank in range(len(leaves))]  # a few segments hold most firms
    rnd.shuffle(segment_weights)

    segment_link, honour_link = Enterprise.segments.through, Enterprise.honours.through
    for start in range(1, enterprises + 1, BATCH):
        stop = min(start + BATCH, enterprises + 1)
        batch = Enterprise.objects.bulk_create(
            [_enterprise(rnd, i, seed, today, parks, park_weights) for i in range(start, stop)]
        )
        links, titles = [], []
        for enterprise in batch:
            links += [
                segment_link(enterprise_id=enterprise.pk, chainsegment_id=s.pk)
                for s in set(rnd.choices(leaves, segment_weights, k=rnd.choices([1, 2, 3], [6, 3, 1])[0]))
            ]
            titles += [
                honour_link(enterprise_id=enterprise.pk, honour_id=h.pk)
                for h in rnd.sample(honours, rnd.choices([0, 1, 2], [75, 20, 5])[0])
            ]
        segment_link.objects.bulk_create(links)
        honour_link.objects.bulk_create(titles)
        if progress:
            progress(len(batch))
    return {"enterprises": enterprises, "parks": len(parks), "spaces": len(spaces), "policies": 20, "funds": funds}
