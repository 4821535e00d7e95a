from django import template

from trappen.security.middleware import idle_timeout_minutes

register = template.Library()

# The warning comes this long before the idle timeout (at most half the timeout).
WARN_SECONDS = 3 * 60


@register.simple_tag
def idle_seconds() -> int:
    return idle_timeout_minutes() * 60


@register.simple_tag
def idle_warn_seconds() -> int:
    return min(WARN_SECONDS, idle_timeout_minutes() * 30)
