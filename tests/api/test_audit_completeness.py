"""Every API pattern with a pk writes exactly one READ entry, for the object it returns, when a
token of an account that may read it calls it (the API's half of
tests/audit/test_completeness.py, whose session clients the API answers with 401)."""

import pytest
from django.urls import reverse

from tests.audit.test_completeness import pk_patterns
from trappen.api.models import Scope
from trappen.audit.models import AuditAction

from .conftest import entries_since, last_pk, shown

pytestmark = pytest.mark.django_db

# url name → (the object the call returns, the objects its READ entry names).
RETURNS = {
    "api:child": lambda w: (w["north"].child, [w["north"].child]),
    "api:case": lambda w: (w["north"], [w["north"]]),
    # Through get_case_of: the case is noted with the object that hangs off it.
    "api:episode": lambda w: (w["north_episode"], [w["north"], w["north_episode"]]),
    "api:followup": lambda w: (w["north_followup"], [w["north"], w["north_followup"]]),
}


def test_every_api_pattern_with_a_pk_is_here():
    assert {n for n in pk_patterns() if n.startswith("api:")} == set(RETURNS)


@pytest.mark.parametrize("name", sorted(RETURNS))
def test_a_get_writes_exactly_one_read_entry(org, world, api_for, name):
    obj, named = RETURNS[name](world)
    api = api_for(org.cw2, Scope.READ_CASES)
    url = reverse(name, args=[obj.pk])
    before = last_pk()
    response = api.client.get(url, headers=api.headers)
    assert response.status_code == 200
    [entry] = entries_since(before)
    assert entry.action == AuditAction.READ
    assert shown(entry) == {(o._meta.label_lower, str(o.pk)) for o in named}
    assert (entry.actor, entry.path, entry.status) == (org.cw2, url, 200)
    children = {c for _t, _p, c in entry.objects_shown} or {entry.child_pk}
    assert children == {world["north"].child_id}
