from collections.abc import Iterable

from django import template

register = template.Library()


@register.filter
def sum_values(values: Iterable[int]) -> int:
    return sum(values)


@register.filter
def div_weeks(hours: float, weeks: float) -> float:
    return hours / weeks if weeks else 0.0
