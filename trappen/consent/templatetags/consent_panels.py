from typing import Any

from django import template
from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import Case

register = template.Library()


@register.inclusion_tag("consent/panel.html")
def consent_panel(case: Case, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    consents = list(case.consents.select_related("recipient", "withdrawn_by"))
    valid = [c for c in consents if c.is_valid_on(today)]
    sharings = list(case.sharings.filter(ended_at__isnull=True).select_related("user"))
    for sharing in sharings:
        sharing.covered = policy.may_share(case, sharing.user, on=today)  # type: ignore[attr-defined]
    return {
        "case": case,
        "consents": consents,
        "valid": valid,
        "valid_ids": {c.pk for c in valid},
        "sharings": sharings,
        "may_manage": policy.may(user, Action.MANAGE_CONSENT, case),
    }


@register.inclusion_tag("consent/banner.html")
def break_glass_banner(case: Case, user: Any) -> dict[str, Any]:
    """Shown on every page of a case opened by break-the-glass."""
    return {"grant": policy.active_break_glass(user, case)}
