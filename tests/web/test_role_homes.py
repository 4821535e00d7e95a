"""F10 point 4: a home page for every role, from "home"."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.consent.models import BreakGlass
from trappen.organisation.models import Profession


def _home(client):
    response = client.get(reverse("dashboards:home"), follow=True)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_psychologist_lands_on_the_cases_shared_with_them(org):
    shared = org.case()
    org.case(org.child("0202164321"))  # not shared: not listed
    share_with_consent(shared, org.psych, by=org.cw1)
    response, html = _home(org.client(org.psych))
    assert response.request["PATH_INFO"] == reverse("dashboards:shared")
    assert list(response.context["cases"]) == [shared]
    assert "af højst" not in html and "Ingen sager" not in html  # not a caseload dashboard
    assert reverse("activities:add", args=[shared.pk]) in html


def test_the_health_visitor_has_the_same_home(org):
    hv = org.user("hanne", Profession.HEALTH_VISITOR, org.north)
    response, html = _home(org.client(hv))
    assert response.request["PATH_INFO"] == reverse("dashboards:shared")
    assert "Ingen sag er delt med dig" in html


def test_the_school_contact_sees_own_submissions_never_caseloads(org):
    org.case()
    school = org.user("skole", Profession.SCHOOL, None)
    response, html = _home(org.client(school))
    assert response.request["PATH_INFO"] == reverse("dashboards:school")
    assert "Anna Test" not in html and "Testa" not in html  # no caseworker, no child
    assert "Mine underretninger" in html
    assert org.client(school).get(reverse("dashboards:team")).status_code in (200, 403)
    team = org.client(school).get(reverse("dashboards:team")).content.decode()
    assert "Anna Test" not in team  # never the team's caseloads by caseworker name


def test_the_data_protection_officer_sees_lookups_break_glass_and_anomalies(org):
    case = org.case()
    dpo = org.user("dorte", Profession.DATA_PROTECTION, None)
    org.client(org.cw1).post(reverse("cases:search"), {"q": "0101151234"})
    record(AuditAction.LOOKUP, detail={"throttled": True, "form": "search"})
    BreakGlass.objects.create(
        case=case, user=org.cw_south, reason="Akut", expires_at=timezone.now() + timedelta(hours=1)
    )
    response, html = _home(org.client(dpo))
    assert response.request["PATH_INFO"] == reverse("dashboards:privacy")
    assert response.context["lookups"] and response.context["anomalies"]
    assert "0101151234" not in html and "Testa" not in html
    assert [g.user for g in response.context["grants"]] == [org.cw_south]
    assert "Akut" not in html  # the reason may hold case content: not on this page


def test_the_analyst_lands_on_key_figures(org):
    org.case()
    response, html = _home(org.client(org.analyst))
    assert response.request["PATH_INFO"] == reverse("dashboards:figures")
    assert response.context["cases"]["open"] == 1
    assert "Testa" not in html
    assert reverse("evaluation:index") in html


def test_each_home_refuses_the_other_roles(org):
    for name in ("shared", "school", "privacy", "figures"):
        assert org.client(org.cw1).get(reverse(f"dashboards:{name}")).status_code == 403
