"""Who sees and who records a child's SDQ measurements (docs/wellbeing.md).

Whoever may see the case sees the child's SDQs on its page (break-the-glass included, which
is itself audited). Recording one is a write: whoever reads the case by right — its team,
a professional it is shared with under consent — may enter a questionnaire on an open case;
never on the strength of break-the-glass.
"""

from typing import Any

from trappen.cases.models import Case

from .base import Action, active, reads_team
from .cases import may_case
from .sharing import is_shared_with


def may_view_sdq(user: Any, case: Case) -> bool:
    return active(user) and may_case(user, Action.VIEW, case)


def may_record_sdq(user: Any, case: Case) -> bool:
    # The team first: no query for the caseworker and the team leader.
    return (
        active(user)
        and case.is_open
        and (reads_team(user, case.team_id) or is_shared_with(user, case))
    )
