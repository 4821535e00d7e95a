"""Every working page renders for the people who use it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trappen.intake import services as intake
from trappen.investigations import services as investigations


def test_pages_render_for_their_users(org):
    case = org.case()
    intake.register(
        cpr="0202161234",
        first_name="Ny",
        last_name="Barnesen",
        district=org.d_north,
        received_at=timezone.now() - timedelta(hours=30),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    cw = org.client(org.cw1)
    for url in [
        reverse("dashboards:my_home"),
        reverse("dashboards:team"),
        reverse("cases:list"),
        reverse("cases:case", args=[case.pk]),
        reverse("intake:new"),
        reverse("investigations:investigation", args=[inv.pk]),
        reverse("plans:action_plan", args=[case.pk]),
        reverse("plans:revise", args=[case.pk]),
        reverse("measures:episode_add", args=[case.pk]),
        reverse("cases:early_step_add", args=[case.pk]),
        reverse("cases:transfer", args=[case.pk]),
        reverse("cases:close", args=[case.pk]),
        reverse("notices:list"),
    ]:
        response = cw.get(url)
        assert response.status_code == 200, url
    leader = org.client(org.leader)
    assert leader.get(reverse("dashboards:team")).status_code == 200
    assert leader.get(reverse("dashboards:home")).url == reverse("dashboards:team")


def test_cpr_lookup_while_registering_tells_known_from_new(org):
    case = org.case()
    cw = org.client(org.cw1)
    url = reverse("intake:lookup")
    known = cw.post(url, {"cpr": case.child.cpr}, HTTP_HX_REQUEST="true")
    assert case.child.district.name in known.content.decode()
    # The caseworker of the child's team may confirm whom the notification is about (F6).
    assert case.child.first_name in known.content.decode()
    new = cw.post(url, {"cpr": "0303174321"}, HTTP_HX_REQUEST="true")
    assert case.child.district.name not in new.content.decode()
    assert cw.get(url).status_code == 405  # never by GET: the CPR must not be in a URL
