"""The network-meeting overview's meetings sort by their columns and filter by time and kind
(F10 point 3); a key not on the whitelist is the default order (newest first)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from trappen.network.models import NetworkMeeting

from .conftest import days_ago, meeting

pytestmark = pytest.mark.django_db


def test_the_overview_sorts_by_column_and_filters_by_time_and_kind(org, case, today):
    held = meeting(case, by=org.cw1, concern_on=days_ago(20), meeting_on=days_ago(10))
    soon = meeting(
        case,
        by=org.cw1,
        concern_on=today,
        meeting_on=today + timedelta(days=3),
        kind=NetworkMeeting.Kind.NETWORK,
    )
    later = meeting(case, by=org.cw1, concern_on=today, meeting_on=today + timedelta(days=9))
    client = org.client(org.cw1)
    url = reverse("network:overview")

    def rows(**params):
        return [m.pk for m in client.get(url, params).context["meetings"]]

    assert rows() == [later.pk, soon.pk, held.pk]  # newest first
    assert rows(sort="date") == [held.pk, soon.pk, later.pk]
    assert rows(sort="kind") == [held.pk, later.pk, soon.pk]  # inclusive before network
    assert rows(sort="child") == rows()  # not a column: the default order
    assert rows(when="upcoming") == [later.pk, soon.pk]
    assert rows(when="past") == [held.pk]
    assert rows(kind="network") == [soon.pk]
    page = client.get(url, {"sort": "-kind", "when": "upcoming"}).content.decode()
    assert 'aria-sort="descending"' in page and "when=upcoming" in page
