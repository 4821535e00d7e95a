"""The simulation core (F13): the chain's rows, the baseline, the seed, the scenario files."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.kpi.build import dataset
from trappen.core.kpi import Period
from trappen.core.simulation.chain import N_STATES, estimate
from trappen.core.simulation.montecarlo import simulate
from trappen.core.simulation.scenario import (
    BASELINE,
    ScenarioError,
    apply_changes,
    parse_scenario,
)

WINDOW = Period(date(2013, 1, 1), date(2014, 12, 31))
START = date(2012, 6, 1)

episode = st.tuples(
    st.integers(0, 5),  # step
    st.integers(0, 900),  # start, days after START
    st.one_of(st.none(), st.integers(1, 700)),  # length in days, None: still open
)
child = st.tuples(
    st.sampled_from(["Nordby", "Sydby"]),
    st.integers(0, 900),  # case opened, days after START
    st.one_of(st.none(), st.integers(30, 900)),  # case open for, None: still open
    st.lists(episode, min_size=0, max_size=3),
)

TYPE_OF_STEP = {3: "foster_network", 4: "foster_ordinary", 5: "residential_institution"}


def _iso(days: int) -> str:
    return (START + timedelta(days=days)).isoformat()


def build(children):
    cases, episodes = [], []
    for i, (_district, opened, length, eps) in enumerate(children):
        closed = None if length is None else _iso(opened + length)
        cases.append((f"c{i}", "Team", _iso(opened), closed, f"cw{i % 3}"))
        for j, (step, start, span) in enumerate(eps):
            episodes.append(
                {
                    "episode_id": f"e{i}-{j}",
                    "child_id": f"c{i}",
                    "step": step,
                    "start": _iso(start),
                    "end": None if span is None else _iso(start + span),
                    "placement_type": TYPE_OF_STEP.get(step),
                    "daily_cost": 100 * (step + 1),
                }
            )
    return dataset(
        districts=[("Nordby", "Pilot"), ("Sydby", "Øvrige")],
        children=[(f"c{i}", c[0]) for i, c in enumerate(children)],
        cases=cases,
        episodes=episodes,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(child, min_size=1, max_size=12))
def test_every_row_of_the_chain_sums_to_one(children):
    est = estimate(build(children), WINDOW)
    for s in range(est.strata):
        matrix = est.matrix(s)
        assert matrix.shape == (N_STATES, N_STATES)
        assert np.all(matrix >= 0)
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    np.testing.assert_allclose(est.entry_shares().sum(axis=1), 1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(child, min_size=1, max_size=8),
    st.fixed_dictionaries(
        {},
        optional={
            "fewer_institution_entries": st.floats(0, 1),
            "more_kinship_placements": st.floats(0, 1),
            "faster_steps_down": st.floats(0, 1),
            "shorter_institution_stay": st.floats(0, 1),
        },
    ),
)
def test_a_scenario_keeps_every_row_a_distribution(children, changes):
    est = estimate(build(children), WINDOW)
    changed = apply_changes(est.rates(), changes)
    assert np.all(changed >= -1e-12)
    np.testing.assert_allclose(changed.sum(axis=-1), 1.0)


def small():
    rng = np.random.default_rng(1)
    children = []
    for _ in range(60):
        eps = [(int(rng.integers(0, 6)), int(rng.integers(0, 600)), int(rng.integers(60, 500)))]
        children.append(
            (str(rng.choice(["Nordby", "Sydby"])), int(rng.integers(0, 600)), None, eps)
        )
    return build(children)


BASELINE_AS_FILE = """
name = "Nothing changes"
source = "a test"
assumptions = ["none"]
[changes]
fewer_institution_entries = 0.0
"""


def test_a_scenario_equal_to_the_baseline_saves_nothing():
    est = estimate(small(), WINDOW)
    sim = simulate(est, parse_scenario(BASELINE_AS_FILE), years=3, runs=2_000, seed=7)
    saving = sim.net_saving
    spending = sim.spending[0].sum(axis=-1)
    # The mean net saving is 0 within Monte Carlo error (4 standard errors of the mean).
    error = saving.std(axis=0) / np.sqrt(sim.runs)
    assert np.all(np.abs(saving.mean(axis=0)) <= 4 * error + 1e-6 * spending.mean(axis=0))
    assert sim.summary()["years"][0]["net_saving"]["median"] == pytest.approx(0, abs=1.0)


def test_a_real_scenario_changes_the_spending():
    est = estimate(small(), WINDOW)
    text = BASELINE_AS_FILE.replace("= 0.0", "= 0.8")
    sim = simulate(est, parse_scenario(text), years=2, runs=500, seed=7)
    assert sim.net_saving.mean() > 0


def test_the_same_seed_gives_the_same_result():
    est = estimate(small(), WINDOW)
    first = simulate(est, BASELINE, years=2, runs=300, seed=42).summary()
    again = simulate(est, BASELINE, years=2, runs=300, seed=42).summary()
    other = simulate(est, BASELINE, years=2, runs=300, seed=43).summary()
    assert first == again
    assert first != other


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name="x"\nsource="y"\nassumptions=["z"]\ncolour="red"', "unknown key 'colour'"),
        (
            'name="x"\nsource="y"\nassumptions=["z"]\n[changes]\nfaster_step_down=0.2',
            "unknown key 'changes.faster_step_down'",
        ),
        (
            'name="x"\nsource="y"\nassumptions=["z"]\n[changes]\nfaster_steps_down=1.5',
            "changes.faster_steps_down = 1.5 is outside 0-1",
        ),
        (
            'name="x"\nsource="y"\nassumptions=["z"]\n[changes]\nfaster_steps_down=-0.1',
            "outside 0-1",
        ),
        ('name="x"\nassumptions=["z"]', "'source' is missing"),
        ('name="x"\nsource="y"\nassumptions=["z"]\n[investment]\nsalary=1', "investment.salary"),
        ("name = ", "not valid TOML"),
    ],
)
def test_a_bad_scenario_file_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ScenarioError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_scenario(text)


def test_the_herning_scenario_parses():
    from pathlib import Path

    import trappen.core.simulation as package

    path = Path(package.__file__).parent / "scenarios" / "herning-model.toml"
    scenario = parse_scenario(path.read_text(encoding="utf-8"))
    assert scenario.investment.caseload_target == 25
    assert not scenario.is_baseline()


# --- regressions from the code review of the first version -------------------------------


def _two_groups(cases, episodes):
    return dataset(
        districts=[("Nordby", "Pilot"), ("Sydby", "Øvrige")],
        children=[(f"n{i}", "Nordby") for i in range(4)] + [(f"s{i}", "Sydby") for i in range(4)],
        cases=cases,
        episodes=episodes,
    )


def test_cases_without_a_named_caseworker_are_not_laid_on_the_named_ones():
    # Four open cases, two of them with nobody named: one named caseworker has 2 cases, not 4.
    ds = _two_groups(
        cases=[
            ("n0", "T", "2012-01-01", None, "cw"),
            ("n1", "T", "2012-01-01", None, "cw"),
            ("n2", "T", "2012-01-01", None, None),
            ("n3", "T", "2012-01-01", None, None),
        ],
        episodes=[],
    )
    est = estimate(ds, WINDOW)
    assert est.current_caseload(tuple(range(len(est.groups)))) == pytest.approx(2.0)


def test_a_stratum_nobody_came_into_gets_no_entrants():
    # Nobody enters in the window: the inflow is 0, not half a child per stratum and month.
    ds = _two_groups(cases=[("n0", "T", "2012-01-01", None, "cw")], episodes=[])
    est = estimate(ds, WINDOW)
    assert est.entries.sum() == 0
    assert np.all(est.entry_rate() == 0)
    sim = simulate(est, BASELINE, years=2, runs=200, seed=1)
    # One child under clarification, nobody coming: the open cases can only shrink.
    assert sim.open_cases[0].max() <= 1.0 + 1e-5  # the draws are single precision


def test_a_scenario_that_changes_nothing_never_breaks_even():
    est = estimate(small(), WINDOW)
    summary = simulate(est, parse_scenario(BASELINE_AS_FILE), years=3, runs=200, seed=7).summary()
    assert summary["break_even"]["year"] is None
    assert summary["break_even"]["share_of_runs_by_year"] == [0.0, 0.0, 0.0]


def test_a_caseload_target_above_todays_hires_nobody_and_dismisses_nobody():
    est = estimate(small(), WINDOW)
    today = est.current_caseload(tuple(range(len(est.groups))))
    assert today is not None
    text = BASELINE_AS_FILE + f"[investment]\ncaseload_target = {today * 2:.3f}\n"
    sim = simulate(est, parse_scenario(text), years=2, runs=100, seed=3)
    assert np.all(sim.staff_cost == 0)
    lower = BASELINE_AS_FILE + f"[investment]\ncaseload_target = {today / 2:.3f}\n"
    hired = simulate(est, parse_scenario(lower), years=2, runs=100, seed=3)
    assert np.all(hired.caseworkers[1] > hired.caseworkers[0])


def test_the_simulated_open_cases_count_cases_not_children():
    # Every child has two open cases (e.g. one closed late, one reopened): twice the children.
    cases = []
    for i in range(4):
        cases += [
            (f"n{i}", "T", "2012-01-01", None, "cw"),
            (f"n{i}", "T", "2012-02-01", None, "cw"),
        ]
    est = estimate(_two_groups(cases=cases, episodes=[]), WINDOW)
    np.testing.assert_allclose(est.cases_per_child()[est.groups.index("Pilot")], 2.0)
    sim = simulate(est, BASELINE, years=1, runs=10, seed=1, uncertainty=False)
    # In the first month nobody has left yet: about 8 open cases for 4 children.
    assert sim.open_cases[0, 0, 0] > 4.0


def test_rates_from_also_takes_the_groups_placement_mix():
    # The pilot places on step 4 in kinship-like network care, the others in ordinary foster care.
    cases, episodes = [], []
    for i in range(4):
        for prefix, kind in (("n", "foster_network"), ("s", "foster_ordinary")):
            cases.append((f"{prefix}{i}", "T", "2012-01-01", None, "cw"))
            episodes.append(
                {
                    "child_id": f"{prefix}{i}",
                    "step": 4,
                    "start": "2012-01-01",
                    "placement_type": kind,
                    "daily_cost": 1000,
                    "episode_id": f"{prefix}{i}",
                }
            )
    est = estimate(_two_groups(cases=cases, episodes=episodes), WINDOW)
    text = (
        'name = "Pilot practice"\nsource = "a test"\nassumptions = ["none"]\n'
        'apply_to = ["Øvrige"]\nrates_from = "Pilot"\n'
    )
    sim = simulate(est, parse_scenario(text), years=1, runs=10, seed=1, uncertainty=False)
    from trappen.core.kpi.report import TYPES

    network, ordinary = TYPES.index("foster_network"), TYPES.index("foster_ordinary")
    base, scen = sim.placed[0, 0, 0], sim.placed[1, 0, 0]
    assert scen[network] > base[network]
    assert scen[ordinary] < base[ordinary]
