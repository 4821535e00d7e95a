"""The steering page reads the database through its read model (steering_data): the
notifications' 24-hour assessment and the days to the first measure reach the figures, and
the page's queries do not grow with the data."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.conftest import place
from trappen.activities.models import Activity
from trappen.cases.models import Case
from trappen.intake.models import Notification
from trappen.measures.models import Episode
from trappen.steering_data.database import dataset_from_database

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}


def notify(org, child, received, assessed_after=None):
    at = timezone.make_aware(received)
    return Notification.objects.create(
        child=child,
        received_at=at,
        source=Notification.Source.SCHOOL,
        content="Bekymring",
        registered_by=org.cw1,
        assessment_deadline=at + timedelta(hours=24),
        assessed_at=None if assessed_after is None else at + assessed_after,
        assessed_by=None if assessed_after is None else org.cw1,
    )


@pytest.fixture
def noticed(placed):
    """Pilot: a notification on 1 March 2015 assessed after 5 hours, the child's first measure
    on 11 March; Øvrige: one on 1 May 2015 assessed after 30 hours, no measure after it."""
    org = placed
    child = org.child("0303101234", district=org.d_north)
    case = Case.objects.create(
        child=child, team=org.cw1.team, caseworker=org.cw1, opened_on=date(2015, 3, 1)
    )
    notify(org, child, datetime(2015, 3, 1, 10), timedelta(hours=5))
    Episode.objects.create(
        child=child,
        case=case,
        intervention=org.intervention(1),
        start_on=date(2015, 3, 11),
        daily_cost=Decimal("100.00"),
        created_by=org.cw1,
    )
    south = Episode.objects.get(start_on=date(2015, 1, 1), end_on=date(2015, 7, 1)).child
    notify(org, south, datetime(2015, 5, 1, 10), timedelta(hours=30))
    Activity.objects.create(
        case=case, kind=Activity.Kind.NEEDS_VISIT, held_on=date(2015, 4, 1), recorded_by=org.cw1
    )
    return org


def test_the_read_model_holds_the_notifications_and_activities(noticed):
    ds = dataset_from_database()
    assert ds.notifications.height == 2 and ds.activities.height == 1
    assert ds.notifications.get_column("received").to_list() == [date(2015, 3, 1), date(2015, 5, 1)]
    # The CSV export writes the interchange format's six tables only.
    from trappen.interchange.services import export_dataset

    assert export_dataset().notifications.height == 0


def test_the_steering_page_shows_the_assessments_and_the_days_to_the_first_measure(noticed):
    client = noticed.client(noticed.analyst)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("evaluation:index"), YEAR)
    assert response.status_code == 200
    after = response.context["figures"].after
    pilot, other = after.groups["Pilot"].intake, after.groups["Øvrige"].intake
    assert (pilot.received, pilot.assessed_in_time, pilot.median_days_to_measure) == (1, 1, 10.0)
    assert (other.received, other.assessed_in_time, other.with_measure) == (1, 0, 0)
    assert after.total.intake.share_in_time == 0.5
    table = next(t for t in response.context["tables"] if t.key == "intake")
    rows = {row.label: row.values for row in table.rows}
    assert rows["Pilot"] == (1, 1, 1.0, 1, 10.0, 10.0)
    page = response.content.decode()
    assert "Notifications: the 24-hour assessment and the way to the first measure" in page
    assert "<tr><td>2015 H1</td><td>Pilot</td>" in page  # the activities, from the cache too


def test_the_steering_page_queries_do_not_grow_with_the_data(placed, django_assert_max_num_queries):
    client = placed.client(placed.analyst)
    # Computed: the read model is one query a table, and the quality panel's (F8 point 8)
    # cases, assignments and complaints are read with it and kept in the shared cache, and so
    # are follow-ups on time over time (followups.history: the rule sets, the episodes, their
    # follow-ups, exceptions and reports).
    with django_assert_max_num_queries(47):
        assert client.get(reverse("evaluation:index"), YEAR).status_code == 200
    with django_assert_max_num_queries(8):  # from the shared cache, the panels too
        assert client.get(reverse("evaluation:index"), YEAR).status_code == 200
    for i in range(20):
        district = placed.d_north if i % 2 else placed.d_south
        place(placed, f"04041{i:02d}234"[:10], district, 4, "foster_ordinary", date(2015, 2, 1))
    with django_assert_max_num_queries(47):  # the data changed: computed again, as many
        assert client.get(reverse("evaluation:index"), YEAR).status_code == 200
