"""trappen.core.intake: reference numbers, who is on duty, what a notifier must give."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import intake

BASE = datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_a_reference_names_the_kind_the_year_and_a_serial():
    """The receipt's reference number: 'U-2026-000123' for notification 123 of 2026."""
    assert intake.reference("U", 2026, 123) == "U-2026-000123"
    assert intake.reference("n", 2025, 1) == "N-2025-000001"
    with pytest.raises(ValueError):
        intake.reference("U", 2026, 0)
    with pytest.raises(ValueError):
        intake.reference("", 2026, 5)


@given(st.integers(1, 10**6 - 1), st.integers(1, 10**6 - 1))
def test_different_serials_never_share_a_reference(a, b):
    assert (intake.reference("U", 2026, a) == intake.reference("U", 2026, b)) == (a == b)


def test_the_one_on_duty_is_the_shift_covering_the_moment_with_its_end_excluded():
    """A notification at 16:00 goes to the night shift (16:00-08:00), not the day shift."""
    day = intake.Shift(BASE, BASE + timedelta(hours=8), worker=1, id=1)
    night = intake.Shift(BASE + timedelta(hours=8), BASE + timedelta(hours=24), worker=2, id=2)
    assert intake.on_duty([day, night], BASE) == 1
    assert intake.on_duty([day, night], BASE + timedelta(hours=8)) == 2
    assert intake.on_duty([day, night], BASE + timedelta(hours=24)) is None
    assert intake.on_duty([], BASE) is None


shifts = st.lists(
    st.builds(
        lambda start, length, worker, i: intake.Shift(
            BASE + timedelta(hours=start), BASE + timedelta(hours=start + length), worker, i
        ),
        st.integers(0, 48),
        st.integers(1, 24),
        st.integers(1, 5),
        st.integers(1, 1000),
    ),
    max_size=8,
    unique_by=lambda s: s.id,  # a shift's id is its row's primary key
)


@given(shifts, st.integers(0, 80), st.randoms())
def test_who_is_on_duty_does_not_depend_on_the_order_of_the_roster(roster, hour, rnd):
    moment = BASE + timedelta(hours=hour)
    shuffled = list(roster)
    rnd.shuffle(shuffled)
    found = intake.on_duty(roster, moment)
    assert intake.on_duty(shuffled, moment) == found
    assert (found is None) == (not any(s.covers(moment) for s in roster))


def test_an_anonymous_notifier_gives_no_name_and_no_contact():
    """'Anonymous: then no name or contact is required' — and none is kept."""
    rule = intake.missing_notifier_details
    assert rule(anonymous=True, professional=False, name="", phone="", email="") == []
    assert rule(anonymous=True, professional=False, name="Ole", phone="1", email="") == [
        "no_name",
        "no_contact",
    ]


def test_a_professional_gives_a_name_and_a_phone_or_e_mail_for_the_receipt():
    rule = intake.missing_notifier_details
    assert rule(anonymous=False, professional=True, name=" ", phone="", email="") == [
        "name",
        "contact",
    ]
    assert rule(anonymous=False, professional=True, name="Sara", phone="", email="s@x.dk") == []
    assert rule(anonymous=False, professional=False, name="Mor", phone="", email="") == []
