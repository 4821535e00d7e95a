"""The demo shows complaints of both kinds with outcomes and a handover during sick leave; the
steering page shows the quality table by team."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from trappen.cases import services
from trappen.cases.models import CaseAssignment, Complaint, Handover
from trappen.demo import generator
from trappen.notices.models import Notice
from trappen.organisation.models import Profession


def test_the_demo_has_complaints_of_both_kinds_with_outcomes_and_a_sick_leave_handover(db):
    today = timezone.localdate()
    generator.build(children=150, seed=7, today=today)
    complaints = list(Complaint.objects.order_by("pk"))
    kinds = {c.kind for c in complaints}
    assert kinds == {Complaint.Kind.HANDLING, Complaint.Kind.DECISION}
    outcomes = {c.outcome for c in complaints}
    assert {"sent_to_ankestyrelsen", "upheld", "partly_upheld", ""} <= outcomes
    assert all(c.decision for c in complaints if c.kind == Complaint.Kind.DECISION)
    assert all(c.team_id == c.case.team_id for c in complaints)
    handover = Handover.objects.get()
    assert handover.reason == Handover.Reason.SICK_LEAVE and handover.note
    moved = CaseAssignment.objects.filter(handover=handover)
    assert moved.count() == 3
    assert all(a.case.caseworker_id == handover.to_caseworker_id for a in moved)
    notice = Notice.objects.filter(recipient=handover.to_caseworker).order_by("-pk").first()
    assert notice is not None
    for a in moved:
        assert a.case.child.cpr not in notice.text and a.case.child.last_name not in notice.text


def test_the_steering_page_shows_changes_and_complaints_by_team(org):
    case = org.case()
    services.register_complaint(
        case, received_on=timezone.localdate(), kind="decision", decision="Afslag",
        complainant="parent", by=org.cw1,
    )  # fmt: skip
    year = timezone.localdate().year
    analyst = org.user("ulla", Profession.ANALYST, None)
    params = {"start": date(year, 1, 1).isoformat(), "end": date(year, 12, 31).isoformat()}
    page = org.client(analyst).get(reverse("evaluation:index"), {**params, "group_by": "group"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Quality: changes of caseworker and complaints" in html or (
        "Kvalitet: sagsbehandlerskift og klager" in html
    )
    assert "Team Nord" in html
    assert Complaint.objects.get().complainant == "parent"
