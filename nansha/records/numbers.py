"""Numbers as the page's language writes them: `grouped_number()` and the `{{ value|grouped }}` filter; amounts of 万元
as money, `money_from_wan()` and `{{ value|money }}`.

Load with `{% load numbers %}` (registered in settings.TEMPLATES). Digits are grouped by three, with commas in
Chinese too: Django's Chinese formats set no thousands separator (they would print 323000), but Chinese texts
group by three with commas (GB/T 15835-2011, 4.3), as the policy amounts do (`policies/templatetags`).
Trailing zeros after the point are dropped: 323000.0 → 323,000; 1470.50 → 1,470.5.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format
from django.utils.translation import get_language

from nansha.records.chinese import in_script

register = template.Library()


def grouped_number(value, places=None):
    """int, Decimal, float or numeric text → '323,000' / '1,470.5'; '' for None, '' or a non-number.

    places: round (half up) to at most this many decimals first; trailing zeros are dropped in any case.
    The decimal separator is the page's language's; the thousands separator its own, or "," where it has none.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if not number.is_finite():
        return ""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if whole in ("-0", "-") and not fraction:
        whole = "0"
    whole = whole.replace(",", get_format("THOUSAND_SEPARATOR") or ",")
    return whole + (get_format("DECIMAL_SEPARATOR") + fraction if fraction else "")


def money_from_wan(value):
    """An amount of 万元 (Decimal, int or numeric text) as the page's language writes money: '30,000 万元' on Chinese
    pages (萬元 on traditional ones), '¥300,000,000' in English, where 万 (ten thousand) is no unit: the amount is
    written in yuan. '' for None or a non-number."""
    text = grouped_number(value, places=2)
    if not text:
        return ""
    if (get_language() or "").startswith("en"):
        return "¥" + grouped_number(Decimal(str(value)) * 10_000, places=0)
    return in_script(f"{text} 万元")


@register.filter
def money(value):
    """{{ amount_wan|money }} → '30,000 万元' / '¥300,000,000' (money_from_wan)."""
    return money_from_wan(value)


@register.filter
def grouped(value, places=None):
    """{{ area|grouped }} → 1,470; {{ rent|grouped:1 }} rounds to one decimal first."""
    return grouped_number(value, places)
