"""The demo municipality: deterministic, shaped like the evaluation, usable for logging in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from trappen.cases.models import Case, Child, EarlyStep, JournalEntry, Transfer
from trappen.core.cpr import parse
from trappen.core.network import SlotState
from trappen.demo import generator
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import Episode
from trappen.network import services as network
from trappen.network.models import Slot
from trappen.organisation.models import District, Profession, User
from trappen.plans.models import ActionPlanRevision
from trappen.rules.models import DeadlineRule, date_deadline_for, deadline_for

SMALL = "120"


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--children", SMALL, "--yes", "--no-history", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "counts": {m._meta.label: m._base_manager.count() for m in generator.wiped_models()},
        "cprs": sorted(Child.objects.values_list("cpr", flat=True)),
        "costs": Episode.objects.aggregate(total=Sum("daily_cost"))["total"],
        "cases": sorted(
            Case.objects.values_list(
                "child__cpr", "status", "opened_on", "closed_on", "caseworker__username"
            )
        ),
        "notifications": sorted(
            Notification.objects.values_list("child__cpr", "received_at", "assessed_at")
        ),
        "users": sorted(User.objects.values_list("username", "profession", "team__name")),
    }


@pytest.fixture
def built(db: object) -> str:
    return demo()


def test_same_seed_and_day_give_the_same_municipality(built):
    first = snapshot()
    demo()  # wipes and builds again
    assert snapshot() == first
    assert first["counts"]["cases.Child"] == int(SMALL)


def test_the_organisation_has_pilot_and_other_districts(built):
    assert District.objects.count() == 12
    assert District.objects.filter(group__name="Pilot").count() == 4
    assert District.objects.filter(group__name="Øvrige").count() == 8
    for district in District.objects.select_related("team"):
        team = district.team
        assert team.caseworkers().exists()
        assert team.leaders().count() == 1
        assert team.members.filter(profession=Profession.PSYCHOLOGIST).count() == 1
        assert team.members.filter(profession=Profession.HEALTH_VISITOR).count() == 1
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(generator.PASSWORD)
    assert User.objects.get(username="sagsbehandler").check_password(generator.PASSWORD)


def test_children_have_valid_unique_cpr_numbers(built):
    today = timezone.localdate()
    children = list(Child.objects.all())
    assert len({c.cpr for c in children}) == len(children)
    for child in children:
        parsed = parse(child.cpr, today)
        assert parsed.birth_date == child.birth_date
        assert parsed.sex.value == child.sex
        assert 0 <= child.age_on(today) <= 17


def test_the_history_is_consistent(built):
    today = timezone.localdate()
    assert set(Episode.objects.values_list("intervention__step", flat=True)) == set(range(6))
    assert Episode.objects.filter(end_reason=Episode.EndReason.BREAKDOWN).exists()
    assert not Episode.objects.filter(start_on__gt=today).exists()
    for step, (low, high) in generator.DAILY_COST.items():
        costs = Episode.objects.filter(intervention__step=step).values_list("daily_cost", flat=1)
        assert all(low <= cost <= high for cost in costs)
    # A child investigation has its network map; an afdækning (§ 19) needs none.
    completed = ChildInvestigation.objects.filter(completed_on__isnull=False, tier="investigation")
    assert completed.exists()
    assert not completed.filter(network__isnull=True).exists()
    open_cases = Case.objects.exclude(status=Case.Status.CLOSED)
    assert open_cases.exists()
    assert not open_cases.exclude(caseworker__team=F("team")).exists()
    assert not open_cases.exclude(caseworker__profession=Profession.CASEWORKER).exists()
    assert not open_cases.exclude(closure_reason="").exists()
    closed = Case.objects.filter(status=Case.Status.CLOSED)
    assert not closed.filter(Q(closed_on__isnull=True) | Q(closure_reason="")).exists()
    assert not closed.filter(
        investigations__isnull=False, investigations__completed_on__isnull=True
    ).exists()
    assert not closed.filter(episodes__isnull=False, episodes__end_on__isnull=True).exists()
    assert not closed.filter(episodes__end_on__gt=F("closed_on")).exists()
    assert not Case.objects.filter(status=Case.Status.MEASURES, episodes__isnull=True).exists()
    assert not Case.objects.filter(
        status=Case.Status.INVESTIGATION, investigations__isnull=True
    ).exists()
    assert not Case.objects.exclude(assignments__isnull=False).exists()
    assert ActionPlanRevision.objects.filter(number=2).exists()
    # Everything happens while the case is open.
    for model in (Episode, EarlyStep, ChildInvestigation):
        date_field = {Episode: "start_on", EarlyStep: "held_on"}.get(model, "started_on")
        rows = model.objects.all()
        assert not rows.filter(**{f"{date_field}__lt": F("case__opened_on")}).exists()
        assert not rows.filter(**{f"{date_field}__gt": F("case__closed_on")}).exists()
        assert not rows.filter(**{f"{date_field}__gt": today}).exists()
    talks = EarlyStep.objects.filter(kind=EarlyStep.Kind.PSYCHOLOGIST_TALK)
    assert set(talks.values_list("talk_number", flat=True)) <= {1, 2, 3, 4, 5}
    headings = set(JournalEntry.objects.values_list("heading", flat=True))
    assert {JournalEntry.Heading.CHILD_CONVERSATION, JournalEntry.Heading.CHILD_HEARING} <= headings
    assert Transfer.objects.filter(completed_at__isnull=False).exists()
    assert not Transfer.objects.filter(completed_at__isnull=True).exists()


def test_deadlines_follow_the_rules(built):
    key = DeadlineRule.Key
    for n in Notification.objects.all():
        assert n.assessment_deadline == deadline_for(key.NOTIFICATION_ASSESSMENT, n.received_at)
    for inv in ChildInvestigation.objects.filter(tier="investigation"):
        # Barnets Lov § 20, stk. 3: the 4 months run from the day of awareness.
        assert inv.aware_on <= inv.started_on
        assert inv.deadline == date_deadline_for(key.CHILD_INVESTIGATION, inv.aware_on)
    assert ChildInvestigation.objects.filter(tier="afdaekning").exists()
    assert ChildInvestigation.objects.exclude(preliminary_on=None).exists()
    assert Notification.objects.exclude(reassessed_at=None).exists()
    assert Notification.objects.exclude(receipt_sent_on=None).exists()
    # The reserved network-meeting slots (F8 point 7) follow their release rule (slots.json):
    # one booked by a school's meeting before any case, unbooked ones a week ahead released.
    states = {network.state(slot) for slot in Slot.objects.all()}
    assert {SlotState.BOOKED, SlotState.RELEASED, SlotState.OPEN} <= states


def test_notifications_await_assessment_and_assignment(built):
    now = timezone.now()
    unassessed = Notification.objects.filter(assessed_at__isnull=True)
    assert unassessed.filter(assessment_deadline__lt=now).exists()
    assert Notification.objects.filter(case__isnull=True).exists()
    assert not Notification.objects.filter(received_at__gt=now).exists()
    assert not Notification.objects.filter(assessed_at__gt=now).exists()
    # Most are assessed within the 24 hours.
    assessed = Notification.objects.filter(assessed_at__isnull=False)
    late = assessed.filter(assessed_at__gt=F("assessment_deadline"))
    assert late.count() < assessed.count() / 5


def test_the_demo_caseworker_sees_their_cases(built, client):
    assert "sagsbehandler" in built and "Open http://127.0.0.1:8000 and log in" in built
    worker = User.objects.get(username="sagsbehandler")
    client.force_login(worker)
    response = client.get(reverse("dashboards:my_home"))
    assert response.status_code == 200
    case = Case.objects.filter(caseworker=worker).exclude(status=Case.Status.CLOSED).first()
    assert case is not None
    assert case.child.full_name in response.content.decode()


def test_the_demo_refuses_without_debug_or_yes(org, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--yes"):
        call_command("demo", "--children", SMALL, "--no-history", stdout=StringIO())
    assert User.objects.filter(pk=org.cw1.pk).exists()
