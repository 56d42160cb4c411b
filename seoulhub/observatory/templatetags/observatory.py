from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def pct(value, digits: int = 1):
    """0.1234 -> "12.3%"; None -> "–" (no value, never a zero)."""
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}%"


@register.filter
def ratio(value, digits: int = 2):
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


@register.filter
def count(value):
    if value is None:
        return "–"
    if not isinstance(value, int) and value != int(value):  # floats and Decimals such as 81.5 (억원)
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return intcomma(int(value))


@register.filter
def krw(value):
    """KRW amounts in 억원 (100 million) as Korean readers expect."""
    if value is None:
        return "–"
    eok = value / 100_000_000
    return f"{eok:,.0f}억원" if eok >= 1 else f"{intcomma(value)}원"
