"""Follow-ups on time as they stood on past days (core.followup_history): what the due lists
would have said on each day, per group and in total."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_cadence import HERNING, M
from trappen.core.cadence import Schedule, State, plan
from trappen.core.followup_history import TOTAL, Count, Measure, on_time_on

SCHEDULES = [
    *(HERNING[name] for name in sorted(HERNING)),
    Schedule((M(3),), (), reports_at=(M(6), M(12))),  # the provider's reports
]
ORIGIN = date(2013, 1, 1)


def reference(measures, day):
    """The per-measure engine: each measure active on `day` planned with what was held and
    received by then."""
    out: dict[str, Count] = {}
    for m in measures:
        if not m.active_on(day):
            continue
        p = plan(
            SCHEDULES[m.schedule],
            m.start,
            [d for d in m.held if d <= day],
            day,
            m.end,
            reports=[d for d in m.reports if d <= day],
        )
        past = [d for d in p.dues if d.state is not State.UPCOMING]
        met = sum(d.state is State.MET for d in past)
        for key in (m.group, TOTAL):
            c = out.get(key, Count())
            out[key] = Count(c.due + len(past), c.met + met)
    return out


days_in = st.integers(min_value=0, max_value=1500).map(lambda n: ORIGIN + timedelta(days=n))


@st.composite
def a_measure(draw):
    start = draw(days_in)
    end = draw(st.none() | st.integers(1, 900).map(lambda n: start + timedelta(days=n)))
    closed = draw(st.none() | st.integers(0, 1000).map(lambda n: start + timedelta(days=n)))
    held = draw(
        st.lists(st.integers(-20, 1200).map(lambda n: start + timedelta(days=n)), max_size=12)
    )
    reports = draw(
        st.lists(st.integers(100, 400).map(lambda n: start + timedelta(days=n)), max_size=2)
    )
    return Measure(
        draw(st.integers(0, len(SCHEDULES) - 1)),
        draw(st.sampled_from(["Pilot", "Øvrige"])),
        start,
        end,
        closed,
        tuple(held),
        tuple(reports),
    )


measures_in = st.lists(a_measure(), min_size=0, max_size=12)


@settings(max_examples=120, deadline=None)
@given(measures_in, st.lists(days_in, min_size=1, max_size=4))
def test_each_day_is_what_the_due_lists_said_that_day(measures, days):
    got = on_time_on(SCHEDULES, measures, days)
    for day in days:
        assert got[day] == reference(measures, day), day


@settings(max_examples=120, deadline=None)
@given(measures_in, days_in)
def test_a_share_lies_between_0_and_1(measures, day):
    for count in on_time_on(SCHEDULES, measures, [day])[day].values():
        assert 0 <= count.met <= count.due
        assert count.share is None or 0 <= count.share <= 1


@settings(max_examples=150, deadline=None)
@given(measures_in, days_in, st.data())
def test_holding_an_overdue_follow_up_on_time_never_lowers_the_share(measures, day, data):
    """Holding the follow-up of an overdue point on its date: the share that day is at least
    what it was, in the group and in total (the point may be met, or the follow-up may go to an
    earlier point held late, as the due lists count it)."""
    before = on_time_on(SCHEDULES, measures, [day])[day]
    overdue = []
    for i, m in enumerate(measures):
        if m.active_on(day):
            p = plan(SCHEDULES[m.schedule], m.start, [h for h in m.held if h <= day], day, m.end)
            overdue += [
                (i, d.due) for d in p.dues if d.state is State.OVERDUE and d.kind == "follow_up"
            ]
    if not overdue:
        return
    i, due = data.draw(st.sampled_from(overdue))
    m = measures[i]
    changed = [*measures[:i], replace(m, held=(*m.held, due)), *measures[i + 1 :]]
    after = on_time_on(SCHEDULES, changed, [day])[day]
    for key in (m.group, TOTAL):
        assert after[key].share is not None and before[key].share is not None
        assert after[key].share >= before[key].share


def test_a_worked_example_per_group_and_over_time():
    """An institution placement (2 weeks, then every 6 weeks from the follow-up held) in Pilot
    from 6 January 2025, held on 17 January and 10 March; a short-term one in Øvrige (every 4
    weeks) from 1 February, never followed up, its case closed on 1 April."""
    institution = sorted(HERNING).index("institution")
    short = sorted(HERNING).index("short_term")
    measures = [
        Measure(institution, "Pilot", date(2025, 1, 6), None, None,
                (date(2025, 1, 17), date(2025, 3, 10))),
        Measure(short, "Øvrige", date(2025, 2, 1), None, date(2025, 4, 1), ()),
    ]  # fmt: skip
    days = [date(2025, 1, 10), date(2025, 3, 5), date(2025, 3, 31), date(2025, 6, 30)]
    got = on_time_on(SCHEDULES, measures, days)
    # 10 January: nothing due yet; Øvrige not started.
    assert got[days[0]] == {"Pilot": Count(0, 0), TOTAL: Count(0, 0)}
    # 5 March: Pilot met 20 Jan (held 17 Jan), 28 Feb overdue (10 March is not held yet);
    # Øvrige's 1 March overdue.
    assert got[days[1]] == {"Pilot": Count(2, 1), "Øvrige": Count(1, 0), TOTAL: Count(3, 1)}
    # 31 March: 28 Feb was held late on 10 March, the next (21 April) not due yet.
    assert got[days[2]]["Pilot"] == Count(2, 1)
    # 30 June: 21 April overdue, the rhythm stops there; Øvrige's case is closed.
    assert got[days[3]] == {"Pilot": Count(3, 1), TOTAL: Count(3, 1)}
    assert got[days[3]][TOTAL].share == 1 / 3
