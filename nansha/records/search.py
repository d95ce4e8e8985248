"""One search for every kind of record: the text people type, normalised as the index is, and ranked.

Both the stored search columns (`search_names`, `search_text`, filled on save) and a query go
through `normalize`: Unicode NFKC (full-width letters, digits and brackets become ASCII), case
folding, and traditional to simplified Chinese (OpenCC `t2s`), so that 香港科技大學（廣州）,
ｚｓｄｘ or a credit code typed in full-width digits find what the simplified, half-width record
holds. A query then matches, best first:

0. a name or alias exactly (or an enterprise's credit code);
1. the start of a name or alias;
2. the pinyin of the Chinese name, full or initials (Places);
3. what the record is: a chain segment (by name or synonym; a segment's sub-segments included),
   a product or pipeline (name, alias, indication), the park it is in;
4. any other text of the record: descriptions, disciplines, services, pinyin of aliases...

Ties keep the resource's own order (its name), then the id, so pages are stable.
Only nansha.records is imported: related models are reached through the queryset's model.
"""

import functools
import re
import unicodedata

import opencc
from django.db.models import Case, IntegerField, Q, Value, When

from nansha.records.pinyin import normalize_query
from nansha.records.text_index import contains

MAX_QUERY_LENGTH = 100  # characters; longer input is refused by the filter form with a message
SEPARATOR = "|"  # between names in search_names; never inside a normalised name

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_QUOTES = "\"'“”‘’「」『』«»`"
_NOT_WORD = re.compile(r"[\W_]+")  # what `compact` drops: punctuation, spaces, symbols


@functools.cache
def _to_simplified():
    return opencc.OpenCC("t2s")


def normalize(text):
    """Text as the search compares it: NFKC, control characters as spaces, traditional → simplified,
    case-folded, runs of white space as one space, trimmed. '香港科技大學（廣州）' → '香港科技大学(广州)'."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _CONTROL.sub(" ", text)
    text = _to_simplified().convert(text).casefold()
    return _SPACES.sub(" ", text).strip()


def compact(text):
    """A normalised text without punctuation or spaces: 'CAR-T' and 'car t' both give 'cart'."""
    return _NOT_WORD.sub("", text)


def normalize_name(text):
    return normalize(text).replace(SEPARATOR, " ").strip()


def search_document(names, text_parts):
    """The stored search columns of a record, as (search_names, search_text).

    `names`: its names and aliases (str); `text_parts`: anything else it may be found by (str).
    search_names is '|name|alias|...|' so that an exact name is a match of '|query|' and a prefix
    one of '|query'; search_text holds the names too, then the other parts, one per line.
    """
    names = list(dict.fromkeys(n for n in (normalize_name(name) for name in names) if n))
    parts = [n for n in (normalize(part) for part in text_parts) if n]
    search_names = f"{SEPARATOR}{SEPARATOR.join(names)}{SEPARATOR}" if names else ""
    return search_names, "\n".join([*names, *parts])


def clean_query(value):
    """The normalised query, without the quotes people put around a phrase; '' when nothing is left."""
    return normalize_name(value).strip(_QUOTES + " ")


def matching_segment_ids(segment_model, query):
    """Ids of the chain segments whose name or synonym contains the query, with every segment below them.

    One query; the segment vocabulary is a few dozen rows, read whole and compared in Python.
    """
    key = compact(query)
    if len(key) < 2:  # one letter would match most segments
        return set()
    children, found = {}, []
    rows = segment_model.objects.values_list("pk", "parent_id", "name_zh", "name_en", "synonyms")
    for pk, parent_id, name_zh, name_en, synonyms in rows:
        children.setdefault(parent_id, []).append(pk)
        spellings = [name_zh, name_en, *(synonyms or [])]
        if any(key in compact(normalize(s)) for s in spellings if isinstance(s, str)):
            found.append(pk)
    ids, stack = set(), found
    while stack:
        pk = stack.pop()
        if pk not in ids:
            ids.add(pk)
            stack.extend(children.get(pk, []))
    return ids


def _related_sources(model, query, *, segment_field, park_field, products_field):
    """Querysets of the pks of `model`'s records found by what they are: segment, park, products."""
    sources = []
    if segment_field:
        field = model._meta.get_field(segment_field)
        ids = matching_segment_ids(field.related_model, query)
        if ids and field.many_to_many:
            through = field.remote_field.through
            owner = field.m2m_field_name()
            sources.append(through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": ids}).values(owner))
        elif ids:
            sources.append(model._base_manager.filter(**{f"{segment_field}__in": ids}).values("pk"))
    if park_field:
        park_model = model._meta.get_field(park_field).related_model
        parks = park_model._base_manager.filter(search_names__contains=query, status="published").values("pk")
        sources.append(model._base_manager.filter(**{f"{park_field}__in": parks}).values("pk"))
    if products_field:
        relation = model._meta.get_field(products_field)
        product_model = relation.related_model
        products = product_model._base_manager.filter(contains(product_model, "search_text", query))
        products = products.filter(status="published")
        sources.append(products.values(relation.field.name))
    return sources


def ranked_search(
    queryset,
    value,
    *,
    segment_field=None,
    park_field=None,
    products_field=None,
    pinyin_field=None,
    code_fields=(),
    related=None,
):
    """The records of `queryset` that `value` finds, annotated with `search_rank` (0 best … 4) and ordered by it.

    segment_field: the record's relation to ChainSegment (many-to-many or foreign key);
    park_field: its foreign key to a Park; products_field: the reverse relation to its products;
    pinyin_field: the column holding the pinyin key of its name; code_fields: identifiers matched
    exactly, case-insensitively (e.g. the credit code; they must be part of the record's search_text);
    related: a function of the normalised query giving a Q of further records found by what they hold
    (ranked with segments and products, e.g. a policy's clauses). Blank input returns the queryset unchanged.

    The records found are those of one indexed lookup per source, combined in one subquery (a UNION,
    each part using its own index: nansha.records.text_index); the rank is then computed for them only.
    Names, aliases and codes are part of search_text, so the text lookup finds levels 0, 1 and 4.
    """
    query = clean_query(value)
    if not query:
        return queryset
    model = queryset.model
    rows = model._base_manager
    sources = [rows.filter(contains(model, "search_text", query)).values("pk")]
    key = normalize_query(query)
    pinyin = bool(pinyin_field and key and query.isascii())
    if pinyin:
        sources.append(rows.filter(contains(model, pinyin_field, key)).values("pk"))
    found_by_what = _related_sources(
        model, query, segment_field=segment_field, park_field=park_field, products_field=products_field
    )
    held = related(query) if related is not None else None
    if held is not None:
        found_by_what.append(rows.filter(held).values("pk"))
    sources += found_by_what
    exact = Q(search_names__contains=f"{SEPARATOR}{query}{SEPARATOR}")
    for field in code_fields:
        exact |= Q(**{f"{field}__iexact": query})
    whens = [
        When(exact, then=Value(0)),
        When(search_names__contains=f"{SEPARATOR}{query}", then=Value(1)),
    ]
    if pinyin:
        whens.append(When(**{f"{pinyin_field}__contains": key}, then=Value(2)))
    if found_by_what:
        what = Q()
        for source in found_by_what:
            what |= Q(pk__in=source)
        whens.append(When(what, then=Value(3)))
    sources = [source.order_by() for source in sources]
    found = sources[0].union(*sources[1:], all=True) if len(sources) > 1 else sources[0]
    ordering = list(queryset.query.order_by or model._meta.ordering or [])
    rank = Case(*whens, default=Value(4), output_field=IntegerField())
    return queryset.filter(pk__in=found).annotate(search_rank=rank).order_by("search_rank", *ordering, "pk")
