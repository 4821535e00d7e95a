"""F10 point 3: one search for staff, from the navigation: name, CPR number (POST only,
audited, never in a URL), case number, external id; only the policy's cases."""

import re

from django.urls import reverse

from trappen.audit.models import AuditAction, AuditEntry

CPR = "0101151234"


def _urls_in(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"', html)


def test_a_cpr_search_finds_the_child_without_the_number_in_any_url(org):
    case = org.case()
    client = org.client(org.cw1)
    page = client.get(reverse("dashboards:home"), follow=True).content.decode()
    assert reverse("cases:search") in page  # from the navigation
    before = AuditEntry.objects.count()
    response = client.post(reverse("cases:search"), {"q": "010115-1234"})
    assert response.status_code == 200  # rendered, not redirected: no Location to carry it
    assert "Location" not in response
    assert list(response.context["results"]) == [case]
    html = response.content.decode()
    assert CPR not in html and "010115-1234" not in html
    assert reverse("cases:case", args=[case.pk]) in html
    for url in [response.request["PATH_INFO"], response.request.get("QUERY_STRING", "")]:
        assert CPR not in url and "010115" not in url
    for url in _urls_in(html):
        assert "010115" not in url
    new = AuditEntry.objects.filter(pk__gt=0).order_by("id")[before:]
    lookups = [e for e in new if e.action == AuditAction.LOOKUP]
    assert len(lookups) == 1
    assert lookups[0].actor == org.cw1 and lookups[0].child_pk == case.child.pk
    assert lookups[0].detail["form"] == "search"
    for e in new:  # the number is nowhere in the log
        assert CPR not in str(e.detail) and CPR not in e.path and CPR not in e.object_pk
    # The case shown is audited as read.
    assert any(e.action == AuditAction.READ and e.actor == org.cw1 for e in new)


def test_only_the_cases_the_policy_allows(org):
    org.case()
    other = org.client(org.cw_south)  # another team
    response = other.post(reverse("cases:search"), {"q": CPR})
    assert list(response.context["results"]) == []
    response = other.post(reverse("cases:search"), {"q": "Barnesen"})
    assert list(response.context["results"]) == []


def test_by_name_case_number_and_external_id(org):
    case = org.case()
    case.external_id = "SAG-77"
    case.save(update_fields=["external_id"])
    client = org.client(org.cw1)
    for q in ("testa barnesen", "Barne", str(case.pk), "SAG-77"):
        response = client.post(reverse("cases:search"), {"q": q})
        assert list(response.context["results"]) == [case], q


def test_a_query_in_the_url_is_not_searched(org):
    org.case()
    response = org.client(org.cw1).get(reverse("cases:search") + f"?q={CPR}")
    assert response.status_code == 200 and not response.context["searched"]


def test_the_results_sort_by_their_columns_by_post(org):
    # F10 point 3: the sort key is POSTed with the query, which never stands in a URL.
    first = org.case()  # Testa Barnesen, Anna's
    second = org.case(org.child("0202151234"), caseworker=org.cw2)
    second.child.first_name = "Aase"
    second.child.save()
    client = org.client(org.leader)
    url = reverse("cases:search")

    def rows(**data):
        return [c.pk for c in client.post(url, {"q": "Barnesen", **data}).context["results"]]

    assert rows() == [second.pk, first.pk]  # by the child's name
    assert rows(sort="-case") == [second.pk, first.pk]
    assert rows(sort="case") == [first.pk, second.pk]
    assert rows(sort=CPR) == rows()  # not a column: the default order
    page = client.post(url, {"q": "Barnesen", "sort": "-child"}).content.decode()
    assert 'aria-sort="descending"' in page and 'name="sort" value="child"' in page
    assert all("sort" not in u and "Barnesen" not in u for u in _urls_in(page))
