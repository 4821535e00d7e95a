"""Query-count pins (F7 point 7): the case page with a realistic case, and the home pages."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.activities import services as activities
from trappen.activities.models import Activity
from trappen.cases.models import JournalEntry
from trappen.followups import services as followups
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.network import services as network
from trappen.organisation.models import Profession
from trappen.plans import services as plans


def ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def rules_loaded() -> None:
    """A transactional test after another one's flush finds the migrations' rule data gone:
    load the deadlines, legal bases and cadence rules again (the catalogue: `org.intervention`)."""
    from trappen.followups.loading import load_cadence
    from trappen.followups.models import CadenceRule, CadenceRuleSet
    from trappen.rules.loading import load_deadlines, load_legal_bases
    from trappen.rules.models import DeadlineRule, LegalBasis

    if not DeadlineRule.objects.exists():
        load_deadlines(DeadlineRule)
    if not LegalBasis.objects.exists():
        load_legal_bases(LegalBasis)
    if not CadenceRuleSet.objects.exists():
        load_cadence(CadenceRuleSet, CadenceRule)


def realistic_case(org):
    """Several measures with follow-ups, journal notes, a network meeting, an activity, plan
    revisions and an investigation."""
    rules_loaded()
    case = org.case()
    hv = org.user("hanne", Profession.HEALTH_VISITOR, org.north)
    share_with_consent(case, hv, by=org.cw1)
    for n in range(5):
        JournalEntry.objects.create(
            case=case, author=org.cw1, heading=JournalEntry.Heading.NOTE, text=f"Note {n}",
            written_at=timezone.make_aware(datetime.combine(ago(50 - n), time(9))),
        )  # fmt: skip
    investigations.start(case, started_on=ago(55), by=org.cw1)
    for step, start in ((1, 50), (2, 40), (4, 30)):
        episode = measures.start(
            case, intervention=org.intervention(step), start_on=ago(start), end_on=None,
            end_reason="", provider="", daily_cost=500, by=org.cw1, movement_reason="child_wish",
        )  # fmt: skip
        for held in (start - 5, start - 15):
            followups.record(
                episode, held_on=ago(held), form="meeting", child_conversation=True,
                conversation_note="Godt", plan_review="kept", next_agreed_on=None, note="",
                by=org.cw1,
            )  # fmt: skip
    for _ in range(2):
        plans.revise(case, purpose="Skolegang", goals=[], by=org.cw1)
    start = timezone.make_aware(datetime.combine(ago(20), time(10)))
    network.call(
        case, by=org.cw1, people=[network.Person("child", "Testa")], kind="network",
        concern="Fravær", concern_on=ago(25), purpose="At samle de voksne", reason="Fravær",
        starts_at=start, ends_at=start + timedelta(hours=1), place="Nordby Skole",
        chair="Anna", contact_name="Anna", signed_by="Anna",
    )  # fmt: skip
    activities.record(case, kind=Activity.Kind.JOINT_HOME_VISIT, held_on=ago(10), by=hv)
    return case


# F7's aim: 25, reached. The case file reads the case's rows once (casefile.loaded.Loaded), asks in
# one query which of the rarer relations (visitation requests, transfers, early steps,
# complaints, activities, network meetings, sibling tasks, exceptions, reports, area
# assessments) have rows at all and reads only those; the user's unread messages are counted
# with the user (security.backends), the follow-up rule sets come with their rules in one query
# (followups.schedule.Rules.load), the break-the-glass banner shows the grant the access was
# decided through (policy.get_case). Measured in a transaction of its own, as a request runs
# (a test's enclosing transaction adds a SAVEPOINT and a RELEASE around each write), and after
# one warm-up GET: the session's last-seen time is written at most every 30 s
# (security.middleware.LAST_SEEN_RESOLUTION_SECONDS), not on every page. The count holds the
# audit write's BEGIN (IMMEDIATE on SQLite) and COMMIT. 25 on either database.
CASE_PAGE_QUERIES = 25
HOME_QUERIES = 23
# The team view's overdue deadlines (F10 point 5, casefile.deadlines): the team's open cases,
# their unassessed notifications, open investigations and active episodes, 3 queries for any
# number of cases (the follow-ups are the panel's own reading, planned once).
TEAM_QUERIES = 23


@pytest.mark.django_db(transaction=True)
def test_the_case_page_of_a_realistic_case_does_not_grow_past_its_pin(
    org, django_assert_max_num_queries
):
    case = realistic_case(org)
    client = org.client(org.cw1)
    assert client.get(f"/cases/{case.pk}/").status_code == 200  # the session's last-seen write
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('<span class="kind">') >= 20  # the whole history


@pytest.mark.django_db
def test_the_caseworkers_home_is_pinned(org, django_assert_max_num_queries):
    realistic_case(org)
    org.case(org.child("0202151234"))
    client = org.client(org.cw1)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/my/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_team_leaders_home_is_pinned(org, django_assert_max_num_queries):
    realistic_case(org)
    org.case(org.child("0202151234"))
    client = org.client(org.leader)
    with django_assert_max_num_queries(TEAM_QUERIES):
        response = client.get("/team/")
    assert response.status_code == 200
