"""Who records which activity: each profession its own kind, on a case the policy lets them
read. The case's caseworker (or team leader) records the joint home visit too."""

from typing import Any

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import Case
from trappen.organisation.models import Profession

from .models import Activity

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
# Caseworkers and team leaders change a case only where the policy lets them edit it; the
# psychologist and the health visitor record on a case shared with them under consent.
EDITORS = {Profession.CASEWORKER, Profession.TEAM_LEADER}


def may_record(user: Any, case: Case, kind: str) -> bool:
    if not (user.is_authenticated and user.is_active and case.is_open):
        return False
    if user.profession not in RECORDERS.get(kind, set()):
        return False
    action = Action.EDIT if user.profession in EDITORS else Action.VIEW
    return policy.may(user, action, case)


def recordable_kinds(user: Any, case: Case) -> list[str]:
    return [kind for kind in Kind.values if may_record(user, case, kind)]
