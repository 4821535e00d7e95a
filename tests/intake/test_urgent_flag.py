"""F10 point 6 b: "Ja, akut" flags the case *Akut* on its page and in the case lists until the
urgent action is recorded as carried out; the flag costs the case page no query and the lists
no query per case."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.intake import services
from trappen.intake.models import Notification

FLAG = '<span class="flag red">Akut</span>'
NOTIFICATIONS = "intake_notification"


def assessed(org, case, *, urgent: bool) -> Notification:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return Notification.objects.create(
        child=case.child,
        case=case,
        received_at=now - timedelta(hours=3),
        source="school",
        content="Barnet tør ikke gå hjem.",
        registered_by=org.cw1,
        assessment_deadline=now + timedelta(hours=21),
        assessed_by=org.cw1,
        assessed_at=now - timedelta(hours=1),
        urgent_action=urgent,
    )


def page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(client.get(url).content.decode())


def queries(client, url: str, table: str = "") -> int:  # type: ignore[no-untyped-def]
    """The page's queries (those naming `table`, if given), after a warm-up GET (the
    session's last-seen write)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(table in q["sql"] for q in captured.captured_queries)


def test_the_case_is_flagged_until_the_urgent_action_is_carried_out(org):
    case = org.case()
    notification = assessed(org, case, urgent=True)
    cw, leader = org.client(org.cw1), org.client(org.leader)
    case_url = reverse("cases:case", args=[case.pk])
    shown = page(cw, case_url)
    assert FLAG in shown
    assert reverse("intake:notification", args=[notification.pk]) + "#urgent" in shown
    assert FLAG in page(cw, reverse("dashboards:my_home"))  # the caseworker's cases
    assert FLAG in page(leader, reverse("cases:list"))  # the team's cases
    found = html.unescape(leader.post(reverse("cases:search"), {"q": "Testa"}).content.decode())
    assert FLAG in found
    # Ended by recording what was done, on the notification page; a note is required.
    url = reverse("intake:urgent_handled", args=[notification.pk])
    refused = cw.post(url, {"note": ""}, follow=True)
    assert "Dette felt er påkrævet." in html.unescape(refused.content.decode())
    assert FLAG in page(cw, case_url)
    done = cw.post(url, {"note": "Aftalt med politiet; barnet bor hos mormor."}, follow=True)
    assert "Den akutte handling er registreret som udført." in html.unescape(done.content.decode())
    notification.refresh_from_db()
    assert notification.urgent_handled_by == org.cw1 and notification.urgent_handled_at
    assert FLAG not in page(cw, case_url)
    assert FLAG not in page(cw, reverse("dashboards:my_home"))
    assert FLAG not in page(leader, reverse("cases:list"))
    after = page(cw, reverse("intake:notification", args=[notification.pk]))
    assert 'id="urgent"' not in after and "Akut handling udført" in after
    assert cw.post(url, {"note": "Igen"}).status_code == 302  # refused: nothing open
    notification.refresh_from_db()
    assert notification.urgent_handled_note == "Aftalt med politiet; barnet bor hos mormor."


def test_ikke_akut_flags_nothing_and_others_cannot_end_the_path(org):
    calm = org.case()
    assessed(org, calm, urgent=False)
    assert FLAG not in page(org.client(org.cw1), reverse("cases:case", args=[calm.pk]))
    urgent = assessed(org, org.case(org.child("0202151234")), urgent=True)
    response = org.client(org.cw_south).post(
        reverse("intake:urgent_handled", args=[urgent.pk]), {"note": "Ikke mit team"}
    )
    assert response.status_code == 404
    urgent.refresh_from_db()
    assert urgent.urgent_open


def test_the_flag_adds_no_query_to_the_case_page(org):
    case = org.case()
    notification = assessed(org, case, urgent=False)
    client, url = org.client(org.cw1), reverse("cases:case", args=[case.pk])
    calm = queries(client, url)
    Notification.objects.filter(pk=notification.pk).update(urgent_action=True)
    assert FLAG in page(client, url)
    assert queries(client, url) == calm


def test_the_case_lists_flag_without_a_query_per_case(org):
    cw, leader = org.client(org.cw1), org.client(org.leader)
    urls = [reverse("cases:list"), reverse("dashboards:my_home")]
    assessed(org, org.case(), urgent=True)
    # The notifications are read in the list's own query (EXISTS), not per case: as many
    # queries name them for four flagged cases as for one (the home page also lists the
    # team's unassessed notifications and the open deadlines read them once each).
    one = {url: queries(cw if "my" in url else leader, url, NOTIFICATIONS) for url in urls}
    for cpr in ("0202151234", "0303151234", "0404151234"):
        assessed(org, org.case(org.child(cpr)), urgent=True)
    for url in urls:
        client = cw if "my" in url else leader
        assert page(client, url).count(FLAG) == 4
        assert queries(client, url, NOTIFICATIONS) == one[url] <= 3, url


def test_a_second_record_from_a_page_read_before_the_first_keeps_the_first(org):
    """Two of the team open the notification page; both record the urgent action as carried
    out. The second is refused (nothing open any more): who did what, and when, stays the
    first's, not overwritten by a page read before it."""
    notification = assessed(org, org.case(), urgent=True)
    first_page = Notification.objects.get(pk=notification.pk)
    second_page = Notification.objects.get(pk=notification.pk)
    services.urgent_handled(first_page, by=org.cw1, note="Barnet hentet af politiet.")
    with pytest.raises(ValidationError):
        services.urgent_handled(second_page, by=org.leader, note="Aftalt med mormor.")
    notification.refresh_from_db()
    assert notification.urgent_handled_by == org.cw1
    assert notification.urgent_handled_note == "Barnet hentet af politiet."


def test_the_team_views_overdue_deadlines_flag_the_urgent_case(org):
    # The team leader's *Overskredne frister i teamet* as the other case lists: the flag from
    # the list's own query (an EXISTS), no query per case.
    from tests.web.test_one_deadline import _overdue_follow_up

    case = _overdue_follow_up(org)
    leader = org.client(org.leader)
    url = reverse("dashboards:team")

    def late_section() -> str:
        shown = page(leader, url)
        return shown[shown.index('id="late-deadlines"') :].split("</section>")[0]

    assert FLAG not in late_section()
    before = queries(leader, url)
    assessed(org, case, urgent=True)
    assert FLAG in late_section()
    [(late_case, _found)] = leader.get(url).context["late_deadlines"]
    assert late_case.urgent
    assert queries(leader, url) == before
