"""Reference vocabularies: the industry chain tree, honours, support kinds and investment stages.

These are classifications, not facts about any organisation, so they carry no source. They are
loaded by `load_demo` and `generate_synthetic`, and staff may extend them in the admin.
"""

from django.db import transaction

from industry.models import ChainSegment, ChainStage, Honour, InvestmentStage
from policies.models import SupportKind

UP, MID, DOWN = ChainStage.UPSTREAM, ChainStage.MIDSTREAM, ChainStage.DOWNSTREAM

# (code, name_zh, name_en, stage, parent code)
CHAIN_SEGMENTS = [
    ("raw-materials-equipment", "原料与设备", "Raw materials and equipment", UP, None),
    ("reagents-consumables", "试剂与耗材", "Reagents and consumables", UP, "raw-materials-equipment"),
    ("bioprocess-equipment", "生物工艺设备", "Bioprocess equipment", UP, "raw-materials-equipment"),
    ("plasmid-viral-vector-cdmo", "质粒与病毒载体CDMO", "Plasmid and viral-vector CDMO", UP, None),
    ("preclinical-cro", "研发外包与临床前服务", "R&D outsourcing and preclinical services", UP, None),
    ("cell-therapy", "细胞治疗", "Cell therapy", MID, None),
    ("car-t", "CAR-T细胞治疗", "CAR-T cell therapy", MID, "cell-therapy"),
    ("stem-cell", "干细胞治疗", "Stem-cell therapy", MID, "cell-therapy"),
    ("other-immune-cell", "其他免疫细胞治疗", "Other immune-cell therapies", MID, "cell-therapy"),
    ("gene-therapy", "基因治疗", "Gene therapy", MID, None),
    ("innovative-drugs", "创新药", "Innovative drugs", MID, None),
    ("medical-devices", "医疗器械", "Medical devices", MID, None),
    ("diagnostics", "体外诊断与基因检测", "In-vitro diagnostics and genetic testing", MID, None),
    ("clinical-research-services", "临床研究服务", "Clinical research services", DOWN, None),
    ("medical-services", "医疗服务", "Medical services", DOWN, None),
    ("health-services", "健康管理与康复", "Health management and rehabilitation", DOWN, None),
]

# Other words people search a segment by (ChainSegment.synonyms): common Chinese and English terms of the
# field and abbreviations in general use; the search finds the records on the segment and below it.
SEGMENT_SYNONYMS = {
    "plasmid-viral-vector-cdmo": ["质粒", "病毒载体", "viral vector", "CDMO", "AAV", "慢病毒", "lentivirus"],
    "preclinical-cro": ["CRO", "临床前", "preclinical"],
    "cell-therapy": ["细胞疗法", "cell therapy", "cell therapies", "CGT", "细胞和基因治疗"],
    "car-t": ["CAR-T", "CAR T", "CART", "嵌合抗原受体T细胞", "chimeric antigen receptor T cell"],
    "stem-cell": ["干细胞", "stem cell", "stem cells", "MSC", "间充质干细胞", "mesenchymal stem cell"],
    "other-immune-cell": ["NK细胞", "TCR-T", "TIL", "NK cell", "immune cell therapy"],
    "gene-therapy": ["基因疗法", "gene therapy", "基因编辑", "gene editing", "CGT", "细胞和基因治疗"],
    "innovative-drugs": ["新药", "new drugs", "生物药", "biologics"],
    "medical-devices": ["器械", "medical device", "医疗设备"],
    "diagnostics": ["IVD", "体外诊断", "基因检测", "genetic testing", "诊断试剂"],
    "clinical-research-services": ["CRO", "SMO", "临床试验", "clinical trials"],
}

HONOURS = [
    ("high-tech", "高新技术企业", "High-tech enterprise"),
    ("tech-sme", "科技型中小企业", "Technology-based SME"),
    ("specialised-sme", "专精特新中小企业", "Specialised and innovative SME"),
    ("little-giant", "专精特新“小巨人”企业", "Specialised and innovative “little giant”"),
]

SUPPORT_KINDS = [
    ("funding", "资金扶持", "Funding"),
    ("rent-relief", "租金减免", "Rent relief"),
    ("talent", "人才支持", "Talent support"),
    ("market-access", "市场准入", "Market access"),
    ("fast-track", "审评审批加速", "Fast-track approval"),
    ("finance", "金融支持", "Finance"),
]

INVESTMENT_STAGES = [
    ("seed", "种子轮", "Seed"),
    ("angel", "天使轮", "Angel"),
    ("series-a", "A轮", "Series A"),
    ("series-b", "B轮", "Series B"),
    ("series-c-plus", "C轮及以后", "Series C and later"),
    ("pre-ipo", "Pre-IPO", "Pre-IPO"),
    ("buyout", "并购", "Buy-out"),
]


@transaction.atomic
def load_reference_data():
    """Create the vocabularies that are missing; leave existing rows (and staff edits) alone.

    Returns the number of rows created.
    """
    created = 0
    for order, (code, zh, en, stage, parent_code) in enumerate(CHAIN_SEGMENTS):
        parent = ChainSegment.objects.get(code=parent_code) if parent_code else None
        synonyms = SEGMENT_SYNONYMS.get(code, [])
        segment, new = ChainSegment.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "stage": stage,
                "parent": parent,
                "sort_order": order,
                "synonyms": synonyms,
            },
        )
        if not new and synonyms and not segment.synonyms:  # a segment made before synonyms existed
            segment.synonyms = synonyms
            segment.save(update_fields=["synonyms"])
        created += new
    for model, rows in ((Honour, HONOURS), (SupportKind, SUPPORT_KINDS), (InvestmentStage, INVESTMENT_STAGES)):
        has_order = any(f.name == "sort_order" for f in model._meta.fields)
        for order, (code, zh, en) in enumerate(rows):
            defaults = {"name_zh": zh, "name_en": en, **({"sort_order": order} if has_order else {})}
            created += model.objects.get_or_create(code=code, defaults=defaults)[1]
    return created
