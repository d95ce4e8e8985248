"""Reading and checking public_reports.json before anything is loaded from it.

A damaged or partial file (not JSON, a kind missing, a record without its name or sources, a page
without its URL, a number or date that is not one) is refused with DataFileError naming the record
and the field, before any record is written.
"""

import json
import re
from pathlib import Path

DATA = Path(__file__).with_name("public_reports.json")

# The kinds the file must hold, and the field that names a record of each.
KINDS = {
    "parks": "name_zh",
    "enterprises": "name_zh",
    "hospitals": "name_zh",
    "institutions": "name_zh",
    "platforms": "name_zh",
    "policies": "title",
    "funds": "name",
    "figures": "metric",
}
NUMBERS = (
    "floor_area_m2",
    "land_area_m2",
    "land_area_mu",
    "investment_wan_yuan",
    "size_wan_yuan",
    "beds",
    "num_firms",
    "cap_wan_yuan",
    "fixed_amount_wan_yuan",
)
DATES = ("status_date", "opening_date", "published_date", "issued_date", "effective_date")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
CHOICES = {
    ("parks", "kind"): {"industrial_park", "incubator", "science_park"},
    ("parks", "status"): {None, "operating", "under_construction", "planned"},
    ("institutions", "kind"): {"university", "research_institute"},
    ("policies", "level"): {"national", "provincial", "city", "district"},
}


class DataFileError(ValueError):
    """The data file cannot be loaded; the message names the record and the field."""


def read(path=DATA):
    """The data file as a dict, checked (see check). Raises DataFileError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(f"{path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    check(data)
    return data


def _where(kind, index, row, key):
    name = row.get(key) if isinstance(row, dict) else None
    return f"{kind}[{index}]" + (f" «{name}»" if isinstance(name, str) and name else "")


def _check_sources(where, sources, field="sources"):
    if not isinstance(sources, list) or not sources:
        raise DataFileError(f"{where}, field {field}: every record must cite at least one page")
    for number, source in enumerate(sources):
        url = source.get("url") if isinstance(source, dict) else None
        if not isinstance(url, str) or not re.match(r"https?://\S+$", url):
            raise DataFileError(f"{where}, field {field}[{number}].url: not a web address: {url!r}")
        published = source.get("published")
        if published is not None and not (isinstance(published, str) and DATE.fullmatch(published)):
            raise DataFileError(f"{where}, field {field}[{number}].published: not a date: {published!r}")


def _check_values(where, kind, row):
    for field in NUMBERS:
        value = row.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            raise DataFileError(f"{where}, field {field}: not a number of zero or more: {value!r}")
    for field in DATES:
        value = row.get(field)
        if value is not None and not (isinstance(value, str) and DATE.match(value)):
            raise DataFileError(f"{where}, field {field}: not a date (YYYY-MM-DD): {value!r}")
    for (choice_kind, field), allowed in CHOICES.items():
        if choice_kind == kind and row.get(field) not in allowed:
            known = ", ".join(sorted(a for a in allowed if a))
            raise DataFileError(f"{where}, field {field}: {row.get(field)!r} is not one of {known}")
    for field in ("aliases", "facilities", "milestones"):
        if row.get(field) is not None and not isinstance(row[field], list):
            raise DataFileError(f"{where}, field {field}: must be a list")


def check(data):
    """Refuse a damaged or partial data set: raises DataFileError naming the record and the field."""
    if not isinstance(data, dict):
        raise DataFileError("the file must hold one JSON object with the kinds: " + ", ".join(KINDS))
    for kind, key in KINDS.items():
        rows = data.get(kind)
        if not isinstance(rows, list):
            raise DataFileError(f"{kind}: missing, or not a list of records")
        for index, row in enumerate(rows):
            where = _where(kind, index, row, key)
            if not isinstance(row, dict):
                raise DataFileError(f"{where}: not a record (an object with fields)")
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise DataFileError(f"{where}, field {key}: missing or empty")
            _check_sources(where, row.get("sources"))
            _check_values(where, kind, row)
            if kind == "figures":
                for field in ("value", "as_of", "kind"):
                    if row.get(field) in (None, ""):
                        raise DataFileError(f"{where}, field {field}: missing or empty")
            if kind == "policies":
                _check_policy(where, row)


def _check_policy(where, row):
    clauses = row.get("clauses")
    if not isinstance(clauses, list):
        raise DataFileError(f"{where}, field clauses: missing, or not a list")
    for number, clause in enumerate(clauses):
        if not isinstance(clause, dict) or clause.get("clause_no") in (None, "") or not clause.get("award_type"):
            raise DataFileError(f"{where}, field clauses[{number}]: needs clause_no and award_type")
        _check_values(f"{where}, clauses[{number}]", "clauses", clause)
        if clause.get("sources") is not None:
            _check_sources(where, clause["sources"], field=f"clauses[{number}].sources")


def reliabilities(sources):
    """The reliability notes of the pages that have one (e.g. "low: SEO-style page")."""
    return [s["reliability"] for s in sources if s.get("reliability")]


def page_lines(sources):
    """A record's pages, one a line: "URL (publisher; date published; reliability)"; the card links each URL."""
    lines = []
    for s in sources:
        extra = [s.get("original_publisher_stated"), s.get("published"), s.get("reliability")]
        extra = "; ".join(e for e in extra if e)
        lines.append(s["url"] + (f" ({extra})" if extra else ""))
    return "\n".join(lines)
