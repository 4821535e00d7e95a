"""The case file reads the case's rows once (F7 point 1): more measures, follow-ups and
sharings do not cost the case page more queries, and a panel written for the old registry
interface (without `loaded`) still appears on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.access.helpers import share_with_consent
from tests.casefile.test_query_counts import ago, realistic_case
from trappen.access import policy
from trappen.casefile import registry
from trappen.casefile.compose import compose
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.consent.models import Sharing
from trappen.followups import services as followups
from trappen.measures import services as measures
from trappen.organisation.models import Profession


def _queries(client, url: str) -> int:
    client.get(url)  # the session's first write is not what is compared
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_more_measures_follow_ups_and_sharings_cost_the_case_page_no_more_queries(org):
    case = realistic_case(org)
    client = org.client(org.cw1)
    before = _queries(client, f"/cases/{case.pk}/")
    for step, start in ((3, 20), (5, 15)):
        episode = measures.start(
            case, intervention=org.intervention(step), start_on=ago(start), end_on=None,
            end_reason="", provider="", daily_cost=500, by=org.cw1, movement_reason="child_wish",
        )  # fmt: skip
        followups.record(
            episode, held_on=ago(start - 5), form="meeting", child_conversation=False,
            conversation_note="", plan_review="kept", next_agreed_on=None, note="", by=org.cw1,
        )  # fmt: skip
    share_with_consent(case, org.user("pia", Profession.PSYCHOLOGIST, org.north), by=org.cw1)
    assert _queries(client, f"/cases/{case.pk}/") == before


@pytest.mark.django_db
def test_the_consent_panel_decides_each_sharing_on_the_consents_it_read(org):
    case = realistic_case(org)
    hv = Sharing.objects.get(case=case).user
    loaded = Loaded(case)
    consents = loaded.consents
    with CaptureQueriesContext(connection) as ctx:
        covered = policy.may_share(case, hv, consents=consents)
    assert covered and not ctx.captured_queries
    assert covered == policy.may_share(case, hv)  # the same answer as the query
    stranger = org.user("perfpsych", Profession.PSYCHOLOGIST, org.north)
    assert not policy.may_share(case, stranger, consents=consents)
    assert not policy.may_share(case, stranger)
    later = ago(-400)  # consents expire: the same rule on both paths
    assert policy.may_share(case, hv, on=later, consents=consents) == policy.may_share(
        case, hv, on=later
    )


@pytest.mark.django_db
def test_sources_with_and_without_loaded_both_contribute(org):
    case = realistic_case(org)
    seen: list[object] = []

    @registry.panel(order=999)
    def old_style(case, user):
        return Panel("casefile/none.html", {"old": True})

    @registry.panel(order=998)
    def new_style(case, user, loaded):
        seen.append(loaded)
        return Panel("casefile/none.html", {"episodes": len(loaded.episodes)})

    @registry.timeline(order=999)
    def old_events(case):
        yield TimelineEvent(day_end(ago(0)), "Old", "old-style source")

    try:
        casefile = compose(case, org.cw1)
    finally:
        for fn, sources in ((old_style, registry._panels), (new_style, registry._panels),
                            (old_events, registry._timeline)):  # fmt: skip
            sources[:] = [s for s in sources if s[2] is not fn]
    contexts = [dict(p.context) for p in casefile.panels]
    assert {"old": True} in contexts and {"episodes": 3} in contexts
    assert seen == [casefile.loaded]  # the one object the page reads
    assert any(e.title == "old-style source" for e in casefile.timeline)
