"""Who records which activity: each profession its own kind, on a case they may write on.

The case's caseworker (or team leader) records the joint home visit too. The psychologist and
the health visitor record on a case shared with them under consent — never on one that only
break-the-glass opened (`Action.RECORD_ACTIVITY` does not consult it).
"""

from typing import Any

from trappen.activities.models import Activity
from trappen.cases.models import Case
from trappen.organisation.models import Profession

from .base import Action, active
from .cases import may_case

Kind = Activity.Kind

RECORDERS: dict[str, set[str]] = {
    Kind.CLARIFYING_TALK: {Profession.PSYCHOLOGIST},
    Kind.PREGNANCY_VISIT: {Profession.HEALTH_VISITOR},
    Kind.NEEDS_VISIT: {Profession.HEALTH_VISITOR},
    Kind.JOINT_HOME_VISIT: {
        Profession.HEALTH_VISITOR,
        Profession.CASEWORKER,
        Profession.TEAM_LEADER,
    },
    Kind.FAMILY_CENTRE: {Profession.HEALTH_VISITOR},
}


def may_record(user: Any, case: Case, kind: str) -> bool:
    if not (active(user) and case.is_open):
        return False
    if user.profession not in RECORDERS.get(kind, set()):
        return False
    return may_case(user, Action.RECORD_ACTIVITY, case)


def recordable_kinds(user: Any, case: Case) -> list[str]:
    return [kind for kind in Kind.values if may_record(user, case, kind)]
