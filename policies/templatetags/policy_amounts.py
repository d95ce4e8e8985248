"""{{ amount|wan }}: an amount of 万元 with its digits grouped as the page's language writes money.

English groups by three with commas (3,000). Django's Chinese formats set no thousands separator, but Chinese
financial texts group amounts by three with commas too (GB/T 15835-2011, 4.3: “30,000万元”), so Chinese pages do
the same rather than print 30000. Trailing zeros of the cents are dropped (3,000.50 → 3,000.5).
"""

from django import template

from nansha.records.numbers import grouped_number

register = template.Library()


@register.filter
def wan(value):
    """Decimal (or int) → '3,000' / '12,345.5'; '' for None or a non-number."""
    return grouped_number(value, places=2)  # the one rule for numbers on pages (nansha/records/numbers.py)
