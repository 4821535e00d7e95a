"""F7 point 3: the rules are data in one folder, trappen/core/data/, read by one loader
(trappen/core/ruledata.py) that refuses a file naming no source or with a broken validity."""

import re
import tomllib
from pathlib import Path

import pytest

import trappen
from trappen.core import ruledata

ROOT = Path(trappen.__file__).parent
RULES = ROOT / "core" / "data"
# Demo content, not rules: the KORA tables the demo's history is built to match.
NOT_RULES = {ROOT / "demo" / "data"}


def test_no_rule_file_lives_outside_core_data():
    elsewhere = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("data/*.json")
        if p.parent != RULES and p.parent not in NOT_RULES
    ]
    assert not elsewhere


def test_every_rule_file_is_loaded_with_its_source():
    on_disk = sorted(p.name for p in RULES.glob("*.json"))
    assert on_disk and list(ruledata.names()) == on_disk
    for name in on_disk:
        data = ruledata.load(name)
        assert "source" in repr(data), name
        ruledata.check(data, name)  # the same checks as at load; raises if broken


def test_the_loader_is_the_only_reader_of_rule_files():
    """No module of the apps opens a rule file by its own path."""
    readers = []
    for module in ROOT.rglob("*.py"):
        if module.name == "ruledata.py" or "demo" in module.parts:
            continue
        text = module.read_text(encoding="utf-8")
        if re.search(r'/ "data"|with_name\("data"\)|joinpath\("data', text):
            readers.append(str(module.relative_to(ROOT)))
    assert not readers


def test_a_file_without_a_source_is_refused():
    with pytest.raises(ruledata.RuleDataError, match="names no source"):
        ruledata.check({"version": "1", "rules": [{"key": "x", "amount": 3}]})
    with pytest.raises(ruledata.RuleDataError, match="valid from 2024-01-01 names no source"):
        ruledata.check(
            {"about": {"source": "a book"}, "rules": [{"valid_from": "2024-01-01", "n": 3}]}
        )
    # A source around the rule covers it.
    ruledata.check({"source": "a book", "rules": [{"valid_from": "2024-01-01", "n": 3}]})


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [
        ("2024-13-01", None, "valid_from must be an ISO date"),
        ("2024-01-01", "31.12.2023", "valid_to must be an ISO date"),
        ("2024-01-01", "2023-12-31", "before valid_from"),
    ],
)
def test_a_broken_validity_is_refused(valid_from, valid_to, message):
    rule = {"source": "§ 1", "valid_from": valid_from, "valid_to": valid_to}
    with pytest.raises(ruledata.RuleDataError, match=message):
        ruledata.check({"rules": [rule]})


def test_only_plain_names_are_read():
    with pytest.raises(ruledata.RuleDataError):
        ruledata.load("../demo/data/kora_tables.json")


def test_the_rule_files_are_installed_with_the_package():
    """pyproject's package-data ships trappen/core/data/*.json in the wheel."""
    pyproject = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]
    shipped = [*patterns.get("*", []), *patterns.get("trappen.core", [])]
    assert "data/*.json" in shipped
