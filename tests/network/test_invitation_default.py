"""A new invitation proposes a working hour a week ahead, never the small hours."""

from datetime import datetime

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trappen.network.services import default_start


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)))
def test_the_default_start_is_10_on_a_weekday_about_a_week_ahead(now):
    start = timezone.localtime(default_start(timezone.make_aware(now)))
    assert (start.hour, start.minute) == (10, 0)
    assert start.weekday() < 5
    assert 7 <= (start.date() - now.date()).days <= 9


def test_the_new_meeting_form_proposes_10_oclock(org, case):
    page = org.client(org.cw1).get(f"/cases/{case.pk}/network-meetings/new/").content.decode()
    assert 'name="starts_at" value="' in page
    value = page.split('name="starts_at" value="')[1][:16]
    assert value.endswith("T10:00"), value
    assert 'id="id_ends_at"' in page and "T11:30" in page.split('name="ends_at"')[1][:40]
