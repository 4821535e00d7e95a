import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.cadence import Interval, Kind, Repeat, Schedule, State, plan
from trappen.core.deadlines import Unit

W = lambda n: Interval(n, Unit.WEEKS)  # noqa: E731
M = lambda n: Interval(n, Unit.MONTHS)  # noqa: E731

# The model's rules (Herningmodellen 1.0, appendix 2 of KORA 2017); F2 turns these into versioned
# data.
HERNING = {
    "institution": Schedule((W(2),), (Repeat(W(6)),)),
    "foster_family": Schedule((W(2),), (Repeat(W(6), until=M(12)), Repeat(M(3)))),
    "room_of_own": Schedule((W(2),), (Repeat(W(6)),)),
    "short_term": Schedule((), (Repeat(W(4)),)),
    "preventive": Schedule((W(4),), (Repeat(M(3)),), status_at=(M(6),)),
    "mst": Schedule((W(4), W(8), M(3)), (), ends_after=M(5)),
    # After its own points, the general rhythm for preventive measures (every 3 months) goes on.
    "family_centre": Schedule((W(4), M(3), M(6)), (Repeat(M(3)),), status_at=(M(8),)),
    "contact_person": Schedule((W(4), M(3), M(6)), (Repeat(M(3)),)),
}
LEGAL = Schedule((M(3),), (Repeat(M(6)),))  # SEL § 70 (2015)
START = date(2025, 1, 6)


def test_institution_placement_two_weeks_then_every_six_weeks():
    p = plan(HERNING["institution"], START, [], today=START, horizon=date(2025, 4, 1))
    assert [d.due for d in p.dues] == [date(2025, 1, 20), date(2025, 3, 3)]
    assert all(d.state is State.UPCOMING for d in p.dues)


def test_repeats_count_from_the_follow_up_actually_held():
    held = [date(2025, 1, 17)]  # three days early
    p = plan(HERNING["institution"], START, held, today=date(2025, 1, 18))
    assert p.dues[0].state is State.MET
    assert p.next_due.due == date(2025, 1, 17) + timedelta(weeks=6)


def test_foster_family_moves_to_every_three_months_after_the_first_year():
    p = plan(HERNING["foster_family"], START, [], today=START, horizon=date(2026, 6, 1))
    dates = [d.due for d in p.dues]
    gaps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    assert 42 in gaps  # every 6 weeks in the first year
    assert max(gaps) > 80  # then about every 3 months
    first_year_end = date(2026, 1, 6)
    assert all(
        (b - a).days == 42 for a, b in zip(dates, dates[1:], strict=False) if b < first_year_end
    )


def test_mst_ends_at_five_months():
    p = plan(HERNING["mst"], START, [], today=START, horizon=date(2026, 1, 1))
    assert [d.due for d in p.dues] == [date(2025, 2, 3), date(2025, 3, 3), date(2025, 4, 6)]


def test_preventive_status_at_six_months():
    p = plan(HERNING["preventive"], START, [], today=START, horizon=date(2025, 8, 1))
    status = [d for d in p.dues if d.kind is Kind.STATUS]
    assert [d.due for d in status] == [date(2025, 7, 6)]


def test_a_missed_follow_up_is_overdue_and_stops_the_rolling_plan():
    p = plan(HERNING["institution"], START, [date(2025, 1, 20)], today=date(2025, 6, 1))
    assert [d.state for d in p.dues] == [State.MET, State.OVERDUE]
    assert p.next_due.due == date(2025, 3, 3)
    assert p.compliance() == 0.5


def test_a_late_follow_up_counts_as_late_and_the_rhythm_continues_from_it():
    p = plan(HERNING["institution"], START, [date(2025, 1, 25)], today=date(2025, 1, 26))
    assert p.dues[0].state is State.LATE
    assert p.next_due.due == date(2025, 1, 25) + timedelta(weeks=6)


def test_the_episode_end_ends_the_plan():
    p = plan(
        HERNING["institution"],
        START,
        [],
        today=START,
        end=date(2025, 2, 1),
        horizon=date(2026, 1, 1),
    )
    assert [d.due for d in p.dues] == [date(2025, 1, 20)]


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        Interval(0, Unit.WEEKS)
    with pytest.raises(ValueError):
        Interval(-3, Unit.MONTHS)
    with pytest.raises(ValueError):
        Schedule()


schedules = st.sampled_from(sorted(HERNING)).map(HERNING.__getitem__) | st.just(LEGAL)
starts = st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 1, 1))


@given(schedules, starts, st.integers(30, 1500))
def test_holding_every_follow_up_on_its_due_date_leaves_nothing_overdue(schedule, start, days):
    horizon = start + timedelta(days=days)
    planned = plan(schedule, start, [], today=start, horizon=horizon)
    held = [d.due for d in planned.dues if d.kind is Kind.FOLLOW_UP]
    kept = plan(schedule, start, held, today=horizon, horizon=horizon)
    follow_ups = [d for d in kept.dues if d.kind is Kind.FOLLOW_UP]
    assert [d.due for d in follow_ups] == held
    assert all(d.state is State.MET for d in follow_ups)


@given(schedules, starts, st.lists(st.integers(0, 900), max_size=12), st.integers(0, 900))
def test_the_plan_depends_only_on_its_inputs(schedule, start, offsets, today_offset):
    held = [start + timedelta(days=o) for o in offsets]
    today = start + timedelta(days=today_offset)
    shuffled = held[:]
    random.Random(0).shuffle(shuffled)
    assert plan(schedule, start, held, today) == plan(schedule, start, shuffled, today)


@given(st.sampled_from(sorted(HERNING)), starts, st.integers(1, 1100))
def test_the_herning_schedule_is_never_looser_than_the_legal_one(name, start, days):
    schedule = HERNING[name]
    t = start + timedelta(days=days)
    if schedule.ends_after is not None and t > schedule.ends_after.after(start):
        return  # the model's measure has ended; the law's rhythm ends with it
    horizon = start + timedelta(days=1200)
    herning = plan(schedule, start, [], today=start, horizon=horizon)
    legal = plan(LEGAL, start, [], today=start, horizon=horizon)

    def count(p):
        return sum(1 for d in p.dues if d.kind is Kind.FOLLOW_UP and d.due <= t)

    assert count(herning) >= count(legal)
