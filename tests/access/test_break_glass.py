"""Break-the-glass: a case-team professional outside the case's scope opens it with a reason,
for a limited time, flagged on the case page and listed for the team leader."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from trappen.access import policy
from trappen.consent.models import BreakGlass
from trappen.organisation.models import Profession

REASON = "Barnet er bragt til vagten af politiet i nat."


@pytest.fixture
def case(org):
    return org.case()


def test_outsider_opens_the_case_with_a_reason_and_sees_a_banner(org, case):
    sofie = org.client(org.cw_south)
    url = reverse("cases:case", args=[case.pk])
    assert sofie.get(url).status_code == 403  # "Ingen adgang", with the way to break the glass
    form = reverse("consent:break_glass", args=[case.pk])
    page = sofie.get(form)
    assert page.status_code == 200
    assert case.child.last_name not in page.content.decode()  # no case data before the reason
    response = sofie.post(form, {"reason": REASON})
    assert response.status_code == 302 and response.url == url
    grant = BreakGlass.objects.get()
    assert (grant.user, grant.case, grant.reason) == (org.cw_south, case, REASON)
    assert grant.expires_at > timezone.now()
    page = sofie.get(url)
    assert page.status_code == 200
    assert page.context["case"] == case
    assert REASON in page.content.decode()
    assert gettext("Break-the-glass access") in page.content.decode()
    # Read only: break-the-glass gives no right to change the case.
    assert sofie.get(reverse("cases:close", args=[case.pk])).status_code == 403
    assert case in policy.visible_cases(org.cw_south)


@pytest.mark.parametrize("reason", ["", "akut", " " * 40])
def test_a_short_or_empty_reason_is_refused(org, case, reason):
    response = org.client(org.cw_south).post(
        reverse("consent:break_glass", args=[case.pk]), {"reason": reason}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not BreakGlass.objects.exists()
    assert org.client(org.cw_south).get(reverse("cases:case", args=[case.pk])).status_code == 403


def test_access_ends_when_the_grant_expires(org, case):
    org.client(org.cw_south).post(
        reverse("consent:break_glass", args=[case.pk]), {"reason": REASON}
    )
    BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert org.client(org.cw_south).get(reverse("cases:case", args=[case.pk])).status_code == 403
    assert case not in policy.visible_cases(org.cw_south)


@pytest.mark.parametrize(
    "profession", [Profession.ANALYST, Profession.ADMINISTRATOR, Profession.SCHOOL]
)
def test_not_available_to_analyst_administrator_and_school(org, case, profession):
    user = org.user("x", profession, org.north)
    client = org.client(user)
    form = reverse("consent:break_glass", args=[case.pk])
    assert client.get(form).status_code == 403
    assert client.post(form, {"reason": REASON}).status_code == 403
    assert not BreakGlass.objects.exists()
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 403


def test_the_team_leader_sees_the_list_others_do_not(org, case):
    org.client(org.cw_south).post(
        reverse("consent:break_glass", args=[case.pk]), {"reason": REASON}
    )
    page = org.client(org.leader).get(reverse("consent:break_glass_list"))
    assert [g.user for g in page.context["grants"]] == [org.cw_south]
    assert REASON in page.content.decode()
    # Another team's leader sees only their own team's cases.
    other = org.client(org.leader_south).get(reverse("consent:break_glass_list"))
    assert list(other.context["grants"]) == []
    assert org.client(org.cw1).get(reverse("consent:break_glass_list")).status_code == 403


def test_break_glass_is_audited(org, case):
    pytest.importorskip("trappen.audit.log")
    from trappen.audit.models import AuditAction, AuditEntry

    org.client(org.cw_south).post(
        reverse("consent:break_glass", args=[case.pk]), {"reason": REASON}
    )
    entry = AuditEntry.objects.get(action=AuditAction.BREAK_GLASS)
    # The grant and its end, never the reason: free text stays on the grant (F6, point 7).
    assert entry.detail["break_glass"] == BreakGlass.objects.get().pk
    assert REASON not in str(entry.detail)


def test_the_banner_is_on_every_page_of_the_case_not_only_its_front_page(org, case):
    sofie = org.client(org.cw_south)
    sofie.post(reverse("consent:break_glass", args=[case.pk]), {"reason": REASON})
    for name in ("cases:case", "plans:action_plan"):
        page = sofie.get(reverse(name, args=[case.pk]))
        assert page.status_code == 200, name
        assert page.content.decode().count(gettext("Break-the-glass access")) == 1, name
    # The case's own team sees no banner: they opened nothing outside their access.
    page = org.client(org.cw1).get(reverse("plans:action_plan", args=[case.pk]))
    assert gettext("Break-the-glass access") not in page.content.decode()


def test_who_may_ask_finds_the_audit_history_and_access_report_on_the_case_page(org, case):
    url = reverse("cases:case", args=[case.pk])
    history = reverse("audit:child_history", args=[case.child.pk])
    report = reverse("privacy:report", args=[case.child.pk])
    page = org.client(org.leader).get(url).content.decode()
    assert history in page and report in page
    page = org.client(org.cw1).get(url).content.decode()
    assert history not in page and report not in page


def test_the_list_sorts_by_its_columns_newest_first_by_default(org, case):
    # F10 point 3: sortable columns on every list.
    second = org.case(org.child("0202151234"))
    for target in (case, second):
        org.client(org.cw_south).post(
            reverse("consent:break_glass", args=[target.pk]), {"reason": REASON}
        )
    BreakGlass.objects.filter(case=case).update(opened_at=timezone.now() - timedelta(hours=2))
    leader = org.client(org.leader)
    url = reverse("consent:break_glass_list")
    assert [g.case for g in leader.get(url).context["grants"]] == [second, case]
    assert [g.case for g in leader.get(url, {"sort": "opened"}).context["grants"]] == [
        case,
        second,
    ]
    page = leader.get(url, {"sort": "-case"})
    assert [g.case for g in page.context["grants"]] == [second, case]
    assert 'aria-sort="descending"' in page.content.decode()
