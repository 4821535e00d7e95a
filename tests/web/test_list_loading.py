"""The lists' loading helpers give what the ORM gives: `common.lookups.AnyOf` the rows of an
`__in` list, `cases.listing.listed_cases()` the cases with their child and caseworker."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trappen.casefile.deadlines import with_first_plan
from trappen.cases.listing import listed_cases
from trappen.cases.models import Case
from trappen.common.lookups import AnyOf


@pytest.mark.django_db
def test_any_of_is_the_in_list(org):
    cases = [org.case(org.child(f"0101155{k:03d}")) for k in range(6)]
    ids = [c.pk for c in cases[::2]]
    got = set(Case.objects.filter(AnyOf("id", ids)).values_list("pk", flat=True))
    assert got == set(Case.objects.filter(pk__in=ids).values_list("pk", flat=True)) == set(ids)
    assert not Case.objects.filter(AnyOf("id", [])).exists()
    children = {c.child_id for c in cases[:2]}
    assert set(Case.objects.filter(AnyOf("child_id", children)).values_list("pk", flat=True)) == {
        c.pk for c in cases[:2]
    }


@pytest.mark.django_db
def test_listed_cases_are_the_orms_cases(org):
    for k in range(4):
        org.case(org.child(f"0201155{k:03d}"), caseworker=org.cw1 if k % 2 else None)
    queryset = with_first_plan(Case.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as read:
        listed = listed_cases(queryset, "first_plan_at")
    assert len(read.captured_queries) == 1
    want = list(queryset.select_related("child", "caseworker"))
    assert [c.pk for c in listed] == [c.pk for c in want]
    for case, orm in zip(listed, want, strict=True):
        assert case == orm and not case._state.adding
        assert (case.status, case.team_id, case.first_plan_at) == (
            orm.status,
            orm.team_id,
            orm.first_plan_at,
        )
        with CaptureQueriesContext(connection) as shown:
            assert case.child.full_name == orm.child.full_name
            assert case.caseworker == orm.caseworker
            assert str(case.caseworker or "") == str(orm.caseworker or "")
        assert not shown.captured_queries  # what a list shows is read already
        assert "cpr" in case.child.get_deferred_fields()
