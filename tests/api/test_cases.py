"""Reading case data through the API: exactly what the policy lets the token's account read,
only within the token's scopes, and every call in the audit log."""

import pytest

from trappen.api.models import Scope
from trappen.audit.models import AuditAction

from .conftest import entries_since, last_pk, shown

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_a_caseworker_lists_the_team_children_with_the_cpr_masked(org, world, api_for):
    api = api_for(org.cw2, Scope.READ_CASES)  # another north caseworker: reads the team's
    response = api.get("children")
    assert ids(response) == [world["north"].child_id]
    child = response.json()["items"][0]
    assert child["cpr"] == "010115-xxxx"
    assert (child["first_name"], child["district"]) == ("Testa", "Nordby")
    assert response.json()["count"] == 1


def test_the_cpr_in_full_needs_its_own_scope(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES, Scope.READ_CPR)
    assert api.get(f"children/{world['north'].child_id}").json()["cpr"] == "0101151234"


def test_lists_follow_the_policy(org, world, api_for):
    north, south = api_for(org.cw1, Scope.READ_CASES), api_for(org.cw_south, Scope.READ_CASES)
    assert ids(north.get("cases")) == [world["north"].pk]
    assert ids(south.get("cases")) == [world["south"].pk]
    assert ids(north.get("episodes")) == [world["north_episode"].pk]
    assert ids(north.get("followups")) == [world["north_followup"].pk]
    # An analyst reads no case data: the lists are empty, not refused.
    analyst = api_for(org.analyst, Scope.READ_CASES)
    assert ids(analyst.get("children")) == ids(analyst.get("cases")) == []


def test_a_list_page_notes_one_read_of_the_rows_it_returns(org, world, api_for):
    second = org.case(org.child("0202161235", org.d_north), org.cw1)
    api = api_for(org.cw1, Scope.READ_CASES)
    before = last_pk()
    response = api.get("cases", limit=1, offset=1)
    assert response.json()["count"] == 2
    assert ids(response) == [second.pk]
    [entry] = entries_since(before)
    assert entry.action == AuditAction.READ
    assert shown(entry) == {("cases.case", str(second.pk))}
    assert (entry.actor, entry.path, entry.url_name) == (org.cw1, "/api/v1/cases", "api:cases")
    assert entry.status == 200


def test_filters_by_child_case_and_episode(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES)
    north = world["north"]
    assert ids(api.get("cases", child=north.child_id)) == [north.pk]
    assert ids(api.get("cases", child=world["south"].child_id)) == []
    assert ids(api.get("episodes", case=north.pk)) == [world["north_episode"].pk]
    assert ids(api.get("episodes", child=north.child_id)) == [world["north_episode"].pk]
    assert ids(api.get("followups", episode=world["north_episode"].pk)) == [
        world["north_followup"].pk
    ]
    assert ids(api.get("followups", case=world["south"].pk)) == []


def test_details_answer_what_the_case_page_shows(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES)
    case = api.get(f"cases/{world['north'].pk}").json()
    assert case["team"] == "Team Nord"
    assert case["caseworker"] == "anna"
    assert case["status"] == "clarification"
    episode = api.get(f"episodes/{world['north_episode'].pk}").json()
    assert (episode["step"], episode["daily_cost"]) == (4, "1450.50")
    assert episode["placement_type"] == "foster_ordinary"
    followup = api.get(f"followups/{world['north_followup'].pk}").json()
    assert followup["child_conversation"] is True
    assert "note" not in followup  # free text stays on the case page


def test_a_detail_notes_one_read(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES)
    before = last_pk()
    api.get(f"episodes/{world['north_episode'].pk}")
    [entry] = entries_since(before)
    assert shown(entry) == {
        ("cases.case", str(world["north"].pk)),
        ("measures.episode", str(world["north_episode"].pk)),
    }
    assert entry.actor == org.cw1


@pytest.mark.parametrize("kind", ["children", "cases", "episodes", "followups"])
def test_an_object_of_another_team_answers_404_and_is_audited(org, world, api_for, kind):
    pk = {
        "children": world["south"].child_id,
        "cases": world["south"].pk,
        "episodes": world["south_episode"].pk,
        "followups": world["south_followup"].pk,
    }[kind]
    api = api_for(org.cw1, Scope.READ_CASES)
    before = last_pk()
    response = api.get(f"{kind}/{pk}")
    assert response.status_code == 404
    missing = api.get(f"{kind}/{pk + 1000}")
    assert missing.status_code == 404 and missing.json() == response.json()
    entries = entries_since(before)
    assert [(e.action, e.detail["refused"], e.actor) for e in entries] == [
        (AuditAction.READ, "policy", org.cw1)
    ] * 2
    assert entries[0].detail["pk"] == pk
    assert entries[0].object_pk == "" and entries[0].child_pk is None  # not a look


def test_a_call_outside_the_token_scope_answers_403_and_is_audited(org, world, api_for):
    api = api_for(org.leader, Scope.READ_STEERING)
    before = last_pk()
    response = api.get(f"cases/{world['north'].pk}")
    assert response.status_code == 403
    [entry] = entries_since(before)
    assert entry.action == AuditAction.READ
    assert entry.detail["refused"] == "scope"
    assert entry.detail["scope"] == "read:cases"
    assert (entry.actor, entry.url_name) == (org.leader, "api:case")


def test_look_up_a_child_by_cpr_in_the_body(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES, Scope.READ_CPR)
    before = last_pk()
    response = api.post("children/lookup", {"cpr": "010115-1234"})
    assert response.status_code == 200
    assert response.json()["id"] == world["north"].child_id
    lookup, read = entries_since(before)
    assert (lookup.action, lookup.object_pk, lookup.detail["found"]) == (
        AuditAction.LOOKUP,
        str(world["north"].child_id),
        True,
    )
    assert (read.action, read.object_type) == (AuditAction.READ, "cases.child")
    # Another team's child, an unknown number and nonsense answer alike.
    for cpr in ("0303171238", "0101151299", "abc"):
        assert api.post("children/lookup", {"cpr": cpr}).status_code == 404
    before = last_pk()
    api.post("children/lookup", {"cpr": "0303171238"})
    [entry] = entries_since(before)
    assert (entry.action, entry.detail["found"], entry.object_pk) == (AuditAction.LOOKUP, False, "")
    assert "0303171238" not in str(entry.detail) and "030317" not in entry.path


def test_lookups_share_the_account_budget(org, world, api_for, settings):
    settings.TRAPPEN_CPR_LOOKUPS_PER_MINUTE = 2
    api = api_for(org.cw1, Scope.READ_CASES, Scope.READ_CPR)
    assert [api.post("children/lookup", {"cpr": "0101151234"}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_the_lookup_needs_the_cpr_scope(org, world, api_for):
    api = api_for(org.cw1, Scope.READ_CASES)
    before = last_pk()
    assert api.post("children/lookup", {"cpr": "0101151234"}).status_code == 403
    [entry] = entries_since(before)
    assert (entry.action, entry.detail["refused"]) == (AuditAction.LOOKUP, "scope")


def test_the_schema_puts_no_cpr_in_a_path_or_query(client):
    schema = client.get("/api/schema/", HTTP_HOST="localhost").json()
    for path, operations in schema["paths"].items():
        assert "cpr" not in path
        for operation in operations.values():
            names = [p["name"] for p in operation.get("parameters", [])]
            assert not any("cpr" in n for n in names), (path, names)


@pytest.mark.parametrize("kind", ["children", "cases", "episodes", "followups"])
def test_a_list_takes_as_many_queries_for_many_rows_as_for_two(org, world, api_for, kind):
    """No query per row (STYLE: query counts pinned)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import episode_on, followup_on

    def add_north_child(cpr):
        followup_on(episode_on(org, org.case(org.child(cpr, org.d_north), org.cw1)))

    api = api_for(org.cw1, Scope.READ_CASES)
    api.get(kind)  # the token's first use writes its last_used_at

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(kind)
        assert response.status_code == 200
        return len(response.json()["items"]), len(captured)

    add_north_child("0202161235")
    rows, two = queries()
    assert rows == 2
    for cpr in ("0404181230", "0505191232", "0606201234"):
        add_north_child(cpr)
    assert queries() == (5, two)
