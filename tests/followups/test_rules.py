"""The cadence rule sets as data: loaded with their sources, validated when edited."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from trappen.followups.models import CadenceRule, CadenceRuleSet
from trappen.followups.schedule import Rules


def test_the_three_rule_sets_are_loaded_with_sources_and_periods(db):
    sets = {s.key: s for s in CadenceRuleSet.objects.all()}
    assert set(sets) >= {"herning-2015", "sel-70-2015", "barnets-lov-2024"}
    assert sets["herning-2015"].kind == "model"
    assert "Herningmodellen" in sets["herning-2015"].source
    assert sets["sel-70-2015"].valid_to == date(2023, 12, 31)
    assert sets["barnets-lov-2024"].valid_from == date(2024, 1, 1)
    rules = Rules.load()
    assert rules.in_force("legal", date(2023, 12, 31)).key == "sel-70-2015"
    assert rules.in_force("legal", date(2024, 1, 1)).key == "barnets-lov-2024"


@pytest.mark.parametrize(
    "schedule",
    [
        {"milestones": ["0w"]},
        {"repeats": [{"every": "-3m"}]},
        {"milestones": ["two weeks"]},
        {},
        "every 6 weeks",
    ],
)
def test_a_rule_with_a_non_positive_or_unreadable_interval_is_refused(db, schedule):
    rule = CadenceRule(
        rule_set=CadenceRuleSet.objects.get(key="herning-2015"),
        category="short_term",
        schedule=schedule,
    )
    with pytest.raises(ValidationError) as caught:
        rule.full_clean(exclude=["rule_set", "category"])
    assert "schedule" in caught.value.message_dict


def test_cadence_command_prints_the_due_dates_as_json(db, capsys):
    call_command(
        "cadence",
        "--category",
        "institution",
        "--start",
        "2025-01-06",
        "--until",
        "2025-04-30",
        "--rules",
        "herning-2015",
        "--json",
    )
    out = json.loads(capsys.readouterr().out)
    assert [d["date"] for d in out["due"]] == ["2025-01-20", "2025-03-03", "2025-04-14"]
    assert out["name"] == "Herning 1.0 (2015)"


def test_cadence_command_without_rules_shows_model_and_law(db, capsys):
    call_command(
        "cadence", "--category", "preventive", "--start", "2025-01-06", "--until", "2025-08-01"
    )
    out = capsys.readouterr().out
    assert "Herning 1.0 (2015)" in out and "Barnets Lov" in out
    assert "2025-07-06  status" in out


def test_cadence_command_refuses_unknown_rules(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown rule set"):
        call_command(
            "cadence",
            "--category",
            "mst",
            "--start",
            "2025-01-06",
            "--until",
            "2025-06-01",
            "--rules",
            "nope",
        )


def test_the_rule_sets_and_their_rules_are_read_in_one_query(db, django_assert_num_queries):
    """F7 point 7: the case page's planning reads the rule data once; the same sets and rules
    as the rule sets with their rules prefetched, a set without rules included."""
    CadenceRuleSet.objects.create(
        key="empty", name="Tom", kind="model", source="test", valid_from=date(2040, 1, 1)
    )
    categories = ["*", *CadenceRule.objects.values_list("category", flat=True).distinct()]
    with django_assert_num_queries(1):
        rules = Rules.load()
        schedules = {(s.key, c): rules.schedule(s, c) for s in rules.rule_sets for c in categories}
    reference = Rules(list(CadenceRuleSet.objects.prefetch_related("rules")))
    assert [s.key for s in rules.rule_sets] == [s.key for s in reference.rule_sets]
    fields = [f.attname for f in CadenceRuleSet._meta.concrete_fields]
    assert [[getattr(s, f) for f in fields] for s in rules.rule_sets] == [
        [getattr(s, f) for f in fields] for s in reference.rule_sets
    ]
    assert schedules == {
        (s.key, c): reference.schedule(s, c) for s in reference.rule_sets for c in categories
    }
    assert schedules["empty", "*"] is None
    assert schedules["herning-2015", "institution"] is not None
