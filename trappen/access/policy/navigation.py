"""Which pages the navigation bar offers a user, and where "home" takes them.

Templates loop over `links(user)`; they never test a profession or a team themselves.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trappen.organisation.models import Profession

from .base import CASE_TEAM_PROFESSIONS, active, is_team_leader
from .homes import HOMES, home_kind
from .meetings import is_team_member, may_submit
from .notifications import may_register, may_submit_concern, may_view_roster
from .privacy import may_look_up_access_report
from .sharing import may_list_break_glass
from .steering import may_view_steering

# Who works from "My overview": their own cases, or the cases shared with them.
MY_OVERVIEW = {Profession.CASEWORKER, Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR}


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str | Promise


def links(user: Any) -> list[NavLink]:
    """The navigation bar's links for `user`, in order (the messages link comes after)."""
    if not active(user):
        return []
    out: list[NavLink] = []
    if user.profession in MY_OVERVIEW:  # the psychologist's, health visitor's: shared cases
        home = "dashboards:shared" if home_kind(user) == "shared" else "dashboards:my_home"
        out.append(NavLink(home, _("My overview")))
    if user.team_id and user.profession in CASE_TEAM_PROFESSIONS:
        out += [NavLink("dashboards:team", _("Team")), NavLink("cases:list", _("Cases"))]
        out.append(NavLink("cases:search", _("Find a child")))  # F10 point 3
    if user.profession == Profession.CASEWORKER:
        out.append(NavLink("followups:my_due", _("Follow-ups")))
    elif is_team_leader(user):
        out.append(NavLink("followups:team_due", _("Follow-ups")))
    if may_register(user):
        out.append(NavLink("intake:new", _("New notification")))
    out.append(NavLink("catalogue:index", _("Catalogue")))
    if is_team_member(user, user.team_id):
        out.append(NavLink("meetings:list", _("Meetings")))
    if may_submit_concern(user):
        out.append(NavLink("intake:concern", _("Send a notification")))
        out.append(NavLink("intake:mine", _("My notifications")))
    if may_view_roster(user, user.team_id):
        out.append(NavLink("intake:duty", _("Duty roster")))
    if may_submit(user):
        out.append(NavLink("meetings:submit", _("Submit to the resource-centre meeting")))
    if may_list_break_glass(user):
        out.append(NavLink("consent:break_glass_list", _("Break-the-glass accesses")))
    if may_look_up_access_report(user):
        out.append(NavLink("privacy:find", _("Access report")))
    if may_view_steering(user):
        out.append(NavLink("evaluation:index", _("Steering")))
    return out


def home_page(user: Any) -> str | None:
    """The URL name "home" sends `user` to; None: the page saying there are no cases here."""
    if not active(user):
        return None
    kind = home_kind(user)  # every role's home (F10 point 4)
    if kind is not None:
        return HOMES[kind]
    if user.is_staff:
        return "admin:index"
    return None
