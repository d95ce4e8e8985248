"""Synthetic data for scale tests: reproducible from a seed and labelled synthetic everywhere.

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

from industry.models import ChainSegment, Enterprise, Honour, OwnershipKind, SizeBand
from nansha.datasets.reference_data import load_reference_data
from nansha.records.models import PublicationStatus
from nansha.records.pinyin import pinyin_key
from nansha.records.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from parks.models import CleanroomGrade, Park, ParkKind, Space, SpaceStatus, SpaceUse
from policies.models import Policy, PolicyLevel, SupportKind

SYNTHETIC_SOURCE = "合成数据 Synthetic data"
NANSHA_BOX = (22.60, 22.95, 113.35, 113.70)  # min lat, max lat, min lng, max lng
BAY_AREA_BOX = (22.20, 23.60, 112.80, 114.50)
BATCH = 5000
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


def _parks(rnd, count, seed, today):
    parks = []
    for i in range(1, count + 1):
        lat, lng = _in_box(rnd, NANSHA_BOX)
        parks.append(
            Park(
                name_zh=f"示例园区 {i:03d}",
                name_pinyin=pinyin_key(f"示例园区 {i:03d}"),
                name_en=f"Sample park {i:03d}",
                description_zh="合成数据, 仅供测试。",
                description_en="Synthetic data for testing only.",
                kind=rnd.choice(ParkKind.values),
                lat=lat,
                lng=lng,
                total_floor_area_m2=Decimal(rnd.randrange(20_000, 400_000, 1000)),
                status=PublicationStatus.PUBLISHED,
                **_tracked(seed, today),
            )
        )
    for park in parks:
        park.refresh_search_fields(pinyin=False)  # bulk_create skips save()
    return Park.objects.bulk_create(parks)


def _spaces(rnd, parks, seed, today):
    spaces = []
    for park in parks:
        for _ in range(rnd.randint(2, 6)):
            use = rnd.choice(SpaceUse.values)
            spaces.append(
                Space(
                    park=park,
                    building=f"{rnd.choice('ABCDEF')}栋",
                    floor=f"{rnd.randint(1, 12)}F",
                    use=use,
                    usable_area_m2=Decimal(rnd.randrange(100, 5000, 10)),
                    cleanroom_grade=rnd.choice(CleanroomGrade.values) if use == SpaceUse.GMP_PRODUCTION else "",
                    floor_load_kn_m2=Decimal(rnd.choice([3, 5, 8, 10, 15])),
                    ceiling_height_m=Decimal(rnd.choice(["3.6", "4.5", "5.4", "6.0", "8.0"])),
                    rent_yuan_m2_month=Decimal(rnd.randrange(30, 150)),
                    available_from=today + timedelta(days=rnd.randint(-60, 240)),
                    availability=rnd.choices(SpaceStatus.values, weights=[6, 2, 2])[0],
                    status=PublicationStatus.PUBLISHED,
                    **_tracked(seed, today),
                )
            )
    return Space.objects.bulk_create(spaces)


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


def _enterprise(rnd, i, seed, today, parks):
    park = rnd.choice(parks) if rnd.random() < 0.6 else None
    if park is not None:
        lat, lng = round(park.lat + rnd.gauss(0, 0.004), 6), round(park.lng + rnd.gauss(0, 0.004), 6)
    else:
        lat, lng = _in_box(rnd, NANSHA_BOX if rnd.random() < 0.5 else BAY_AREA_BOX)
    name_zh = f"示例生物医药企业 {i:06d}"
    enterprise = Enterprise(
        name_zh=name_zh,
        name_pinyin=f"{SAMPLE_ENTERPRISE_PINYIN[0]}{i:06d} {SAMPLE_ENTERPRISE_PINYIN[1]}",
        name_en=f"Sample Biomedical Co. {i:06d}",
        description_zh="合成数据, 仅供测试。",
        description_en="Synthetic data for testing only.",
        credit_code=synthetic_credit_code(i),
        founded_on=date(1995, 1, 1) + timedelta(days=rnd.randrange(0, 30 * 365)),
        registered_capital_wan=Decimal(rnd.randrange(10, 100_000)),
        ownership=rnd.choices(OwnershipKind.values, weights=[60, 10, 5, 12, 10, 3])[0],
        size_band=rnd.choices(SizeBand.values, weights=[40, 35, 18, 7])[0],
        registered_in_nansha=rnd.choice([True, True, False, None]),
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

    segment_link, honour_link = Enterprise.segments.through, Enterprise.honours.through
    for start in range(1, enterprises + 1, BATCH):
        stop = min(start + BATCH, enterprises + 1)
        batch = Enterprise.objects.bulk_create([_enterprise(rnd, i, seed, today, parks) for i in range(start, stop)])
        links, titles = [], []
        for enterprise in batch:
            links += [
                segment_link(enterprise_id=enterprise.pk, chainsegment_id=s.pk)
                for s in rnd.sample(leaves, rnd.randint(1, 2))
            ]
            titles += [
                honour_link(enterprise_id=enterprise.pk, honour_id=h.pk)
                for h in rnd.sample(honours, rnd.choice([0, 0, 1, 2]))
            ]
        segment_link.objects.bulk_create(links)
        honour_link.objects.bulk_create(titles)
        if progress:
            progress(len(batch))
    return {"enterprises": enterprises, "parks": len(parks), "spaces": len(spaces), "policies": 20}
