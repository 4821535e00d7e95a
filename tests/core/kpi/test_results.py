"""The typed contract of evaluate(): the pages read attributes, `trappen evaluate --json` and
compare() read `as_dict()`; both say the same, and a misspelt figure fails loudly."""

import dataclasses
import json
from collections.abc import Mapping

import pytest

from tests.core.kpi.test_report import EXAMPLE, Y2014
from trappen.core.kpi import evaluate
from trappen.core.kpi.results import GroupFigures, KeyFigures, Report


def walk(node, data, path=()):
    """Every leaf of `data` (the JSON) against the same path read as attributes of `node`."""
    if dataclasses.is_dataclass(node):
        names = {f.name for f in dataclasses.fields(node)}
        assert set(data) <= names | {"from", "to", "prices"}, path
        for key, value in data.items():
            yield from walk(getattr(node, key), value, (*path, key))
    elif isinstance(node, Mapping):
        assert set(node) == set(data), path
        for key, value in data.items():
            yield from walk(node[key], value, (*path, key))
    else:
        yield path, node, data


@pytest.mark.parametrize("group_by", ["group", "district", "team", "all"])
def test_every_figure_reads_the_same_as_attribute_and_as_json(group_by):
    report = evaluate(EXAMPLE, Y2014, group_by=group_by)
    assert isinstance(report, Report)
    data = report.as_dict()
    assert json.loads(json.dumps(data)) == data
    leaves = 0
    for name, figures in report.groups.items():
        assert isinstance(figures, GroupFigures) and isinstance(figures.key_figures, KeyFigures)
        for path, got, want in walk(figures, data["groups"][name]):
            assert got == want, (name, *path)
            leaves += 1
    for path, got, want in walk(report.total, data["total"]):
        assert got == want, ("total", *path)
    assert leaves > 100
    assert data["period"] == {"from": "2014-01-01", "to": "2014-12-31", "days": 365}


def test_a_misspelt_figure_fails_instead_of_showing_nothing():
    total = evaluate(EXAMPLE, Y2014).total
    assert total.breakdowns.count == 1
    assert total.spending.of("institution") == total.spending.institution
    with pytest.raises(AttributeError):
        total.placed_aarsborn  # noqa: B018
    with pytest.raises(KeyError):
        total.spending.of("instituion")
    with pytest.raises(KeyError):
        total.key_figures.kind("fostr")
    with pytest.raises(dataclasses.FrozenInstanceError):
        total.complaints.count = 2  # type: ignore[misc]
