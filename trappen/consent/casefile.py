"""The consent panel on the case page: the custody holders' consents and the sharings."""

from typing import Any

from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import Action
from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel
from trappen.cases.models import Case


@registry.panel(order=10)
def panel(case: Case, user: Any, loaded: Loaded) -> Panel:
    today = timezone.localdate()
    consents = loaded.consents
    valid = [c for c in consents if c.is_valid_on(today)]
    sharings = loaded.open_sharings
    for sharing in sharings:
        # Decided by the policy on the consents read above, not a query per sharing.
        sharing.covered = policy.may_share(case, sharing.user, on=today, consents=consents)
    return Panel(
        "consent/panel.html",
        {
            "case": case,
            "consents": consents,
            "valid": valid,
            "valid_ids": {c.pk for c in valid},
            "sharings": sharings,
            "may_manage": policy.may(user, Action.MANAGE_CONSENT, case),
        },
    )
