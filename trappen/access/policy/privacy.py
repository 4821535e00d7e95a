"""Who has seen a child's case (the audit history) and the data subject's access report."""

from typing import Any

from trappen.cases.models import Child
from trappen.organisation.models import Profession

from .base import active, is_team_leader


def _team_has_had(user: Any, child: Child) -> bool:
    return child.district.team_id == user.team_id or (
        child.cases.filter(team_id=user.team_id).exists()
    )


def may_view_audit(user: Any, child: Child | None = None) -> bool:
    """Who may ask "who has seen this child's case?": the data protection officer and the
    superuser (any child, no case content), and a team leader for a child of the team's
    districts or whose case the team has had. A child already deleted: only the first two."""
    if not active(user):
        return False
    if user.is_superuser or user.profession == Profession.DATA_PROTECTION:
        return True
    if child is None or not is_team_leader(user):
        return False
    return _team_has_had(user, child)


def may_get_access_report(user: Any, child: Child) -> bool:
    """The full report of what is held about a child (GDPR art. 15): the data protection
    officer, and the team leader of the child's district or of a team that has had the child's
    case. Nobody else, however far they may read the case."""
    if not active(user):
        return False
    if user.profession == Profession.DATA_PROTECTION:
        return True
    return is_team_leader(user) and _team_has_had(user, child)


def may_look_up_access_report(user: Any) -> bool:
    """Who may look a child up by CPR number to get its access report (then as above)."""
    return active(user) and (user.profession == Profession.DATA_PROTECTION or is_team_leader(user))
