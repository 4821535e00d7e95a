"""Handing cases over inside a team (sick leave, resignation), with the history kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trappen.cases import services
from trappen.cases.models import CaseAssignment, Handover
from trappen.notices.models import Notice
from trappen.organisation.models import Profession


def post(org, cases, to, **kw):
    data = {
        "from": org.cw1.pk,
        "cases": [c.pk for c in cases],
        "to_caseworker": to.pk,
        "reason": "sick_leave",
        "handover_on": timezone.localdate().isoformat(),
        "note": "Mor ringer om torsdagen; opfølgning 12.03.",
        **kw,
    }
    return org.client(org.leader).post(reverse("cases:handover"), data)


def test_the_team_leader_hands_several_cases_over_with_a_note(org):
    a = org.case()
    b = org.case(child=org.child("0202151234"))
    response = post(org, [a, b], org.cw2)
    assert response.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.caseworker == b.caseworker == org.cw2
    handover = Handover.objects.get()
    assert (handover.reason, handover.from_caseworker, handover.to_caseworker) == (
        "sick_leave", org.cw1, org.cw2,
    )  # fmt: skip
    # The history: the first assignment and the handover's, in order.
    history = list(a.assignments.values_list("caseworker_id", "handover_id"))
    assert history == [(org.cw1.pk, None), (org.cw2.pk, handover.pk)]


def test_the_new_caseworker_is_notified_without_names_or_cpr(org):
    a = org.case()
    b = org.case(child=org.child("0202151234"))
    post(org, [a, b], org.cw2)
    notice = Notice.objects.get(recipient=org.cw2)
    assert "2" in notice.text
    for child in (a.child, b.child):
        assert child.cpr not in notice.text and child.first_name not in notice.text


def test_the_handover_note_is_on_the_case_page_of_the_new_caseworker(org):
    a = org.case()
    post(org, [a], org.cw2)
    page = org.client(org.cw2).get(reverse("cases:case", args=[a.pk])).content.decode()
    assert "Mor ringer om torsdagen" in page


def test_only_the_team_leader_of_the_team_hands_over(org):
    org.case()
    url = reverse("cases:handover")
    assert org.client(org.cw1).get(url).status_code == 403
    assert org.client(org.cw2).get(url).status_code == 403
    # The south leader sees only the south team: no north caseworker to choose.
    page = org.client(org.leader_south).get(url, {"from": org.cw1.pk}).content.decode()
    assert "Testa" not in page
    assert org.client(org.leader).get(url, {"from": org.cw1.pk}).status_code == 200


def test_cases_go_only_to_an_active_caseworker_of_the_same_team(org):
    a = org.case()
    with pytest.raises(ValidationError):
        services.hand_over(
            [a], team=org.north, from_caseworker=org.cw1, to_caseworker=org.cw_south,
            reason="caseload", note="x", handover_on=timezone.localdate(), by=org.leader,
        )  # fmt: skip
    response = post(org, [a], org.cw_south)  # not offered: the form refuses it
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.caseworker == org.cw1


def test_a_handover_needs_a_note(org):
    a = org.case()
    assert post(org, [a], org.cw2, note="").status_code == 200
    assert not Handover.objects.exists()


def test_a_deactivated_caseworkers_cases_can_be_handed_over(org):
    a = org.case()
    org.cw1.is_active = False
    org.cw1.save()
    assert post(org, [a], org.cw2, reason="resignation").status_code == 302
    a.refresh_from_db()
    assert a.caseworker == org.cw2


def test_the_changes_of_caseworker_appear_on_the_team_page(org):
    a = org.case()
    CaseAssignment.objects.filter(case=a).update(assigned_at=timezone.now() - timedelta(days=1))
    post(org, [a], org.cw2)
    client = org.client(org.leader)
    # The team page loads the counts after it (htmx), so the page itself reads nothing more.
    assert (
        reverse("dashboards:team_quality")
        in client.get(reverse("dashboards:team")).content.decode()
    )
    page = client.get(reverse("dashboards:team_quality")).content.decode()
    assert "Changes of caseworker" in page or "Sagsbehandlerskift" in page
    assert ">1<" in page.replace(" ", "") or "<dd>1" in page
    from trappen.core.kpi.period import Period
    from trappen.steering_data import quality

    today = timezone.localdate()
    figures = quality.figures(Period(today.replace(month=1, day=1), today), org.north)
    assert figures.changes[org.north.name].changes == 1


def test_the_team_average_is_shown_against_25(org):
    org.case()
    page = org.client(org.leader).get(reverse("dashboards:team")).content.decode()
    assert "/ 25" in page
    assert "0.5 / 25" in page or "0,5 / 25" in page  # 1 case, 2 caseworkers


def test_a_health_visitor_sees_no_quality_counts_of_the_team(org):
    hv = org.user("hanne", Profession.HEALTH_VISITOR, org.north)
    client = org.client(hv)
    assert reverse("dashboards:team_quality") not in client.get("/team/").content.decode()
    assert client.get(reverse("dashboards:team_quality")).status_code == 403
