"""Loading the real policies and clauses of public_reports.json (public web pages, compiled 2026-11-29).

Only what a source states is loaded: each policy and clause keeps the pages it was read from, and
what the sources leave out says so (Policy.completeness_note, Clause.is_complete and award notes).
Loading is idempotent and never overwrites staff edits: a policy already on record (by title, or
the article's record of the same document) is left as it is except that blank fields are filled
the first time its clauses are added; a clause already on record (by policy and number) is left alone.
"""

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from industry.models import ChainSegment, OwnershipKind
from nansha.records.models import PublicationStatus
from policies.models import AwardKind, Clause, Measure, Policy, PolicyLevel, SupportKind

DATA = Path(__file__).with_name("public_reports.json")
COMPILED_ON = date(2026, 11, 29)  # when the pages were read (meta.compiled)
LEVELS = {"national": PolicyLevel.NATIONAL, "provincial": PolicyLevel.PROVINCIAL, "city": PolicyLevel.MUNICIPAL}
LEVELS["district"] = PolicyLevel.DISTRICT

# The article's record of the same document, under its shorter title (nansha.datasets.demo_data).
SAME_AS = {
    "国家发展改革委 商务部 市场监管总局关于支持广州南沙放宽市场准入与加强监管体制改革的意见": (
        "关于支持广州南沙放宽市场准入与加强监管体制改革的意见"
    ),
}
# Support kinds named in a policy's title (the only structured reading of kind the sources allow).
TITLE_KINDS = {"放宽市场准入": "market-access"}

# Conditions the source states that fit the structured fields, by (policy title, clause number).
# Anything else the source says stays in the clause's other conditions, shown but not judged.
NINE = "广州南沙促进生物医药产业高质量发展扶持办法"
ACCESS = "国家发展改革委 商务部 市场监管总局关于支持广州南沙放宽市场准入与加强监管体制改革的意见"
STRUCTURED = {
    (NINE, "1"): {"segments": ["cell-therapy", "gene-therapy"]},  # “CGT enterprises”
    (NINE, "1b"): {"ownership_kinds": [OwnershipKind.HK_MACAO_TAIWAN]},  # HK/Macao (the kind also covers Taiwan)
    (NINE, "1c"): {"ownership_kinds": [OwnershipKind.FOREIGN], "segments": ["gene-therapy"]},
    (NINE, "2"): {"min_fixed_asset_investment_wan": Decimal(20000)},  # “固投2亿元以上”
    (ACCESS, "health-2"): {"segments": ["cell-therapy", "gene-therapy"]},
    (ACCESS, "health-3"): {"ownership_kinds": [OwnershipKind.HK_MACAO_TAIWAN]},
}
CJK = re.compile(r"[\u4e00-\u9fff]")
BASES = [("fixed-asset", Measure.FIXED_ASSET_INVESTMENT), ("foreign capital", Measure.FOREIGN_CAPITAL)]


def read():
    """The policies of the data set, as the JSON gives them."""
    return json.loads(DATA.read_text(encoding="utf-8"))["policies"]


def _date(text):
    """'2024-04-29' -> date; None or a partial date ('2022-06') -> None (kept in the notes instead)."""
    if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return None


def _sources(sources, limit=None):
    lines = []
    for s in sources:
        extra = [s.get("original_publisher_stated"), s.get("published"), s.get("reliability")]
        lines.append(s["url"] + (f" ({'; '.join(e for e in extra if e)})" if any(extra) else ""))
    text = "\n".join(lines)
    if limit is not None and len(text) > limit:
        text = " ; ".join(s["url"] for s in sources)[:limit]
    return text


def _policy_fields(row):
    notes = [row.get("completeness"), row.get("caveat")]
    issuer, _sep, issuer_note = (row.get("issuer") or "").partition(" (")
    if issuer_note:  # “国务院 (signed by Premier 李强)”: the note is English, not part of the body's Chinese name
        notes.append(f"issuer: {issuer_note.rstrip(')')}")
    if row.get("published_date") and not _date(row["published_date"]):
        notes.append(f"published {row['published_date']} (day not stated)")
    summary = row.get("summary_zh") or ""
    if row.get("short_name"):
        summary = (summary + f"\n简称「{row['short_name']}」。").strip()
    return {
        "title_zh": row["title"],
        "title_en": row.get("title_en_as_published") or "",
        "document_number": row.get("doc_number") or "",
        "issuing_body_zh": issuer.strip()[:200],
        "level": LEVELS[row["level"]],
        "issued_on": _date(row.get("issued_date")),
        "published_on": _date(row.get("published_date")),
        "effective_from": _date(row.get("effective_date")),
        "summary_zh": summary,
        "summary_en": row.get("summary_en") or "",
        "completeness_note": "; ".join(n for n in notes if n),
    }


def _award(row):
    """(award fields, is_complete) from the clause's award_type and amounts; notes say what is missing."""
    kind, cap = row["award_type"], row.get("cap_wan_yuan")
    cap = Decimal(str(cap)) if cap is not None else None
    if kind == "percentage":
        basis = next(m for word, m in BASES if word in row["award_basis"])
        fields = {"award_kind": AwardKind.PERCENTAGE, "award_percent": Decimal(str(row["award_percent"]))}
        fields |= {"award_basis": basis, "award_cap_wan": cap}
        if cap is None:
            fields |= {"award_note_zh": "封顶金额未见于来源。", "award_note_en": "No cap was seen in the source."}
        return fields, cap is not None
    if kind == "cap":
        return {"award_kind": AwardKind.UP_TO, "award_cap_wan": cap}, True
    if kind == "fixed" and row.get("fixed_amount_wan_yuan") is not None:
        return {"award_kind": AwardKind.FIXED, "award_amount_wan": Decimal(str(row["fixed_amount_wan_yuan"]))}, True
    if kind in ("non_monetary", "target"):
        return {"award_kind": AwardKind.NONE}, True
    note = {"tax_rate": ("税收优惠(税率), 非金额: ", "A tax rate, not an amount: ")}.get(kind, ("", ""))
    return {
        "award_kind": AwardKind.UNSTATED,
        "award_note_zh": note[0] + (row.get("summary_zh") or "来源未说明奖励金额。"),
        "award_note_en": note[1] + (row.get("summary_en") or "The source does not state the award."),
    }, False


def _title_from(summary_zh):
    """A Chinese clause title from the first phrase of its Chinese summary (at most 40 characters), or ""."""
    phrase = re.split(r"[，。；：,;:]", summary_zh or "", maxsplit=1)[0].strip()
    return phrase[:40]


def _clause_fields(policy_title, row, order):
    number = str(row["clause_no"])
    topic = row.get("topic") or number
    zh, _sep, en = topic.partition(" (")
    if not CJK.search(zh):  # an English-only topic: the English title, and a Chinese one from the Chinese summary
        en = en or zh
        zh = _title_from(row.get("summary_zh")) or f"条款 {number}"
    award, complete = _award(row)
    who, conditions = row.get("who_qualifies"), row.get("conditions")
    # The source states who and what in English: the English field holds it; the Chinese one says where to read it.
    other_en = "; ".join(part for part in (who and f"who: {who}", conditions and f"conditions: {conditions}") if part)
    other_zh = ""
    if other_en:
        other_zh = f"以原文为准：{row['summary_zh']}" if row.get("summary_zh") else "来源只有英文摘录，见英文版。"
    if conditions and ("truncated" in conditions or "..." in conditions):
        complete = False
    if row["award_type"] == "cap" and conditions and "tiered" in conditions:
        complete = False  # the tiers are not stated
    return {
        "number": number,
        "sort_order": order,
        "title_zh": zh[:200],
        "title_en": en.rstrip(")")[:200],
        "text_zh": row.get("summary_zh") or "",
        "text_en": row.get("summary_en") or "",
        "for_enterprises": bool(who) and row["award_type"] != "target",
        "other_conditions_zh": other_zh,
        "other_conditions_en": other_en,
        "is_complete": complete,
        "source": _sources(row.get("sources") or []),
        **award,
    }


def _find(row):
    title = row["title"]
    return (
        Policy.objects.filter(title_zh=title).first()
        or Policy.objects.filter(title_zh=SAME_AS.get(title, title)).first()
        or (row.get("doc_number") and Policy.objects.filter(document_number=row["doc_number"]).first())
        or None
    )


@transaction.atomic
def load_public_reports(rows=None):
    """Create the policies and clauses that are missing. Returns {"policies": n created, "clauses": n created}."""
    rows = read() if rows is None else rows
    created = {"policies": 0, "clauses": 0}
    for row in rows:
        fields = _policy_fields(row)
        policy = _find(row)
        if policy is None:
            policy = Policy(
                **fields,
                source=_sources(row["sources"], limit=500),
                verified_on=COMPILED_ON,
                status=PublicationStatus.PUBLISHED,
            )
            policy.full_clean()
            policy.save()
            created["policies"] += 1
            kinds = [code for word, code in TITLE_KINDS.items() if word in row["title"]]
            if any(c["award_type"] in ("percentage", "cap", "fixed") for c in row["clauses"]):
                kinds.append("funding")
            policy.support_kinds.set(SupportKind.objects.filter(code__in=kinds))
        elif not policy.clauses.exists():
            blanks = [name for name, value in fields.items() if value and not getattr(policy, name)]
            for name in blanks:  # fill what the record lacks; what staff wrote is kept
                setattr(policy, name, fields[name])
            if blanks:
                policy.save()
        for order, clause_row in enumerate(row["clauses"]):
            values = _clause_fields(row["title"], clause_row, order)
            if Clause.objects.filter(policy=policy, number=values["number"]).exists():
                continue
            structured = dict(STRUCTURED.get((row["title"], values["number"]), {}))
            segments = structured.pop("segments", [])
            clause = Clause(policy=policy, **values, **structured)
            clause.full_clean()
            clause.save()
            clause.segments.set(ChainSegment.objects.filter(code__in=segments))
            created["clauses"] += 1
    return created
