"""Renders one panel of the case file with its own context (as an inclusion tag would); it
reads nothing and changes nothing in the page's context."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..registry import Panel

register = template.Library()


@register.simple_tag(takes_context=True)
def casefile_panel(context: Any, panel: Panel) -> SafeString:
    t = context.template.engine.get_template(panel.template)
    own = context.new(dict(panel.context))
    if (token := context.get("csrf_token")) is not None:
        own["csrf_token"] = token
    return t.render(own)
