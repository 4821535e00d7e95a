"""`{% load security %}{{ child.cpr|cpr_masked }}` → "010203-xxxx": the date part only."""

from django import template

from trappen.core import cpr as cpr_rules

register = template.Library()


@register.filter
def cpr_masked(value: object) -> str:
    """The masked CPR number; anything that is not ten digits (with or without the dash) shows
    as "xxxxxx-xxxx", so a malformed value never reaches the page in clear."""
    if value is None or value == "":
        return ""
    try:
        digits = cpr_rules.normalise(str(value))
    except cpr_rules.CprError:
        return "xxxxxx-xxxx"
    return cpr_rules.mask(digits)
