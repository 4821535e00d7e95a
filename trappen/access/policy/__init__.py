"""The one place that answers "may this user do this to this object?".

Every view, list, panel, feed, export and report asks here before it reads or writes case
data; lists are built from the visible querysets (`visible_cases`, `visible_of`,
`own_open_cases`, `visible_notifications`, `visible_meetings`), single objects come through
`get_case`, `get_case_of`, `get_notification` and `get_meeting` (404 for what the user may not
see and for what does not exist, 403 for what they see but may not change). docs/roles.md has
the table. The modules:

- `cases`: cases and the objects hanging off them; break-the-glass opens only `Action.VIEW`.
- `notifications`: notifications, registering one, a professional's notification and their
  own submissions, the team's duty roster.
- `sharing`: consent, sharing and break-the-glass.
- `meetings`: the team's meetings, minutes and decisions, naming a child on the agenda.
- `activities`: which profession records which activity.
- `steering`, `privacy`: the aggregated pages; who has seen a child, the access report.
- `lookup`: looking a child up by CPR number, and what the answer may tell the user.
- `navigation`: the links the navigation bar offers and where "home" goes.

School or day-care contacts, analysts, administrators and the data protection officer see no
case content; the superuser is the emergency account for configuration in the Django admin.
"""

from .activities import RECORDERS, may_record, recordable_kinds
from .base import (
    BREAK_GLASS_PROFESSIONS,
    CASE_TEAM_PROFESSIONS,
    SHARED_READERS,
    TEAM_READERS,
    WRITES,
    Action,
    is_leader_of,
    is_team_leader,
)
from .cases import (
    get_case,
    get_case_of,
    own_open_cases,
    reads_by_right,
    team_open_cases,
    visible_cases,
    visible_of,
)
from .lookup import LookupAnswer, get_child_for_access_report, look_up_child
from .meetings import (
    attended_meetings,
    get_agreement,
    get_meeting,
    is_team_member,
    may_edit_meeting,
    may_name_child,
    may_open_minutes,
    may_plan,
    may_submit,
    may_write_decision,
    may_write_minutes,
    nameable_cases,
    require_plan,
    visible_meetings,
    visible_series,
)
from .navigation import NavLink, home_page, links
from .no_access import NoAccess, no_access
from .notifications import (
    get_notification,
    get_shift,
    may_edit_roster,
    may_register,
    may_submit_concern,
    may_view_roster,
    own_submissions,
    visible_notifications,
)
from .privacy import may_get_access_report, may_look_up_access_report, may_view_audit
from .rules import may, require
from .sharing import (
    active_break_glass,
    case_for_break_glass,
    is_shared_with,
    may_break_glass,
    may_discuss_by_name,
    may_list_break_glass,
    may_share,
    visible_break_glass,
)
from .steering import (
    STEERING_PROFESSIONS,
    aggregate_open_cases,
    may_edit_business_case,
    may_view_steering,
)

__all__ = [
    "BREAK_GLASS_PROFESSIONS",
    "CASE_TEAM_PROFESSIONS",
    "RECORDERS",
    "SHARED_READERS",
    "STEERING_PROFESSIONS",
    "TEAM_READERS",
    "WRITES",
    "Action",
    "LookupAnswer",
    "NavLink",
    "NoAccess",
    "active_break_glass",
    "aggregate_open_cases",
    "may_edit_business_case",
    "attended_meetings",
    "case_for_break_glass",
    "get_agreement",
    "get_case",
    "get_child_for_access_report",
    "get_case_of",
    "get_meeting",
    "get_notification",
    "get_shift",
    "home_page",
    "is_leader_of",
    "is_shared_with",
    "is_team_leader",
    "is_team_member",
    "links",
    "look_up_child",
    "may",
    "may_break_glass",
    "may_discuss_by_name",
    "may_edit_roster",
    "may_edit_meeting",
    "may_get_access_report",
    "may_list_break_glass",
    "may_look_up_access_report",
    "may_name_child",
    "may_open_minutes",
    "may_plan",
    "may_record",
    "may_register",
    "may_share",
    "may_submit",
    "may_submit_concern",
    "may_view_roster",
    "may_view_audit",
    "may_view_steering",
    "may_write_decision",
    "may_write_minutes",
    "nameable_cases",
    "no_access",
    "own_open_cases",
    "own_submissions",
    "reads_by_right",
    "recordable_kinds",
    "require",
    "require_plan",
    "team_open_cases",
    "visible_break_glass",
    "visible_cases",
    "visible_meetings",
    "visible_notifications",
    "visible_of",
    "visible_series",
]
