"""What a user is told when a case is not theirs to read (F10 point 3): "Ingen adgang" with
the way to ask for break-the-glass and whom to call, instead of a bare 404.

Who may learn that a case number exists: the case-team professionals, who may break the
glass. They could already learn it from the break-the-glass form (which answers 404 for no
such case and which records every reason given); they get the button to that form and the
team leader of the case's team to call. Everyone else (school contacts, analysts, the data
protection officer, administrators) gets the same page for a case that does not exist and
for one they may not read: no button, no name, only the configured contact
(settings.TRAPPEN_ACCESS_CONTACT). A missing case is a 404 for the professionals.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404

from trappen.cases.models import Case
from trappen.organisation.models import Profession, User

from .base import active
from .sharing import may_break_glass


@dataclass(frozen=True)
class NoAccess:
    case_pk: int
    may_break_glass: bool  # the button to the break-the-glass form
    team_leaders: tuple[User, ...]  # whom to call about this case (empty: not to be told)
    contact: str  # the configured contact, for everyone


def no_access(user: Any, pk: int) -> NoAccess:
    """What `user` may be told about case `pk` they may not read (Http404: no such case, for
    those who may know it)."""
    contact = getattr(settings, "TRAPPEN_ACCESS_CONTACT", "")
    if not active(user) or not may_break_glass(user):
        return NoAccess(pk, False, (), contact)
    case = Case.objects.filter(pk=pk).only("pk", "team_id").first()
    if case is None:
        raise Http404
    leaders: tuple[User, ...] = ()
    if case.team_id is not None:
        leaders = tuple(
            User.objects.filter(
                team_id=case.team_id, profession=Profession.TEAM_LEADER, is_active=True
            ).order_by("last_name", "first_name", "pk")
        )
    return NoAccess(pk, True, leaders, contact)
