"""Filters for the programme's targets panel (`evaluation/_targets.html`): a reading's value
and a target's goal as the page shows them. The panel itself is composed by the views (the
steering's `target_board`, the homes' `evaluation.home.home_board`), never by a tag."""

from typing import Any

from django import template

from trappen.evaluation.targets import fmt

register = template.Library()


@register.filter
def shown(reading: Any) -> str:
    return fmt(reading.target, reading.value)


@register.filter
def goal(target: Any) -> str:
    return fmt(target, target.green)
