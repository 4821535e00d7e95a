"""Every page that shows case data writes exactly one READ entry for what it shows.

The pages are found from the URL resolver: every pattern with a pk argument (pk, child_pk, …)
outside the admin must be classified below; a new one that is not makes the test fail.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from trappen.audit.models import AuditEntry
from trappen.measures.models import VisitationRequest

from .conftest import last_sequence, reads

PK_ARGUMENT = re.compile(r"<(?:\w+:)?(\w*pk)>")


def pk_patterns() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str, ns: str | None) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{ns}:{p.name}" if ns else p.name), prefix + str(p.pattern)

    for name, route in walk(get_resolver().url_patterns, "", None):
        # The admin shows no case content to anyone the policy lets in (docs/audit.md).
        if name.startswith("admin:"):
            continue
        if PK_ARGUMENT.search(route):
            yield name


def _sibling_task(w: Any) -> Any:
    from trappen.investigations.models import SiblingInvestigationTask

    return SiblingInvestigationTask.objects.get_or_create(
        episode=w.episode, defaults={"case": w.episode.case}
    )[0]


def _visitation(w: Any) -> VisitationRequest:
    return VisitationRequest.objects.create(
        case=w.case,
        requested_by=w.cw1,
        threshold=Decimal("20000"),
        intervention=w.org.intervention(4, "institution"),
        start_on=timezone.localdate(),
        daily_cost=Decimal("1500"),
    )


def _consent(w: Any) -> Any:
    from trappen.consent import services

    return services.register_consent(
        w.case,
        by=w.leader,
        custody_holder="Mor",
        relation="mother",
        scope="case_information",
        profession="psychologist",
        valid_from=date(2020, 1, 1),
    ).pk


def _pending_transfer(w: Any) -> int:
    from trappen.cases import services as cases
    from trappen.measures import services as measures

    measures.end(w.episode, end_on=timezone.localdate(), end_reason="moved")
    cases.request_transfer(
        w.case,
        to_district=w.d_south,
        receiving_team_leader=w.leader_south,
        handover_meeting_on=timezone.localdate(),
        by=w.cw1,
    )
    return w.case.pk


def _network_meeting(w: Any) -> int:
    from trappen.network import services as network

    start = timezone.now() - timedelta(days=1)
    return network.call(
        w.case, by=w.case.caseworker, people=[network.Person("parent", "Mor")],
        concern="Fravær", concern_on=timezone.localdate() - timedelta(days=5),
        purpose="Samle de voksne", reason="Fravær", starts_at=start,
        ends_at=start + timedelta(hours=1), place="Skolen", chair="Anna",
        contact_name="Anna", signed_by="Anna",
    ).pk  # fmt: skip


def _complaint(w: Any) -> int:
    from trappen.cases.models import Complaint

    return Complaint.objects.create(
        child=w.case.child, team=w.case.team, case=w.case, received_on=timezone.localdate()
    ).pk


Shown = Callable[[Any], tuple[list[Any], Any, Any]]  # world -> (url args, what is read, who)


def case_page(arg: Callable[[Any], Any] = lambda w: w.case.pk) -> Shown:
    return lambda w: ([arg(w)], w.case, w.leader)


# Every pk pattern: a GET shows this object (and writes one READ entry for it) or the view
# takes POST only. The object is what policy hands out: the case, a notification, the child.
SHOWS: dict[str, Shown] = {
    "cases:case": case_page(),
    "cases:early_step_add": case_page(),
    "cases:close": case_page(),
    "cases:transfer": case_page(),
    "cases:receive": lambda w: ([_pending_transfer(w)], w.case, w.leader_south),
    "cases:complaint_add": case_page(),
    "cases:complaint_outcome": case_page(lambda w: _complaint(w)),
    "plans:action_plan": case_page(),
    "plans:revise": case_page(),
    "plans:revision": lambda w: ([w.case.pk, 1], w.case, w.leader),
    "investigations:start": case_page(),
    "investigations:investigation": case_page(lambda w: w.inv.pk),
    "measures:episode_add": case_page(),
    "measures:episode_end": case_page(lambda w: w.episode.pk),
    "measures:episode_exit_plan": case_page(lambda w: w.episode.pk),
    "followups:record": case_page(lambda w: w.episode.pk),
    "investigations:sibling_task": case_page(lambda w: _sibling_task(w).pk),
    "measures:visitation_decide": case_page(lambda w: _visitation(w).pk),
    "intake:notification": lambda w: ([w.notification.pk], w.notification, w.leader),
    "consent:add": case_page(),
    "consent:share": case_page(),
    "consent:withdraw": case_page(_consent),
    "audit:child_history": lambda w: ([w.case.child.pk], w.case.child, w.leader),
    "network:meeting_add": case_page(),
    "network:meeting_edit": case_page(_network_meeting),
    "network:invitation": case_page(_network_meeting),
    "network:minutes": case_page(_network_meeting),
    "network:minutes_edit": case_page(_network_meeting),
    "network:consent": case_page(_network_meeting),
    "activities:add": case_page(),
    "wellbeing:sdq_add": case_page(),
}
# The data subject's access report: getting it is logged as one EXPORT of the child instead.
EXPORTS = {
    "privacy:report": lambda w: ([w.case.child.pk], w.case.child, w.leader),
    "privacy:report_json": lambda w: ([w.case.child.pk], w.case.child, w.leader),
}
POST_ONLY = {
    "intake:confirm_child",
    "cases:journal_add",
    "intake:assess",
    "intake:assign",
    "investigations:network_add",
    "investigations:complete",
    "investigations:awareness",
    "investigations:preliminary",
    "investigations:areas",
    "followups:provider_report_record",
    "intake:reassess",
    "intake:receipt",
    "intake:urgent_handled",
    # Removes a shift from the team's duty roster: no case data.
    "intake:duty_remove",
    "followups:exception_approve",
    "followups:exception_withdraw",
    "consent:unshare",
    # Sends the minutes of a meeting read through get_network_meeting (its READ entry there).
    "network:send_minutes",
    # Discards the user's own kept input (F10 point 2): no case data is shown.
    "security:discard",
    # Drafts (F10 point 2): the autosaves and the discard answer a status line, no case data;
    # the draft and its removal are audited as case content (Draft is case data; tests/drafts).
    "drafts:journal",
    "drafts:minutes",
    "drafts:discard",
    # After a resource-centre meeting (F8 point 7): the teacher's call to the parents and the
    # sending of the minutes, POSTs on a team meeting that redirect to its page.
    "meetings:item_parents_called",
    "meetings:minutes_send",
}
# Pages with a case pk whose GET answers without showing the case to an allowed user.
NOT_A_READ = {
    # The case's own team already sees it; breaking the glass is for those outside (P).
    "consent:break_glass",
    # A team meeting's pages: an item names a child only under consent, and then the page
    # notes a READ of that case (tests/meetings); the meeting itself is not case data.
    "meetings:meeting",
    "meetings:meeting_edit",
    "meetings:item_add",
    "meetings:agenda_order",
    "meetings:participant_add",
    "meetings:minutes",
    "meetings:agreement_add",
    "meetings:agreement_close",
    # The series' coordinator and an item's parents' information: POSTs on a team meeting
    # (an item names a child only under consent; the page that shows it notes the READ).
    "meetings:coordinator",
    "meetings:item_parents",
    # The author's own draft: its READ is of the draft, as case content, in the page's entry
    # (tests/drafts/test_drafts.py); anyone else gets 404, audited.
    "drafts:draft",
}


def test_every_pattern_with_a_pk_is_classified():
    classified = set(SHOWS) | set(EXPORTS) | POST_ONLY | NOT_A_READ | API_BY_TOKEN
    unclassified = set(pk_patterns()) - classified
    assert not unclassified, f"classify these URL patterns in {__file__}: {sorted(unclassified)}"
    gone = classified - set(pk_patterns())
    assert not gone, f"no longer URL patterns: {sorted(gone)}"


# The API: a session answers 401 (bearer token only); with a token, exactly one READ entry per
# call is tested in tests/api/test_audit_completeness.py.
API_BY_TOKEN = {"api:case", "api:child", "api:episode", "api:followup"}


@pytest.mark.parametrize("name", sorted(SHOWS))
def test_a_get_writes_exactly_one_read_entry_for_what_it_shows(world, name):
    args, shown, who = SHOWS[name](world)
    client = world.org.client(who)
    before = last_sequence()
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    entries = reads(before)
    assert [(e.object_type, e.object_pk) for e in entries] == [
        (shown._meta.label_lower, str(shown.pk))
    ]
    entry = entries[0]
    assert (entry.actor, entry.actor_username) == (who, who.username)
    assert entry.child_pk == world.case.child.pk
    assert entry.path == reverse(name, args=args)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_access_report_writes_exactly_one_export_entry_and_no_read(world, name):
    args, shown, who = EXPORTS[name](world)
    client = world.org.client(who)
    before = last_sequence()
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    entries = list(AuditEntry.objects.filter(pk__gt=before))
    assert [(e.action, e.object_type, e.object_pk, e.actor) for e in entries] == [
        ("export", shown._meta.label_lower, str(shown.pk), who)
    ]


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_a_post_only_page_answers_get_with_405_and_logs_no_read(world, name):
    client = world.org.client(world.leader)
    before = last_sequence()
    assert client.get(reverse(name, args=[1])).status_code == 405
    assert reads(before) == []


def test_a_refused_page_logs_no_read(world):
    before = last_sequence()
    response = world.org.client(world.cw_south).get(reverse("cases:case", args=[world.case.pk]))
    assert response.status_code == 403  # "Ingen adgang" (F10 point 3)
    assert reads(before) == []


def test_two_looks_in_one_request_are_one_entry_and_each_request_counts(world):
    client = world.org.client(world.cw2)
    before = last_sequence()
    url = reverse("investigations:investigation", args=[world.inv.pk])
    client.get(url)
    client.get(url)
    assert len(reads(before)) == 2
    assert AuditEntry.objects.filter(pk__gt=before, object_pk=str(world.case.pk)).count() == 2
