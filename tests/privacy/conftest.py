"""A child with one of everything a case can hold, built through the models."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from trappen.cases.models import Case, Child, Complaint, EarlyStep, JournalEntry
from trappen.consent.models import Consent, Scope
from trappen.followups.models import FollowUp
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation, NetworkMapEntry
from trappen.measures.models import Episode
from trappen.organisation.models import Profession
from trappen.plans.models import ActionPlan, ActionPlanRevision, Goal

# Free text and names that must leave the database when a case is anonymised.
SECRETS = {
    "notification": "Lærer så blå mærker på armen",
    "assessment": "Akut samtale med mor",
    "journal": "Far har drukket igen",
    "conclusion": "Barnet trives ikke hjemme",
    "network": "Moster Grethe Hansen",
    "purpose": "Ro i hverdagen",
    "goal": "Går i skole hver dag",
    "followup": "Trives i plejefamilien",
    "closure": "Familien er flyttet sammen med morfar",
    "complaint": "Mor klager over sagsbehandleren",
    "custody": "Mette Barnesen",
    "provider": "Plejefamilien Jensen",
    "early": "Sundhedsplejen har set familien",
}


@dataclass
class History:
    child: Child
    case: Case
    episode: Episode


def build_history(
    org, cpr: str = "0101151234", *, closed_on: date | None = None, district=None
) -> History:
    """A child with a case holding every kind of row; the case closed on `closed_on` if given."""
    child = org.child(cpr, district=district)
    caseworker = org.cw1 if (district or org.d_north) == org.d_north else org.cw_south
    case = org.case(child, caseworker)
    opened = case.opened_on if closed_on is None else closed_on - timedelta(days=400)
    case.opened_on = opened
    case.save()
    now = timezone.now()
    Notification.objects.create(
        child=child,
        case=case,
        received_at=now,
        source=Notification.Source.SCHOOL,
        content=SECRETS["notification"],
        registered_by=caseworker,
        assessment_deadline=now + timedelta(hours=24),
        assessed_by=caseworker,
        assessed_at=now,
        assessment_note=SECRETS["assessment"],
    )
    journal = JournalEntry.objects.create(
        case=case, author=caseworker, heading=JournalEntry.Heading.NOTE, text=SECRETS["journal"]
    )
    EarlyStep.objects.create(
        case=case,
        kind=EarlyStep.Kind.NETWORK_MEETING,
        held_on=opened,
        note=SECRETS["early"],
        recorded_by=caseworker,
    )
    investigation = ChildInvestigation.objects.create(
        case=case,
        started_on=opened,
        deadline=opened + timedelta(days=120),
        completed_on=opened + timedelta(days=60),
        conclusion=SECRETS["conclusion"],
        started_by=caseworker,
    )
    NetworkMapEntry.objects.create(
        investigation=investigation,
        person=SECRETS["network"],
        relation="moster",
        kind=NetworkMapEntry.Kind.choices[0][0],
        contact="12345678",
    )
    plan = ActionPlan.objects.create(case=case)
    revision = ActionPlanRevision.objects.create(
        plan=plan, number=1, purpose=SECRETS["purpose"], author=caseworker
    )
    Goal.objects.create(
        revision=revision,
        goal=SECRETS["goal"],
        who="Plejefamilien",
        progress_sign="Fremmøde",
        due_on=opened + timedelta(days=200),
    )
    episode = Episode.objects.create(
        child=child,
        case=case,
        intervention=org.intervention(4, "foster_ordinary"),
        start_on=opened + timedelta(days=70),
        end_on=closed_on,
        end_reason="planned" if closed_on else "",
        provider=SECRETS["provider"],
        daily_cost=Decimal("1450.00"),
        created_by=caseworker,
    )
    FollowUp.objects.create(
        episode=episode,
        case=case,
        held_on=opened + timedelta(days=100),
        form=FollowUp.Form.MEETING,
        child_conversation=True,
        journal_entry=journal,
        plan_review=FollowUp.PlanReview.KEPT,
        plan_revision=revision,
        note=SECRETS["followup"],
        recorded_by=caseworker,
    )
    Complaint.objects.create(
        child=child,
        team=case.team,
        received_on=opened + timedelta(days=30),
        case=case,
        note=SECRETS["complaint"],
    )
    Consent.objects.create(
        case=case,
        custody_holder=SECRETS["custody"],
        relation="mother",
        scope=Scope.CASE_INFORMATION,
        profession=Profession.PSYCHOLOGIST,
        valid_from=opened,
        registered_by=caseworker,
    )
    if closed_on is not None:
        case.status = Case.Status.CLOSED
        case.closed_on = closed_on
        case.closure_reason = Case.ClosureReason.GOALS_MET
        case.closure_note = SECRETS["closure"]
        case.save()
    return History(child, case, episode)


@pytest.fixture
def history(org) -> History:
    return build_history(org)


@pytest.fixture
def dpo(org):
    return org.user("dorthe", Profession.DATA_PROTECTION, None)
