from datetime import date, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_cadence import HERNING, LEGAL, M, W
from trappen.core import deadlines
from trappen.core.cadence import STATUS_WINDOW_DAYS, Kind, Repeat, Schedule, State, plan
from trappen.core.cadence_columnar import (
    add_months,
    compile_schedules,
    csr_from_episode_ids,
    plan_columns,
)

NAMES = [*sorted(HERNING), "legal"]
SCHEDULES = [*(HERNING[name] for name in sorted(HERNING)), LEGAL]
COMPILED = compile_schedules(SCHEDULES)
START = date(2025, 1, 6)


def expected(schedule, start, held, today, end):
    """What the columns should say, from the per-episode engine."""
    p = plan(schedule, start, held, today, end)
    past = [d for d in p.dues if d.state is not State.UPCOMING]
    return (
        p.next_due.due if p.next_due else None,
        p.next_due is not None and p.next_due.state is State.OVERDUE,
        len(p.overdue),
        sum(d.state is State.MET for d in past),
        len(past),
        p.compliance(),
    )


def actual(columns, i):
    nd = columns.next_due[i]
    compliance = float(columns.compliance[i])
    return (
        None if np.isnat(nd) else nd.astype(date),
        bool(columns.overdue[i]),
        int(columns.overdue_count[i]),
        int(columns.met[i]),
        int(columns.points_due[i]),
        None if np.isnan(compliance) else compliance,
    )


def run(episodes, today, schedules=SCHEDULES, compiled=COMPILED):
    """episodes: (schedule index, start, held dates, end or None); held given unsorted, by id."""
    ids = [i for i, e in enumerate(episodes) for _ in e[2]]
    flat = [d for e in episodes for d in e[2]]
    held, offsets = csr_from_episode_ids(
        np.array(ids, dtype=np.int64), np.array(flat, dtype="datetime64[D]"), len(episodes)
    )
    columns = plan_columns(
        compiled,
        [e[0] for e in episodes],
        np.array([e[1] for e in episodes], dtype="datetime64[D]"),
        held,
        offsets,
        today,
        np.array([e[3] for e in episodes], dtype="datetime64[D]"),
    )
    assert len(columns) == len(episodes)
    for i, (s, start, held_dates, end) in enumerate(episodes):
        assert actual(columns, i) == expected(schedules[s], start, held_dates, today, end), (
            NAMES[s] if schedules is SCHEDULES else s,
            start,
            sorted(held_dates),
            today,
            end,
        )
    return columns


def test_a_missed_follow_up_is_overdue_and_counted():
    institution = NAMES.index("institution")
    c = run([(institution, START, [date(2025, 1, 20)], None)], today=date(2025, 6, 1))
    assert c.next_due[0] == np.datetime64("2025-03-03")
    assert c.overdue[0] and c.overdue_count[0] == 1
    assert c.compliance[0] == 0.5


def test_a_batch_mixing_schedules_late_early_status_and_ends():
    s = NAMES.index
    today = date(2025, 9, 1)
    c = run(
        [
            (s("institution"), START, [date(2025, 1, 25)], None),  # late, then overdue
            (s("preventive"), START, [date(2025, 2, 1), date(2025, 6, 20)], None),  # status met
            (s("preventive"), START, [date(2025, 2, 1)], None),  # status point overdue too
            (s("mst"), START, [date(2025, 2, 3), date(2025, 3, 1), date(2025, 4, 6)], None),
            (s("foster_family"), START, [], date(2025, 1, 10)),  # ended before the first point
            (s("short_term"), date(2025, 8, 20), [date(2024, 1, 1)], None),  # held before start
            (s("legal"), START, [date(2025, 4, 6), date(2025, 1, 7), date(2025, 3, 1)], None),
        ],
        today,
    )
    assert np.isnat(c.next_due[3]) and c.compliance[3] == 1.0  # MST all met and ended
    assert np.isnat(c.next_due[4]) and np.isnan(c.compliance[4])
    assert (c.overdue_count[1], c.overdue_count[2]) == (0, 2)  # a missed repeat and status


def test_an_empty_batch_and_a_batch_without_follow_ups():
    empty = plan_columns(COMPILED, [], np.array([], "datetime64[D]"), [], [0], START)
    assert len(empty) == 0
    run([(i, START, [], None) for i in range(len(SCHEDULES))], today=START)
    run([(i, START, [], None) for i in range(len(SCHEDULES))], today=date(2027, 1, 1))


def test_schedules_beyond_herning_repeats_until_with_no_open_end_and_days():
    odd = [
        Schedule((M(3), W(1)), ()),  # unsorted milestones, nothing after them
        Schedule((), (Repeat(W(2), until=M(2)), Repeat(M(1), until=M(6)))),  # runs out
        Schedule((M(1),), (Repeat(M(1)),), status_at=(W(2), M(13))),
    ]
    compiled = compile_schedules(odd)
    held = [START + timedelta(days=d) for d in (3, 20, 70, 71, 140, 400)]
    before = [START - timedelta(days=5)]  # inside the first status window, but before the start
    for today in (START, date(2025, 3, 1), date(2026, 6, 1)):
        episodes = [(i, START, h, None) for i in range(3) for h in (held, [], before)]
        run(episodes, today, odd, compiled)
    alone = [Schedule((W(2), M(1)), ()), Schedule((), (Repeat(W(3)),))]  # no repeat; no milestone
    for schedule in alone:
        run([(0, START, h, None) for h in (held, [])], date(2025, 6, 1), [schedule],
            compile_schedules([schedule]))  # fmt: skip


def marks(schedule, start, days=1300):
    """The due dates planned when every point is held on time, status points, window starts and
    repeat ends: where the comparisons flip."""
    horizon = start + timedelta(days=days)
    dues = plan(schedule, start, [], today=start, horizon=horizon).dues
    found = [d.due for d in dues]
    found += [r.until.after(start) for r in schedule.repeats if r.until is not None]
    found += [d.due - timedelta(days=STATUS_WINDOW_DAYS) for d in dues if d.kind is Kind.STATUS]
    on_time = [d.due for d in dues if d.kind is Kind.FOLLOW_UP]
    return sorted({m + timedelta(days=k) for m in found for k in (-1, 0, 1)}), on_time


@pytest.mark.parametrize("name", NAMES)
def test_every_boundary_of_every_schedule(name):
    s = NAMES.index(name)
    near, on_time = marks(SCHEDULES[s], START, days=450)  # past every until and status point
    episodes = [(s, START, [x], None) for x in near]
    episodes += [(s, START, [d for d in on_time if d < x] + [x], None) for x in near]
    episodes += [(s, START, on_time, x) for x in near]
    status = [d.due for d in plan(SCHEDULES[s], START, [], START, None, near[-1]).dues]
    for today in sorted({*near[::4], *status}):
        run(episodes, today)


def test_bad_input_is_refused():
    one = np.array(["2025-01-06"], "datetime64[D]")
    with pytest.raises(ValueError):
        plan_columns(COMPILED, [len(SCHEDULES)], one, [], [0, 0], START)
    with pytest.raises(ValueError):
        plan_columns(COMPILED, [0], one, [], [0], START)
    with pytest.raises(ValueError):
        plan_columns(COMPILED, [0], np.array(["NaT"], "datetime64[D]"), [], [0, 0], START)


days_ = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(st.lists(st.tuples(days_, st.integers(-400, 400)), max_size=40))
def test_add_months_is_the_scalar_one_vectorised(cases):
    got = add_months(np.array([d for d, _ in cases], "datetime64[D]"), [n for _, n in cases])
    assert [g.astype(date) for g in got] == [deadlines.add_months(d, n) for d, n in cases]


def episode(today):
    return st.tuples(
        st.integers(0, len(SCHEDULES) - 1),
        st.integers(-1200, 60),  # start relative to today
        st.lists(st.integers(-40, 1300), max_size=25),  # held relative to the start
        st.none() | st.integers(0, 1500),  # end relative to the start
    ).map(
        lambda e: (
            e[0],
            today + timedelta(days=e[1]),
            [today + timedelta(days=e[1] + h) for h in e[2]],
            None if e[3] is None else today + timedelta(days=e[1] + e[3]),
        )
    )


def kept(today):
    """Follow-ups held around the planned due dates: mostly met, some late, some missed."""
    return st.tuples(
        st.integers(0, len(SCHEDULES) - 1),
        st.integers(-1200, 60),
        st.lists(st.integers(-10, 25), min_size=40, max_size=40),
        st.none() | st.integers(100, 1500),
    ).map(lambda e: _kept(today, *e))


def _kept(today, s, start_offset, jitter, end_offset):
    start = today + timedelta(days=start_offset)
    end = None if end_offset is None else start + timedelta(days=end_offset)
    horizon = today + timedelta(days=60)
    planned = plan(SCHEDULES[s], start, [], today=start, horizon=horizon)
    held = [d.due + timedelta(days=j) for d, j in zip(planned.dues, jitter, strict=False) if j < 20]
    return s, start, held, end


@st.composite
def edges(draw, today):
    """Held dates and ends on, or a day either side of, the dates where a comparison flips."""
    s = draw(st.integers(0, len(SCHEDULES) - 1))
    schedule = SCHEDULES[s]
    start = today + timedelta(days=draw(st.integers(-1200, 60)))
    if draw(st.booleans()):  # move the start so that a point falls due today
        horizon = start + timedelta(days=1300)
        start += (
            today - draw(st.sampled_from(plan(schedule, start, [], start, None, horizon).dues)).due
        )
    near = marks(schedule, start)[0]
    held = draw(st.lists(st.sampled_from(near), max_size=25))
    return s, start, held, draw(st.none() | st.sampled_from(near))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_columns_equal_plan_for_every_episode(data):
    today = data.draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 1, 1)))
    kinds = episode(today) | kept(today) | edges(today)
    episodes = data.draw(st.lists(kinds, min_size=10, max_size=50))
    run(episodes, today)


def test_the_followups_benchmark_needs_no_database_and_agrees_with_plan():
    # No `db` fixture: creating a test database here would fail.
    out = StringIO()
    call_command("benchmark", "followups", "--episodes", "400", "--sample", "150", stdout=out)
    assert "no database" in out.getvalue()
    assert "agree on 150 of the 150 sampled episodes" in out.getvalue()


# The provider's reports (`reports_at`): the family centre's status at 8 months, and more.
WITH_REPORTS = [
    Schedule((W(4), M(3)), (Repeat(M(3)),), reports_at=(M(8),)),
    Schedule((W(2),), (Repeat(W(6)),), status_at=(M(6),), reports_at=(M(4), M(8), W(60))),
    Schedule((M(1),), (Repeat(M(2)),), ends_after=M(9), reports_at=(M(8), M(10))),
]
COMPILED_REPORTS = compile_schedules([*SCHEDULES, *WITH_REPORTS])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_columns_count_the_providers_reports_as_plan_does(data):
    today = data.draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 1, 1)))
    schedules = [*SCHEDULES, *WITH_REPORTS]
    episodes = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, len(schedules) - 1),
                st.integers(-900, 60),
                st.lists(st.integers(-40, 900), max_size=12),
                st.none() | st.integers(0, 1000),
                st.lists(st.integers(-60, 500), max_size=5),  # reports, relative to the start
            ),
            min_size=5,
            max_size=40,
        )
    )
    rows = [
        (
            s,
            today + timedelta(days=a),
            [today + timedelta(days=a + h) for h in held],
            None if e is None else today + timedelta(days=a + e),
            [today + timedelta(days=a + r) for r in reports],
        )
        for s, a, held, e, reports in episodes
    ]
    held, offsets = csr_from_episode_ids(
        np.array([i for i, r in enumerate(rows) for _ in r[2]], dtype=np.int64),
        np.array([d for r in rows for d in r[2]], dtype="datetime64[D]"),
        len(rows),
    )
    received, report_offsets = csr_from_episode_ids(
        np.array([i for i, r in enumerate(rows) for _ in r[4]], dtype=np.int64),
        np.array([d for r in rows for d in r[4]], dtype="datetime64[D]"),
        len(rows),
    )
    columns = plan_columns(
        COMPILED_REPORTS,
        [r[0] for r in rows],
        np.array([r[1] for r in rows], dtype="datetime64[D]"),
        held,
        offsets,
        today,
        np.array([r[3] for r in rows], dtype="datetime64[D]"),
        reports=received,
        report_offsets=report_offsets,
    )
    for i, (s, start, held_dates, end, reports) in enumerate(rows):
        p = plan(schedules[s], start, held_dates, today, end, reports=reports)
        past = [d for d in p.dues if d.state is not State.UPCOMING]
        want = (
            p.next_due.due if p.next_due else None,
            p.next_due is not None and p.next_due.state is State.OVERDUE,
            len(p.overdue),
            sum(d.state is State.MET for d in past),
            len(past),
            p.compliance(),
        )
        assert actual(columns, i) == want, (s, start, sorted(held_dates), end, reports)


def test_a_report_received_in_the_month_before_its_point_meets_it():
    schedule = WITH_REPORTS[0]
    point = deadlines.add_months(START, 8)
    compiled = compile_schedules([schedule])
    for received, met in [
        (point, 1),
        (point - timedelta(days=STATUS_WINDOW_DAYS), 1),
        (point - timedelta(days=STATUS_WINDOW_DAYS + 1), 0),
    ]:
        reports, report_offsets = csr_from_episode_ids(
            np.array([0]), np.array([received], dtype="datetime64[D]"), 1
        )
        columns = plan_columns(
            compiled,
            [0],
            np.array([START], dtype="datetime64[D]"),
            np.array([], dtype="datetime64[D]"),
            [0, 0],
            point + timedelta(days=1),
            reports=reports,
            report_offsets=report_offsets,
        )
        p = plan(schedule, START, [], point + timedelta(days=1), reports=[received])
        report = next(d for d in p.dues if d.kind is Kind.REPORT)
        assert (report.state is State.MET) == bool(met)
        assert int(columns.met[0]) == met
