"""The permission matrix: every URL pattern × every role × an object inside and one outside
the role's scope → allow or deny, and no page shows a child the role may not read.

The URL patterns come from the resolver, so a new URL without a decision in `TABLE` (or a new
admin model without one in `ADMIN_MODELS`) fails `test_every_url_is_classified`. Exports run
by commands have their own tests (tests/interchange, tests/evaluation).

Roles (all but the last three in the north team or without a team):
  cw1 (the north case's caseworker), cw2 (another north caseworker), leader (north team
  leader), psych (north psychologist the case is shared with under a valid consent),
  psych_withdrawn (shared, but the consent was withdrawn), hv (health visitor with a consent
  naming the profession but no sharing), school, analyst, admin (administrator with every
  model permission), dpo (data protection officer), superuser, anonymous; and the people
  whose access changed (F6): cw_moved (a north caseworker moved to the west team, still the
  caseworker of an old north case with an overdue follow-up), former_leader (led the north
  team, now leads the west team), demoted_leader (led the north team, now a north
  caseworker), staff_admin (staff with every model permission but no profession),
  psych_glass (a psychologist of no team who broke the glass on the north case: reads it,
  changes nothing).
Bundles: "north" (inside the north team's scope) and "south" (outside every role's scope).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.meetings.matrix import agenda_item_pk, agreement_pk, meeting_pk
from trappen.cases.models import Case, Complaint
from trappen.catalogue.models import Intervention
from trappen.consent import services as consent_services
from trappen.consent.models import Consent, Relation, Scope, Sharing
from trappen.followups import services as followups
from trappen.intake import services as intake
from trappen.intake.models import Notification
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.measures.models import Episode, VisitationRequest
from trappen.organisation.models import Profession, Team, User
from trappen.plans import services as plans

from .helpers import consent_for

ROLES = [
    "cw1",
    "cw2",
    "leader",
    "psych",
    "psych_withdrawn",
    "hv",
    "school",
    "analyst",
    "admin",
    "dpo",
    "superuser",
    "anonymous",
    "cw_moved",
    "former_leader",
    "demoted_leader",
    "staff_admin",
    "psych_glass",
]
BUNDLES = ["north", "south"]

# Who may read and who may change the north case; nobody here may touch the south case.
READ = {"north": {"cw1", "cw2", "leader", "psych", "demoted_leader", "psych_glass"}, "south": set()}
EDIT = {"north": {"cw1", "leader"}, "south": set()}
TEAM_READERS = {"north": {"cw1", "cw2", "leader", "demoted_leader"}, "south": set()}
# Every team leader (of their own team) and every caseworker, whichever team.
LEADERS = {"leader", "former_leader"}
CASEWORKERS = {"cw1", "cw2", "cw_moved", "demoted_leader"}
# The members of some team's case team (north, or west for the moved ones).
MEMBERS = {"cw1", "cw2", "leader", "psych", "psych_withdrawn", "hv", "demoted_leader"}
MEMBERS_ANYWHERE = MEMBERS | {"cw_moved", "former_leader"}
LEADER = {"north": {"leader"}, "south": set()}
PSYCHOLOGISTS = {"psych", "psych_withdrawn", "psych_glass"}
NETWORK_CALLERS = CASEWORKERS | LEADERS | PSYCHOLOGISTS | {"hv", "school"}
EVERYONE = set(ROLES) - {"anonymous"}
# Pages about one child that an allowed role sees with the child's name: who has read the
# case, the parents' access report, the complaint in the admin (superuser only).
NAMES_THE_CHILD = {"audit_child", "access_report", "admin_case_content"}


def case_readers(b: str) -> set[str]:
    return READ[b]


# category → (roles allowed for a bundle). Categories describe the rule, the table below
# assigns each URL name one.
RULES: dict[str, Callable[[str], set[str]]] = {
    "case_read": lambda b: READ[b],
    "case_edit": lambda b: EDIT[b],
    "case_lead": lambda b: LEADER[b],  # the team leader of the case's team
    "case_receive": lambda b: set(),  # only the receiving leader of a pending transfer
    "notification_assess": lambda b: TEAM_READERS[b],
    "notification_assign": lambda b: LEADER[b],  # an unassigned notification of the team
    "consent_manage": lambda b: EDIT[b],
    "break_glass": lambda b: MEMBERS_ANYWHERE | {"psych_glass"},
    "team_leader": lambda b: LEADERS,  # a team leader's page about their own team
    # The caseworkers and the team leader of the case's team (policy/quality.py).
    "complaint_register": lambda b: TEAM_READERS[b],
    # The counts of one's own team (caseworkers and leaders of any team).
    "team_quality": lambda b: CASEWORKERS | LEADERS,
    # A case-team member of any team (their own team's meetings).
    "team_member": lambda b: MEMBERS_ANYWHERE,
    # The north meeting: the north team's members today (the south team has none of the roles).
    "meeting_team": lambda b: MEMBERS if b == "north" else set(),
    "meeting_plan": lambda b: LEADER[b],  # the coordinator: the team leader by default
    # Minutes and decisions, the meeting's time and chair: the chair (cw1, first in the
    # rotation) and the team leader (also the coordinator).
    "meeting_minutes": lambda b: {"cw1", "leader"} if b == "north" else set(),
    "school_contact": lambda b: {"school"},
    # The roles' own home pages (policy.homes.home_kind, F10 point 4).
    "home_shared": lambda b: {"psych", "psych_withdrawn", "hv", "psych_glass"},
    "home_privacy": lambda b: {"dpo"},
    "home_figures": lambda b: {"analyst"},
    # A professional with the duty to notify (policy.notifications.NOTIFIERS, F8 point 4).
    "notifier": lambda b: {"school", "hv", "psych", "psych_withdrawn", "psych_glass"},
    # A team's duty roster: the caseworkers and team leaders of their own team.
    "roster": lambda b: CASEWORKERS | LEADERS,
    # Whoever may call a network meeting, also before any case (policy.network.CALLERS): the
    # school contact, the psychologists, the health visitor, the caseworkers and team leaders.
    "network_caller": lambda b: NETWORK_CALLERS,
    "register": lambda b: CASEWORKERS | LEADERS,
    "steering": lambda b: LEADERS | {"analyst", "admin", "superuser"},
    "audit_child": lambda b: {"dpo", "superuser"} | LEADER[b],
    "access_report": lambda b: {"dpo"} | LEADER[b],
    "access_lookup": lambda b: {"dpo"} | LEADERS,  # find a child by CPR for its report
    "logged_in": lambda b: EVERYONE,
    "public": lambda b: set(ROLES),
    "nobody": lambda b: set(),  # admin autocomplete: no admin has autocomplete_fields
    "token": lambda b: set(),  # a wrong calendar token: nobody, logged in or not
    "admin_config": lambda b: {"admin", "staff_admin", "superuser"},
    "admin_case_content": lambda b: {"superuser"},
    "admin_superuser": lambda b: {"superuser"},  # accounts' privileges (docs/administration.md)
    "activity_record": lambda b: EDIT[b] | ({"psych"} & READ[b]),  # own kinds (policy.activities)
    # The API (/api/v1/) takes a bearer token, never a session: 401 for every logged-in role
    # here; what a token may do is tested in tests/api.
    "api_token": lambda b: set(),
    # Entering an SDQ: whoever reads the case by right, never by break-the-glass.
    "sdq_record": lambda b: READ[b] - {"psych_glass"},
}


@dataclass
class Bundle:
    case: Case
    investigation: Any
    episode: Any
    visitation: VisitationRequest
    exception: Any
    notification: Notification
    queue_notification: Notification
    consent: Consent
    sharing: Sharing
    complaint: Complaint


A = Callable[[Bundle], list[Any]]


def case_pk(b: Bundle) -> list[Any]:
    return [b.case.pk]


def none(b: Bundle) -> list[Any]:
    return []


def network_meeting(b: Bundle) -> list[Any]:
    from trappen.network import services as network

    meeting = b.case.network_meetings.first()
    if meeting is None:
        start = timezone.now() - timedelta(days=1)
        meeting = network.call(
            b.case, by=b.case.caseworker, people=[network.Person("parent", "Mor")],
            concern="Fravær", concern_on=timezone.localdate() - timedelta(days=5),
            purpose="Samle de voksne", reason="Fravær", starts_at=start,
            ends_at=start + timedelta(hours=1), place="Skolen", chair="Anna",
            contact_name="Anna", signed_by="Anna",
        )  # fmt: skip
    return [meeting.pk]


def sibling_task(b: Bundle) -> list[Any]:
    from trappen.investigations.models import SiblingInvestigationTask

    task, _ = SiblingInvestigationTask.objects.get_or_create(
        episode=b.episode, defaults={"case": b.episode.case}
    )
    return [task.pk]


def duty_shift(b: Bundle) -> list[Any]:
    from trappen.intake.models import DutyShift

    start = timezone.now()
    shift = DutyShift.objects.create(
        team=b.case.team, caseworker=b.case.caseworker, starts_at=start,
        ends_at=start + timedelta(hours=8), created_by=b.case.caseworker,
    )  # fmt: skip
    return [shift.pk]


# url name → (category, method, args). GET for pages, POST for POST-only views.
TABLE: dict[str, tuple[str, str, A]] = {
    "dashboards:home": ("logged_in", "get", none),
    "dashboards:my_home": ("logged_in", "get", none),
    "dashboards:team": ("logged_in", "get", none),
    "dashboards:team_quality": ("team_quality", "get", none),
    "login": ("public", "get", none),
    "logout": ("public", "post", none),
    "set_language": ("public", "post", none),
    "intake:new": ("register", "get", none),
    "intake:concern": ("notifier", "get", none),
    "intake:mine": ("notifier", "get", none),
    "intake:duty": ("roster", "get", none),
    "intake:duty_remove": ("case_lead", "post", duty_shift),
    "intake:lookup": ("register", "post", none),
    "intake:notification": ("case_read", "get", lambda b: [b.notification.pk]),
    "intake:assess": ("notification_assess", "post", lambda b: [b.notification.pk]),
    "intake:assign": ("notification_assign", "post", lambda b: [b.queue_notification.pk]),
    "intake:reassess": ("notification_assess", "post", lambda b: [b.notification.pk]),
    "intake:receipt": ("notification_assess", "post", lambda b: [b.notification.pk]),
    "intake:urgent_handled": ("notification_assess", "post", lambda b: [b.notification.pk]),
    "intake:confirm_child": (
        "notification_assign",
        "post",
        lambda b: [b.queue_notification.pk],
    ),
    "cases:list": ("logged_in", "get", none),
    "cases:case": ("case_read", "get", case_pk),
    "cases:journal_add": ("case_edit", "post", case_pk),
    "cases:early_step_add": ("case_edit", "get", case_pk),
    "cases:close": ("case_edit", "get", case_pk),
    "cases:transfer": ("case_edit", "get", case_pk),
    "cases:receive": ("case_receive", "get", case_pk),
    "cases:complaint_add": ("complaint_register", "get", case_pk),
    "cases:complaint_outcome": ("complaint_register", "get", lambda b: [b.complaint.pk]),
    "cases:handover": ("team_leader", "get", none),
    "plans:action_plan": ("case_read", "get", case_pk),
    "plans:revise": ("case_edit", "get", case_pk),
    "plans:revision": ("case_read", "get", lambda b: [b.case.pk, 1]),
    "investigations:start": ("case_edit", "get", case_pk),
    "investigations:investigation": ("case_read", "get", lambda b: [b.investigation.pk]),
    "investigations:network_add": ("case_edit", "post", lambda b: [b.investigation.pk]),
    "investigations:complete": ("case_edit", "post", lambda b: [b.investigation.pk]),
    "investigations:awareness": ("case_edit", "post", lambda b: [b.investigation.pk]),
    "investigations:preliminary": ("case_edit", "post", lambda b: [b.investigation.pk]),
    "investigations:areas": ("case_edit", "post", lambda b: [b.investigation.pk]),
    "investigations:sibling_task": ("case_edit", "get", sibling_task),
    "followups:provider_report_record": ("case_edit", "post", lambda b: [b.episode.pk]),
    "measures:episode_add": ("case_edit", "get", case_pk),
    "measures:episode_end": ("case_edit", "get", lambda b: [b.episode.pk]),
    "measures:episode_exit_plan": ("case_edit", "get", lambda b: [b.episode.pk]),
    "measures:visitation_decide": ("case_lead", "get", lambda b: [b.visitation.pk]),
    "followups:record": ("case_edit", "get", lambda b: [b.episode.pk]),
    "followups:exception_approve": ("case_lead", "post", lambda b: [b.episode.pk]),
    "followups:exception_withdraw": ("case_lead", "post", lambda b: [b.exception.pk]),
    "followups:my_due": ("logged_in", "get", none),
    "followups:team_due": ("team_leader", "get", none),
    "followups:calendar_token": ("logged_in", "post", none),
    "followups:calendar_feed": ("token", "get", lambda b: ["not-a-valid-token"]),
    "notices:list": ("logged_in", "get", none),
    "notices:read": ("logged_in", "post", none),
    # The idle timeout's "stay" ping and the user's own kept input (rows filtered by user).
    "security:stay": ("logged_in", "post", none),
    # The search reads only policy.visible_cases (an empty list for the others).
    "cases:search": ("logged_in", "get", none),
    "dashboards:shared": ("home_shared", "get", none),
    "dashboards:school": ("school_contact", "get", none),
    "dashboards:privacy": ("home_privacy", "get", none),
    "dashboards:figures": ("home_figures", "get", none),
    "dashboards:targets": ("steering", "get", none),  # the homes' targets (F13 point 5)
    "security:resume": ("logged_in", "get", none),
    "security:discard": ("logged_in", "post", lambda b: [0]),
    # Drafts (F10 point 2): saved by who may write the journal or the minutes; a draft by its
    # number only for its author (no draft 0 exists: everyone gets the 404).
    "drafts:journal": ("case_edit", "post", case_pk),
    "drafts:minutes": ("meeting_minutes", "post", meeting_pk),
    "drafts:draft": ("nobody", "get", lambda b: [0]),
    "drafts:discard": ("nobody", "post", lambda b: [0]),
    "operations:reminder_choices": ("logged_in", "get", none),  # one's own e-mail reminders
    "operations:healthz": ("public", "get", none),  # the load balancer's probes: no case data
    "operations:readyz": ("public", "get", none),
    "catalogue:index": ("logged_in", "get", none),
    "evaluation:index": ("steering", "get", none),
    "evaluation:report": ("steering", "get", none),
    "evaluation:workbook": ("steering", "get", none),
    "evaluation:statistics": ("steering", "get", none),
    "simulation:page": ("steering", "get", none),
    "simulation:staffing": ("steering", "get", none),
    "simulation:business_case": ("steering", "get", none),
    "audit:child_history": ("audit_child", "get", lambda b: [b.case.child_id]),
    "privacy:find": ("access_lookup", "get", none),
    "privacy:report": ("access_report", "get", lambda b: [b.case.child_id]),
    "privacy:report_json": ("access_report", "get", lambda b: [b.case.child_id]),
    "meetings:list": ("team_member", "get", none),
    "meetings:calendar": ("team_member", "get", none),
    "meetings:series_new": ("team_leader", "get", none),
    "meetings:submit": ("school_contact", "get", none),
    "meetings:meeting": ("meeting_team", "get", meeting_pk),
    "meetings:meeting_edit": ("meeting_minutes", "get", meeting_pk),  # chair, leader
    "meetings:item_add": ("meeting_team", "get", meeting_pk),
    "meetings:agenda_order": ("meeting_plan", "get", meeting_pk),
    # Naming the series' coordinator (e.g. the school's own): the team leader.
    "meetings:coordinator": ("meeting_plan", "post", meeting_pk),
    # The parents' information step of an item: whoever sees the agenda (the internal
    # meeting's item answers with a refusal message: only resource-centre items need it).
    "meetings:item_parents": ("meeting_team", "post", agenda_item_pk),
    # The teacher's call to the parents after the meeting: likewise whoever sees the agenda.
    "meetings:item_parents_called": ("meeting_team", "post", agenda_item_pk),
    # Sending the minutes to the participants: who writes them, and the coordinator.
    "meetings:minutes_send": ("meeting_minutes", "post", meeting_pk),
    "meetings:participant_add": ("meeting_team", "post", meeting_pk),
    "meetings:minutes": ("meeting_minutes", "get", meeting_pk),
    "meetings:agreement_add": ("meeting_team", "post", meeting_pk),
    "meetings:agreement_close": ("meeting_team", "post", agreement_pk),
    "consent:add": ("consent_manage", "get", case_pk),
    "consent:withdraw": ("consent_manage", "get", lambda b: [b.consent.pk]),
    "consent:share": ("consent_manage", "get", case_pk),
    "consent:unshare": ("consent_manage", "post", lambda b: [b.sharing.pk]),
    "consent:break_glass": ("break_glass", "get", case_pk),
    "consent:break_glass_list": ("team_leader", "get", none),
    "network:meeting_add": ("case_edit", "get", case_pk),
    "network:meeting_edit": ("case_edit", "get", network_meeting),
    "network:invitation": ("case_read", "get", network_meeting),
    "network:minutes": ("case_read", "get", network_meeting),
    "network:minutes_edit": ("case_edit", "get", network_meeting),
    "network:overview": ("network_caller", "get", none),
    "network:meeting_before_case": ("network_caller", "get", none),
    # On a case: the caller (cw1) and whoever may edit the case record the consent and send.
    "network:consent": ("case_edit", "get", network_meeting),
    "network:send_minutes": ("case_edit", "post", network_meeting),
    "activities:add": ("activity_record", "get", case_pk),
    # The API for other systems (docs/api.md): its OpenAPI document is public.
    "api:openapi-json": ("public", "get", none),
    "api:api-root": ("nobody", "get", none),
    # Any other address under /api/: a JSON 404 for everyone (trappen/api/urls.py).
    "api:root": ("nobody", "get", none),
    "api:not_found": ("nobody", "get", lambda b: ["v1/nothing-here"]),
    "api:children": ("api_token", "get", none),
    "api:child": ("api_token", "get", lambda b: [b.case.child_id]),
    "api:child_lookup": ("api_token", "post", none),
    "wellbeing:sdq_add": ("sdq_record", "get", case_pk),
    "api:cases": ("api_token", "get", none),
    "api:case": ("api_token", "get", case_pk),
    "api:episodes": ("api_token", "get", none),
    "api:episode": ("api_token", "get", lambda b: [b.episode.pk]),
    "api:followups": ("api_token", "get", none),
    "api:followup": ("api_token", "get", lambda b: [1]),  # refused before any lookup
    "api:figures": ("api_token", "get", none),
    "api:interchange_import": ("api_token", "post", none),
    "api:interchange_import_files": ("api_token", "post", none),
    # The Django admin's own pages (the model pages come from ADMIN_MODELS).
    "admin:index": ("admin_config", "get", none),
    "admin:login": ("public", "get", none),
    "admin:logout": ("public", "post", none),
    "admin:password_change": ("admin_config", "get", none),
    "admin:password_change_done": ("admin_config", "get", none),
    "admin:jsi18n": ("admin_config", "get", none),
    "admin:autocomplete": ("nobody", "get", none),
    "admin:view_on_site": ("admin_config", "get", lambda b: [1, 1]),
    "admin:app_list": ("admin_config", "get", lambda b: ["organisation"]),
    # Another user's password, and who may create or delete accounts: the superuser's alone.
    "admin:auth_user_password_change": (
        "admin_superuser",
        "get",
        lambda b: [b.case.caseworker_id],
    ),
}

# Every model in the Django admin: configuration, or case content only the superuser sees.
ADMIN_MODELS = {
    "organisation.user": "admin_config",
    "organisation.municipality": "admin_config",
    "organisation.districtgroup": "admin_config",
    "organisation.team": "admin_config",
    "organisation.district": "admin_config",
    "organisation.organisation": "admin_config",
    "rules.deadlinerule": "admin_config",
    "rules.legalbasis": "admin_config",
    "catalogue.step": "admin_config",
    "catalogue.intervention": "admin_config",
    "auth.group": "admin_config",
    "cases.complaint": "admin_case_content",
}
# Admin pages of a configuration model that only the superuser may open.
ADMIN_SUPERUSER_VIEWS = {
    ("organisation.user", "add"): "admin_superuser",
    ("organisation.user", "delete"): "admin_superuser",
    ("auth.group", "add"): "admin_superuser",
    ("auth.group", "delete"): "admin_superuser",
}
ADMIN_VIEWS = ["changelist", "add", "history", "delete", "change"]
# Where a test cannot usefully call a URL: reason in the value.
UNCALLED = {
    "admin:view_on_site": "needs a content type with get_absolute_url; none has one",
    "operations:readyz": "public; its answer (200 or 503) depends on the database and the "
    "migrations, not on the user (tests/operations)",
}


def url_names() -> list[str]:
    """Every named URL pattern of the project, with its namespace."""
    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    # Unnamed: only the admin's redirects (old change URLs, the catch-all),
                    # behind the same staff check as the named admin pages.
                    assert namespace == "admin:", f"name the URL pattern {pattern.pattern}"
                    continue
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def admin_entry(name: str) -> tuple[str, str, A] | None:
    """The table entry of an admin model page, from ADMIN_MODELS."""
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name.removeprefix(prefix) in ADMIN_VIEWS:
            if label not in ADMIN_MODELS:
                return None
            view = name.removeprefix(prefix)

            def args(b: Bundle, model: Any = model, view: str = view) -> list[Any]:
                if view in ("changelist", "add"):
                    return []
                obj = b.complaint if model is Complaint else model._default_manager.first()
                return [obj.pk if obj else 999999]  # no row: the admin says so

            category = ADMIN_SUPERUSER_VIEWS.get((label, view), ADMIN_MODELS[label])
            return (category, "get", args)
    return None


def entry(name: str) -> tuple[str, str, A] | None:
    return TABLE.get(name) or admin_entry(name)


def test_every_url_is_classified():
    missing = [name for name in url_names() if entry(name) is None]
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    missing += [f"admin model {label}" for label in sorted(registered - set(ADMIN_MODELS))]
    assert not missing, (
        "These URLs (or admin models) have no access decision. Classify each in TABLE (or "
        "ADMIN_MODELS) in tests/access/test_permission_matrix.py, and make the view ask "
        f"trappen.access.policy: {missing}"
    )
    stale = sorted(set(TABLE) - set(url_names()))
    assert not stale, f"TABLE names URLs that no longer exist: {stale}"


# ---- the world ----------------------------------------------------------------------------------


CHILD_NAMES = {"north": "Nora Nordbarn", "south": "Sune Sydbarn"}
QUEUE_NAMES = {"north": "Quinn Køsen", "south": "Sigrid Køsen"}
# The old north case of the caseworker who moved to the west team (read by the north team).
MOVED_NAME = "Mads Flyttebarn"


def make_bundle(org: Any, side: str, worker: User, leader: User, psych: User) -> Bundle:
    district = org.d_north if side == "north" else org.d_south
    cpr, queue_cpr = (
        ("0101151234", "0202164321") if side == "north" else ("0303171238", "0404182345")
    )
    child = org.child(cpr, district=district)
    child.first_name, child.last_name = CHILD_NAMES[side].split()
    child.save()
    case = org.case(child, worker)
    today = timezone.localdate()
    inv = investigations.start(case, started_on=today, by=worker)
    plans.revise(
        case,
        purpose="Tryg hverdag",
        goals=[{"goal": "Mål", "who": "Forældrene", "progress_sign": "Ses", "due_on": today}],
        by=worker,
    )
    episode = measures.start(
        case,
        intervention=org.intervention(1),
        start_on=today - timedelta(days=20),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=500,
        by=worker,
    )
    visitation = measures.record(
        case,
        intervention=org.intervention(1),  # the same step: no movement reason needed
        start_on=today,
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=Decimal(3000),
        by=worker,
    )
    assert isinstance(visitation, VisitationRequest)
    exception = followups.approve_exception(episode, kind="far_away", reason="Aftalt", by=leader)
    hour = timezone.now() - timedelta(hours=1)
    notification = intake.register(
        cpr=cpr, first_name="", last_name="", district=None, received_at=hour,
        source="school", content="Bekymring", by=worker,
    )  # fmt: skip
    first, last = QUEUE_NAMES[side].split()
    queue = intake.register(
        cpr=queue_cpr, first_name=first, last_name=last, district=district, received_at=hour,
        source="police", content="Opkald", by=worker,
    )  # fmt: skip
    assert queue.case is None
    consent = consent_for(case, psych, by=worker)
    sharing = consent_services.share(case, user=psych, by=worker)
    complaint = Complaint.objects.create(child=child, team=case.team, case=case, received_on=today)
    return Bundle(
        case, inv, episode, visitation, exception, notification, queue, consent, sharing, complaint
    )


@pytest.fixture
def world(org):
    users = {
        "cw1": org.cw1,
        "cw2": org.cw2,
        "leader": org.leader,
        "psych": org.psych,
        "psych_withdrawn": org.user("pia", Profession.PSYCHOLOGIST, org.north),
        "hv": org.user("hanne", Profession.HEALTH_VISITOR, org.north),
        "school": org.user("sara", Profession.SCHOOL, org.north),
        "analyst": org.analyst,
        "admin": org.user("adam", Profession.ADMINISTRATOR, None),
        "dpo": org.user("dorte", Profession.DATA_PROTECTION, None),
        "superuser": User.objects.create_superuser("root", password="x"),
    }
    users["admin"].is_staff = True
    users["admin"].save()
    users["admin"].user_permissions.set(Permission.objects.all())
    users["staff_admin"] = org.user("stine", "", None)
    users["staff_admin"].is_staff = True
    users["staff_admin"].save()
    users["staff_admin"].user_permissions.set(Permission.objects.all())
    south_psych = org.user("per", Profession.PSYCHOLOGIST, org.south)
    bundles = {
        "north": make_bundle(org, "north", org.cw1, org.leader, org.psych),
        "south": make_bundle(org, "south", org.cw_south, org.leader_south, south_psych),
    }
    north = bundles["north"].case
    # psych_withdrawn: shared, consent withdrawn today. hv: a consent for the profession only.
    withdrawn = consent_for(north, users["psych_withdrawn"], by=org.cw1)
    consent_services.share(north, user=users["psych_withdrawn"], by=org.cw1)
    consent_services.withdraw_consent(withdrawn, on=timezone.localdate(), by=org.cw1)
    users.update(people_who_moved(org))
    users["psych_glass"] = org.user("gitte", Profession.PSYCHOLOGIST, None)
    consent_services.break_glass(
        north, user=users["psych_glass"], reason="Barnet bragt ind om natten, sagsbehandler syg"
    )
    consent_services.register_consent(
        north, by=org.cw1, custody_holder="Far Nordbarn", relation=Relation.FATHER,
        scope=Scope.CASE_INFORMATION, profession=Profession.HEALTH_VISITOR, recipient=None,
        valid_from=timezone.localdate(), valid_to=None,
    )  # fmt: skip
    return users, bundles


def outcome(response: Any, category: str) -> str:
    """allow: the page or the action's answer (400: allowed, but the empty form is refused);
    deny: 401 (the API without its token), 403, 404 or a redirect to a login page; anything
    else is an error."""
    code = response.status_code
    if category == "public" and code in (200, 302):
        return "allow"  # logging in or out, choosing the language
    if code in (200, 400) or (code == 302 and "login" not in response.url):
        return "allow"
    if code in (401, 403, 404) or code == 302:
        return "deny"
    return f"error {code}"


def people_who_moved(org: Any) -> dict[str, User]:
    """cw_moved, former_leader and demoted_leader: north staff whose team or role changed after
    they worked on north cases. The moved caseworker keeps an old north case with an overdue
    follow-up (nobody reassigned it), which the old code still listed on home, the due list
    and the calendar feed."""
    west = Team.objects.create(municipality=org.municipality, name="Team Vest")
    moved = org.user("mikkel", Profession.CASEWORKER, org.north)
    former = org.user("frida", Profession.TEAM_LEADER, org.north)
    demoted = org.user("dennis", Profession.TEAM_LEADER, org.north)
    child = org.child("0505195678", district=org.d_north)
    child.first_name, child.last_name = MOVED_NAME.split()
    child.save()
    old_case = org.case(child, moved)
    institution = Intervention.objects.create(
        name="Botilbud Vest", step_id=5, placement_type="residential_institution",
        cadence_category="institution",
    )  # fmt: skip
    Episode.objects.create(
        child=child, case=old_case, intervention=institution, daily_cost=Decimal(1500),
        start_on=timezone.localdate() - timedelta(days=90), created_by=moved,
    )  # fmt: skip
    moved.team = west
    former.team = west
    demoted.profession = Profession.CASEWORKER
    for user in (moved, former, demoted):
        user.save()
    return {"cw_moved": moved, "former_leader": former, "demoted_leader": demoted}


def readable_names(role: str) -> set[str]:
    names = {CHILD_NAMES[b] for b in BUNDLES if role in READ[b]}
    names |= {MOVED_NAME} if role in TEAM_READERS["north"] else set()
    return names | {QUEUE_NAMES[b] for b in BUNDLES if role in TEAM_READERS[b]}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    users, bundles = world
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    everyone = set(CHILD_NAMES.values()) | set(QUEUE_NAMES.values()) | {MOVED_NAME}
    hidden = everyone - readable_names(role)
    calls = []
    for name in url_names():
        found = entry(name)
        if name in UNCALLED or found is None:
            continue  # unclassified: test_every_url_is_classified fails for it
        category, method, args = found
        for b in BUNDLES:
            calls.append((name, category, method, args, b))
    # Reads first, then changes; logging out last of all.
    calls.sort(key=lambda c: (c[1] == "public" and c[2] == "post", c[2] == "post"))
    failures = []
    for name, category, method, args, b in calls:
        url = reverse(name, args=args(bundles[b]))
        response = getattr(client, method)(url)
        expected = "allow" if role in RULES[category](b) else "deny"
        got = outcome(response, category)
        if got != expected:
            failures.append(
                f"{got} but expected {expected}: {method.upper()} {name} [{b}] → "
                f"{response.status_code}"
            )
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text"):
            page = response.content.decode()
            if category in NAMES_THE_CHILD:
                continue  # allowed to see this one child (checked above)
            leaked = sorted(n for n in hidden if n in page)
            if leaked:
                failures.append(f"leak: {method.upper()} {name} [{b}] shows {leaked}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_the_deny_side_is_real(world):
    """The matrix would pass trivially if the world were empty: the readers do see the child."""
    users, bundles = world
    for role in ("cw1", "cw2", "leader", "psych"):
        client = Client()
        client.force_login(users[role])
        page = client.get(reverse("cases:case", args=[bundles["north"].case.pk])).content.decode()
        assert CHILD_NAMES["north"] in page, role
