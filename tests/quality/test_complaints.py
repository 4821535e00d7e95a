"""Complaints registered on the case by its team (F8 point 8)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trappen.cases import services
from trappen.cases.models import Complaint
from trappen.organisation.models import Profession


def today():
    return timezone.localdate()


def form(**kw):
    data = {
        "received_on": (today() - timedelta(days=3)).isoformat(),
        "kind": "handling",
        "decision": "",
        "complainant": "parent",
        "outcome": "",
        "outcome_on": "",
        "note": "",
    }
    return {**data, **kw}


def test_a_caseworker_registers_a_complaint_about_the_handling_on_the_case_page(org):
    case = org.case()
    client = org.client(org.cw2)  # another caseworker of the team may register it too
    response = client.post(reverse("cases:complaint_add", args=[case.pk]), form())
    assert response.status_code == 302
    c = Complaint.objects.get()
    assert (c.kind, c.complainant, c.team, c.child, c.case, c.recorded_by) == (
        "handling", "parent", org.north, case.child, case, org.cw2,
    )  # fmt: skip
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Klager" in page or "Complaints" in page
    assert "Register a complaint" in page or "Registrér en klage" in page


def test_a_complaint_about_a_decision_needs_the_decision_and_keeps_the_input(org):
    case = org.case()
    client = org.client(org.leader)
    response = client.post(
        reverse("cases:complaint_add", args=[case.pk]), form(kind="decision", note="Mors brev")
    )
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert "Mors brev" in response.content.decode()  # nothing typed is lost
    client.post(
        reverse("cases:complaint_add", args=[case.pk]),
        form(kind="decision", decision="Afslag på aflastning 01.05", complainant="child"),
    )
    assert Complaint.objects.get().decision == "Afslag på aflastning 01.05"


def test_the_outcome_sent_to_ankestyrelsen_only_for_a_decision(org):
    case = org.case()
    received = today() - timedelta(days=10)
    handling = services.register_complaint(
        case, received_on=received, kind="handling", complainant="parent", by=org.cw1
    )
    with pytest.raises(ValidationError):
        services.record_complaint_outcome(
            handling, outcome="sent_to_ankestyrelsen", outcome_on=today()
        )
    decision = services.register_complaint(
        case, received_on=received, kind="decision", decision="Anbringelse",
        complainant="parent", by=org.cw1,
    )  # fmt: skip
    services.record_complaint_outcome(decision, outcome="sent_to_ankestyrelsen", outcome_on=today())
    decision.refresh_from_db()
    assert (decision.outcome, decision.outcome_on) == ("sent_to_ankestyrelsen", today())


def test_an_outcome_before_the_complaint_was_received_is_refused(org):
    case = org.case()
    c = services.register_complaint(
        case, received_on=today() - timedelta(days=2), kind="handling", complainant="other",
        by=org.cw1,
    )  # fmt: skip
    response = org.client(org.cw1).post(
        reverse("cases:complaint_outcome", args=[c.pk]),
        {"outcome": "upheld", "outcome_on": (today() - timedelta(days=5)).isoformat(), "note": ""},
    )
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.outcome == ""


def test_a_complaint_counts_for_the_cases_team(org):
    case = org.case(caseworker=org.cw_south, child=org.child("0202151234", org.d_south))
    c = services.register_complaint(
        case, received_on=today(), kind="handling", complainant="child", by=org.cw_south
    )
    assert c.team == org.south


def test_only_the_cases_team_caseworkers_and_leader_register_complaints(org):
    case = org.case()
    url = reverse("cases:complaint_add", args=[case.pk])
    assert org.client(org.cw_south).get(url).status_code == 404  # out of sight
    assert org.client(org.leader_south).get(url).status_code == 404
    psych = org.client(org.psych)  # no sharing: cannot see the case
    assert psych.get(url).status_code == 404
    hv = org.user("hanne", Profession.HEALTH_VISITOR, org.north)
    assert org.client(hv).get(url).status_code == 404
    assert org.client(org.leader).get(url).status_code == 200


def test_a_complaint_may_be_registered_on_a_closed_case(org):
    case = org.case()
    services.close(case, closed_on=today(), reason="no_need", note="")
    response = org.client(org.cw1).post(reverse("cases:complaint_add", args=[case.pk]), form())
    assert response.status_code == 302 and Complaint.objects.filter(case=case).exists()
