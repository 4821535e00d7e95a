"""F10 points 3 and 5: the lists sort server-side by a whitelisted ?sort=, the status filter
is applied by a button, and "Mine opfølgninger" shows all the caseworker's measures."""

from datetime import timedelta

from django.urls import reverse

from trappen.cases.models import Case
from trappen.followups.models import FollowUp


def _names(cases):
    return [c.child.first_name for c in cases]


def test_the_case_list_sorts_by_a_whitelisted_column_and_keeps_the_filter(org):
    a = org.case(org.child("0101151234"))
    b = org.case(org.child("0202164321"), caseworker=org.cw2)
    Case.objects.filter(pk=a.pk).update(status=Case.Status.INVESTIGATION)
    a.child.first_name, b.child.first_name = "Anton", "Bodil"
    a.child.last_name, b.child.last_name = "Andersen", "Bech"
    a.child.save(), b.child.save()
    client = org.client(org.cw1)
    url = reverse("cases:list")
    assert _names(client.get(url).context["page"].object_list) == ["Anton", "Bodil"]
    down = client.get(url, {"sort": "-child"})
    assert _names(down.context["page"].object_list) == ["Bodil", "Anton"]
    html = down.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=child" in html  # the header's link reverses it
    by_worker = client.get(url, {"sort": "-caseworker"}).context["page"].object_list
    assert [c.caseworker for c in by_worker] == [org.cw2, org.cw1]  # Bent, then Anna
    # Anything outside the whitelist is the default order, never an ORM lookup.
    for bad in ("child__cpr", "-password", "pk;drop", ""):
        page = client.get(url, {"sort": bad})
        assert page.status_code == 200 and page.context["sorting"].value == "child"
    # The filter keeps the sort; the sort links keep the filter.
    filtered = client.get(url, {"status": Case.Status.INVESTIGATION, "sort": "-child"})
    assert _names(filtered.context["page"].object_list) == ["Anton"]
    assert f"status={Case.Status.INVESTIGATION}" in filtered.content.decode()


def test_the_status_filter_does_not_submit_on_every_arrow_key(org):
    html = org.client(org.cw1).get(reverse("cases:list")).content.decode()
    select = html[html.index('<select name="status"') :]
    assert "data-autosubmit" not in select[: select.index(">")]
    at = html.index('name="status"')
    form = html[html.rindex("<form", 0, at) : html.index("</form>", at)]
    assert "<button" in form and "<noscript>" not in form  # a visible button applies it


def test_the_team_page_sorts_queue_and_caseloads(org):
    org.case(caseworker=org.cw2)
    client = org.client(org.leader)
    page = client.get(reverse("dashboards:team"), {"sort_loads": "-load"})
    loads = page.context["loads"]
    assert [w for w, n, _ in loads][0] == org.cw2
    assert client.get(reverse("dashboards:team"), {"sort": "-district"}).status_code == 200


def test_my_follow_ups_show_all_and_sort(org, episode_of):
    overdue = episode_of("institution", days_ago=70)
    soon = episode_of("institution", days_ago=5, case=org.case(org.child("0202164321")))
    later = episode_of("institution", days_ago=20, case=org.case(org.child("0303171238")))
    FollowUp.objects.create(  # the 2-week follow-up held: the next one is at 6 weeks
        episode=later,
        case=later.case,
        held_on=later.start_on + timedelta(days=14),
        form="meeting",
        child_conversation=True,
        plan_review="kept",
        recorded_by=org.cw1,
    )
    client = org.client(org.cw1)
    due = client.get(reverse("followups:my_due")).context["due"]
    assert [r.episode for r in due.overdue] == [overdue]
    assert [r.episode for r in due.soon] == [soon]
    assert [r.episode for r in due.later] == [later]  # "alle": not only 14 days ahead
    # The panel's link promises "all and calendar": the page has both.
    page = client.get(reverse("followups:my_due")).content.decode()
    assert "Alle mine øvrige indsatser" in page and "I din egen kalender" in page
    team = client.get(reverse("followups:team_due"))
    assert team.status_code == 403
    leader = org.client(org.leader).get(reverse("followups:team_due"), {"sort": "-next_due"})
    assert leader.context["sorting"].value == "-next_due"
