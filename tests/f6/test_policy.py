"""F6 point 1 (one policy) and the access halves of points 3 and 7: every list, panel and feed is
built from the policy's querysets, one resolver reaches the objects of a case, no write rests
on break-the-glass, and nothing outside trappen/access/ decides access.

Each test is named after the finding it reproduces (issue F6)."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.access import policy
from trappen.access.policy import Action
from trappen.activities.models import Activity
from trappen.audit.models import AuditAction, AuditEntry
from trappen.consent import services as consent_services
from trappen.followups import duelist
from trappen.followups.calendar import feed_for
from trappen.followups.models import FollowUpException
from trappen.measures.models import Episode
from trappen.organisation.models import Profession

from ..conftest import DAILY_COST

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "trappen"
REASON = "Barnet bragt ind om natten, sagsbehandleren er syg"


def episode_on(org, case, days_ago=70):
    """An institution measure started `days_ago`: nothing held, so a follow-up is overdue."""
    intervention = org.intervention(5, "residential_institution")
    intervention.cadence_category = "institution"
    intervention.save()
    return Episode.objects.create(
        child=case.child,
        case=case,
        intervention=intervention,
        start_on=timezone.localdate() - timedelta(days=days_ago),
        daily_cost=DAILY_COST,
        created_by=case.caseworker,
    )


def named_child(org):
    child = org.child("0101151234")
    child.first_name, child.last_name = "Nora", "Nordbarn"
    child.save()
    return child


def move(user, team):
    user.team = team
    user.save()
    user.refresh_from_db()
    return user


def case_reads(case, since=0):
    """READ entries since `since` that name `case` (alone or in a list page's entry)."""
    out = []
    for entry in AuditEntry.objects.filter(sequence__gt=since, action=AuditAction.READ):
        shown = [(entry.object_type, entry.object_pk)]
        shown += [(t, p) for t, p, _c in entry.objects_shown or []]
        if ("cases.case", str(case.pk)) in shown:
            out.append(entry)
    return out


def last_sequence():
    entry = AuditEntry.objects.order_by("-sequence").first()
    return entry.sequence if entry else 0


# ---- lists, panels and feeds follow the policy (point 1) ---------------------------------------


def test_moved_caseworker_does_not_see_old_team_on_home(org):
    case = org.case(named_child(org))
    episode_on(org, case)
    assert "Nordbarn" in org.client(org.cw1).get(reverse("dashboards:my_home")).content.decode()
    move(org.cw1, org.south)
    since = last_sequence()
    page = org.client(org.cw1).get(reverse("dashboards:my_home")).content.decode()
    assert "Nordbarn" not in page
    assert case_reads(case, since) == []  # no audit READ of a case they may no longer open
    assert org.client(org.cw1).get(reverse("cases:case", args=[case.pk])).status_code == 403


def test_moved_caseworker_does_not_see_old_team_on_due_list(org):
    case = org.case(named_child(org))
    episode_on(org, case)
    move(org.cw1, org.south)
    since = last_sequence()
    response = org.client(org.cw1).get(reverse("followups:my_due"))
    assert "Nordbarn" not in response.content.decode()
    assert response.context["due"].overdue == []
    assert case_reads(case, since) == []
    assert duelist.for_caseworker(org.cw1, timezone.localdate()).overdue == []


def test_calendar_feed_follows_policy(org):
    case = org.case(named_child(org))
    episode = episode_on(org, case)
    assert f"followup-{episode.pk}-" in feed_for(org.cw1, timezone.localdate())
    move(org.cw1, org.south)
    assert f"followup-{episode.pk}-" not in feed_for(org.cw1, timezone.localdate())


def test_former_team_leader_loses_the_old_teams_due_list(org):
    case = org.case(named_child(org))
    episode_on(org, case)
    overview = duelist.for_team(org.leader, org.north, timezone.localdate())
    assert [r.case for r in overview.overdue] == [case]
    move(org.leader, org.south)  # now leads the south team
    assert duelist.for_team(org.leader, org.north, timezone.localdate()).overdue == []
    page = org.client(org.leader).get(reverse("followups:team_due")).content.decode()
    assert "Nordbarn" not in page


def test_demoted_team_leader_cannot_approve_exceptions(org):
    case = org.case(named_child(org))
    episode = episode_on(org, case)
    org.leader.profession = Profession.CASEWORKER  # demoted, same team, not the caseworker
    org.leader.save()
    url = reverse("followups:exception_approve", args=[episode.pk])
    response = org.client(org.leader).post(url, {"kind": "far_away", "reason": "Aftalt"})
    assert response.status_code == 403
    assert not FollowUpException.objects.exists()
    page = org.client(org.leader).get(reverse("cases:case", args=[case.pk])).content.decode()
    assert reverse("followups:exception_approve", args=[episode.pk]) not in page


# ---- one resolver for the objects of a case (point 1) -------------------------------------------


def test_objects_of_a_case_answer_404_for_missing_and_forbidden_alike(org):
    south_case = org.case(org.child("0303171238", org.d_south), org.cw_south)
    south = episode_on(org, south_case)
    client = org.client(org.cw1)
    forbidden = client.get(reverse("measures:episode_end", args=[south.pk]))
    missing = client.get(reverse("measures:episode_end", args=[south.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    north = episode_on(org, org.case(named_child(org)))
    assert (
        org.client(org.cw2).get(reverse("measures:episode_end", args=[north.pk])).status_code == 403
    )
    since = last_sequence()
    assert client.get(reverse("measures:episode_end", args=[north.pk])).status_code == 200
    assert len(case_reads(north.case, since)) == 1


def test_get_case_of_resolves_through_the_case(org):
    case = org.case(named_child(org))
    episode = episode_on(org, case)
    found = policy.get_case_of(org.cw1, Episode, episode.pk, Action.EDIT)
    assert found == episode and found.case == case
    with pytest.raises(Exception) as denied:
        policy.get_case_of(org.cw2, Episode, episode.pk, Action.EDIT)
    assert type(denied.value).__name__ == "PermissionDenied"
    with pytest.raises(Exception) as hidden:
        policy.get_case_of(org.cw_south, Episode, episode.pk)
    assert type(hidden.value).__name__ == "Http404"


# ---- break-the-glass is read-only everywhere (point 7) ------------------------------------------


def test_psychologist_cannot_write_under_break_glass(org):
    case = org.case(named_child(org))
    south_psych = org.user("per", Profession.PSYCHOLOGIST, org.south)
    consent_services.break_glass(case, user=south_psych, reason=REASON)
    client = org.client(south_psych)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200  # reading: yes
    url = reverse("activities:add", args=[case.pk])
    data = {"kind": "clarifying_talk", "held_on": timezone.localdate().isoformat(), "note": ""}
    assert client.post(url, data).status_code == 403
    assert not Activity.objects.exists()


def test_break_glass_grants_no_write_action(org):
    case = org.case(named_child(org))
    south_psych = org.user("per", Profession.PSYCHOLOGIST, org.south)
    for user in (org.cw_south, org.leader_south, south_psych):
        consent_services.break_glass(case, user=user, reason=REASON)
        assert policy.may(user, Action.VIEW, case)
        writes = {a for a in policy.WRITES if policy.may(user, a, case)}
        assert writes == set(), user
        assert policy.recordable_kinds(user, case) == []


def test_psychologist_with_sharing_still_records_own_activity(org):
    """The deny side is real: the same write is allowed where it rests on a sharing."""
    case = org.case(named_child(org))
    share_with_consent(case, org.psych, by=org.cw1)
    assert policy.recordable_kinds(org.psych, case) == [Activity.Kind.CLARIFYING_TALK]


def test_break_glass_case_cannot_be_put_on_a_meeting_agenda(org):
    from trappen.meetings import services as meetings

    case = org.case(named_child(org))
    series = meetings.create_internal_series(org.north)
    day = timezone.localdate() + timedelta(days=1)
    meeting = meetings.plan(series, day, day)[0]
    consent_services.break_glass(case, user=org.psych, reason=REASON)
    url = reverse("meetings:item_add", args=[meeting.pk])
    client = org.client(org.psych)
    assert f'value="{case.pk}"' not in client.get(url).content.decode()
    client.post(url, {"kind": "child", "title": "Nora", "case": case.pk})
    assert not meeting.items.exists()


# ---- navigation decided by the policy -----------------------------------------------------------


def test_navigation_links_come_from_the_policy(org):
    school = org.user("skole", Profession.SCHOOL, org.north)
    assert "cases:list" not in {link.url_name for link in policy.links(school)}
    assert {link.url_name for link in policy.links(org.psych)} >= {
        "dashboards:shared",  # the cases shared with them (F10 point 4)
        "meetings:list",
    }
    assert "followups:my_due" not in {link.url_name for link in policy.links(org.psych)}
    assert "followups:team_due" in {link.url_name for link in policy.links(org.leader)}
    page = org.client(school).get(reverse("catalogue:index")).content.decode()
    nav = page[page.index("<nav ") : page.index("</nav>")]
    assert f'"{reverse("cases:list")}"' not in nav
    assert f'"{reverse("intake:concern")}"' in nav


# ---- nothing reads case data or decides access outside the policy (point 1) ----------------------

# Models whose rows name a child or hang off a case.
CASE_MODELS = {
    "Case", "Child", "Notification", "Episode", "ChildInvestigation", "NetworkMapEntry",
    "VisitationRequest", "Movement", "FollowUp", "FollowUpException", "JournalEntry",
    "EarlyStep", "Transfer", "CaseAssignment", "Complaint", "ActionPlan", "ActionPlanRevision",
    "Goal", "NetworkMeeting", "Participant", "Activity", "Consent", "Sharing", "BreakGlass",
    "AgendaItem", "Submission", "Notice",
}  # fmt: skip
# Where a case-bearing model may be queried directly, and why.
QUERY_ALLOWLIST = {
    ("meetings/views.py", "Submission"): "a school contact's own submissions (submitted_by=user)",
    ("audit/views.py", "Child"): "who has seen a child: behind may_view_audit, no case content",
    ("followups/duelist.py", "Episode"): "active_episodes of the case queryset its callers take "
    "from the policy (own_open_cases, team_open_cases, visible_cases)",
    ("followups/duelist.py", "FollowUp"): "the prefetch of those episodes' follow-ups",
    ("followups/duelist.py", "ChildInvestigation"): "the prefetch of those episodes' cases' "
    "investigations (case__investigations), for the § 95 first follow-up",
    ("plans/casefile.py", "ActionPlanRevision"): "the revisions of the one case the case page "
    "took from policy.get_case (plan__case=case)",
    ("followups/duelist.py", "FollowUpException"): "the exceptions of those episodes "
    "(episode_id__in the policy's episodes), read as tuples",
    # The case page's rows, read once (F7): always of the one case compose() got from the view,
    # which took it from policy.get_case.
    ("casefile/loaded.py", "Notification"): "the notifications of the one case (a Prefetch "
    "on case.notifications)",
    ("casefile/loaded.py", "ActionPlanRevision"): "the revisions of the one case (plan__case)",
    ("casefile/loaded.py", "Case"): "which of the one case's rarer relations have rows "
    "(Loaded.present: EXISTS of each, filtered on that case's pk)",
    (
        "casefile/deadlines.py",
        "Notification",
    ): "the rows of the cases read through the policy, one query",
    (
        "casefile/deadlines.py",
        "ChildInvestigation",
    ): "the rows of the cases read through the policy, one query",
    (
        "casefile/deadlines.py",
        "Episode",
    ): "the rows of the cases read through the policy, one query",
    (
        "casefile/deadlines.py",
        "ActionPlanRevision",
    ): "the rows of the cases read through the policy, one query",
}


def read_sources():
    """The modules that render lists, panels and feeds: views, template tags, feeds."""
    files = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/views/*.py"),
        *ROOT.glob("*/templatetags/*.py"),
        *ROOT.glob("*/casefile.py"),  # the case page's panels and timeline
        *ROOT.glob("casefile/*.py"),
    ]
    files += [ROOT / "followups/calendar.py", ROOT / "followups/duelist.py"]
    files += [ROOT / "meetings/calendar.py", ROOT / "notices/context_processors.py"]
    files += [ROOT / "network/calendar.py"]
    return sorted(f for f in files if f.exists())


def direct_queries(path):
    """`Model.objects` and `type(x).objects` on a case-bearing model in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            target = node.value
            if isinstance(target, ast.Name) and target.id in CASE_MODELS:
                found.append((target.id, node.lineno))
            elif isinstance(target, ast.Call) and getattr(target.func, "id", "") == "type":
                found.append(("type(...)", node.lineno))
    return found


def test_views_tags_and_feeds_read_case_data_only_through_the_policy():
    offenders = []
    for path in read_sources():
        rel = str(path.relative_to(ROOT))
        for model, line in direct_queries(path):
            if (rel, model) not in QUERY_ALLOWLIST:
                offenders.append(f"{rel}:{line} {model}.objects")
    assert not offenders, (
        "Read case data through trappen.access.policy (visible_cases, visible_of, get_case_of, "
        f"own_open_cases, ...), or add the line to QUERY_ALLOWLIST with a reason: {offenders}"
    )


def test_the_query_check_catches_a_direct_query(tmp_path):
    """The check above can fail: today's duelist query would be caught."""
    sample = tmp_path / "duelist.py"
    sample.write_text("cases = Case.objects.filter(caseworker=user)\n")
    assert direct_queries(sample) == [("Case", 1)]


# Code that decides access by looking at a user's profession or team.
DECIDES = re.compile(
    r"is_team_leader|is_caseworker|\.profession\s*(==|!=|in\b|not in\b)|"
    r"user\.team_id\s*(==|!=)|team_id\s*==\s*\w*user|user\.profession\s*==|"
    r"user\.profession|user\.is_team_leader"
)
# Lines outside trappen/access/ that compare professions or teams, and why: domain rules and
# validation (who can take a case over), not access. (module, a fragment of the line) → reason.
DECIDES_ALLOWLIST = {
    ("organisation/models.py", "self.profession == Profession."): "defines is_caseworker etc.",
    ("organisation/models.py", "def is_caseworker(self)"): "the property's definition",
    ("organisation/models.py", "def is_team_leader(self)"): "the property's definition",
    ("cases/services.py", "receiving_team_leader.is_team_leader"): "a transfer goes to a team "
    "leader of the receiving team: validation of the transfer",
    ("cases/services.py", "not caseworker.is_caseworker"): "the receiving team names one of "
    "its caseworkers: validation",
    ("intake/services.py", "not caseworker.is_caseworker"): "a notification is assigned to a "
    "caseworker of the team: validation",
    ("intake/services.py", "by.profession != Profession.SCHOOL"): "a child created from a "
    "school's concern stays unconfirmed: whose word a name rests on, not access",
    ("consent/services.py", "user.profession not in {"): "a case is shared only with a "
    "psychologist or health visitor: validation of the sharing",
    ("meetings/services.py", "ROLE_OF_PROFESSION.get(user.profession"): "the participant's "
    "role shown on the agenda",
    ("followups/models.py", "{user.profession}|{user.team_id}"): "the feed token's account "
    "stamp: a new profession or team ends the token",
    ("demo/network.py", "(user.team_id, user.profession)"): "builds the demo municipality",
}


def test_no_module_outside_access_decides_access():
    offenders = []
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]):
        rel = str(path.relative_to(ROOT))
        if rel.startswith(("access/", "locale/")) or "/migrations/" in rel:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            allowed = any(rel == m and fragment in line for m, fragment in DECIDES_ALLOWLIST)
            if DECIDES.search(line) and not allowed:
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, (
        "Ask trappen.access.policy instead of testing a profession or team here (or add the "
        f"line to DECIDES_ALLOWLIST with a reason): {offenders}"
    )


def test_the_decision_check_catches_an_inline_leader_check():
    """The check above can fail: the inline checks F6 found would be caught."""
    found = [
        "if not (by.is_team_leader and by.team_id == episode.case.team_id):",
        '{% if user.is_caseworker or user.profession == "psychologist" %}',
        '"is_leader": user.is_team_leader and user.team_id == team.pk,',
    ]
    assert all(DECIDES.search(line) for line in found)
    assert not DECIDES.search("if policy.may(by, Action.APPROVE_EXCEPTION, episode.case):")
