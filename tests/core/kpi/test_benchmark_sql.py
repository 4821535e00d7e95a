"""The evaluate benchmark: its DuckDB SQL and evaluate() agree; the command runs (not timed)."""

from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.evaluate import (
    PERIOD,
    agree,
    connect,
    duckdb_placements,
    generate,
    polars_placements,
)
from trappen.core.kpi import evaluate
from trappen.core.kpi.report import TOTAL, TYPES


@pytest.fixture(scope="module")
def small():
    return generate(800, seed=11)


def test_duckdb_and_polars_agree_on_aarsboern_spending_and_children(small):
    sql, engine = duckdb_placements(connect(small), PERIOD), polars_placements(small, PERIOD)
    assert sql[TOTAL]["total"][0] > 0
    assert agree(engine, sql)


def test_duckdb_agrees_with_evaluate(small):
    sql = duckdb_placements(connect(small), PERIOD)
    result = evaluate(small, PERIOD).as_dict()
    for group, figures in [*result["groups"].items(), (TOTAL, result["total"])]:
        for kind in ("total", "institution", "family_care", "home_based", *TYPES):
            days, spending, children = sql.get(group, {}).get(kind, (0, 0.0, 0))
            section = "by_type" if kind in TYPES else None

            def figure(name, figures=figures, kind=kind, section=section):
                value = figures[name]
                return (value[section] if section else value)[kind]

            assert figure("placed_aarsboern") == round(days / PERIOD.days, 6)
            assert figure("spending") == pytest.approx(spending, rel=1e-9)
            assert figure("placed_children") == children


def test_the_benchmark_command_prints_its_figures():
    out = StringIO()
    call_command("benchmark", "evaluate", "--episodes", "3000", stdout=out)
    text = out.getvalue()
    assert "evaluate() over the ten years" in text
    assert "Peak memory" in text
    assert "they agree" in text
