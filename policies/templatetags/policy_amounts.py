"""{{ amount|wan }}: an amount of 万元 with its digits grouped as the page's language writes money.

English groups by three with commas (3,000). Django's Chinese formats set no thousands separator, but Chinese
financial texts group amounts by three with commas too (GB/T 15835-2011, 4.3: “30,000万元”), so Chinese pages do
the same rather than print 30000. Trailing zeros of the cents are dropped (3,000.50 → 3,000.5).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format, number_format

from policies.clauses import format_number

register = template.Library()


@register.filter
def wan(value):
    """Decimal (or int) → '3,000' / '12,345.5'; '' for None or a non-number."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if get_format("THOUSAND_SEPARATOR") and get_format("NUMBER_GROUPING") == 3:
        text = format_number(amount)  # the cents without trailing zeros
        whole, _dot, cents = text.replace(",", "").partition(".")
        grouped = number_format(Decimal(whole), decimal_pos=0, force_grouping=True)
        return grouped + (get_format("DECIMAL_SEPARATOR") + cents if cents else "")
    return format_number(amount)
