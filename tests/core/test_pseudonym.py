import re
from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.dataset import Dataset
from trappen.core.pseudonym import PATTERN, pseudonym, pseudonymise_dataset

secrets_ = st.binary(min_size=1, max_size=64)
kinds = st.sampled_from(["child", "case", "episode", "followup", "complaint", "caseworker"])
keys = st.text(max_size=80)


@given(secrets_, kinds, keys)
def test_deterministic_and_fixed_format(secret, kind, key):
    first = pseudonym(secret, kind, key)
    assert first == pseudonym(secret, kind, key)
    assert re.fullmatch(PATTERN, first)


@given(secrets_, kinds, st.lists(keys, min_size=2, max_size=200, unique=True))
def test_distinct_keys_give_distinct_pseudonyms(secret, kind, key_list):
    assert len({pseudonym(secret, kind, k) for k in key_list}) == len(key_list)


def test_no_collisions_in_a_large_sample():
    n = 200_000
    assert len({pseudonym(b"installation", "child", f"c{i}") for i in range(n)}) == n


@given(secrets_, secrets_, kinds, keys)
def test_another_secret_gives_another_pseudonym(a, b, kind, key):
    if a != b:
        assert pseudonym(a, kind, key) != pseudonym(b, kind, key)


@given(secrets_, keys)
def test_kinds_are_separate(secret, key):
    # A child and a case with the same id in the files must not be linkable by pseudonym.
    assert pseudonym(secret, "child", key) != pseudonym(secret, "case", key)
    assert pseudonym(secret, "ab", "c") != pseudonym(secret, "a", "bc")


def test_empty_secret_is_refused():
    with pytest.raises(ValueError, match="secret"):
        pseudonym(b"", "child", "c1")


def small() -> Dataset:
    return Dataset.from_frames(
        {
            "districts": pl.DataFrame({"district": ["N"], "group": ["Pilot"]}),
            "children": pl.DataFrame(
                {
                    "child_id": ["c1", "c2"],
                    "birth_date": [date(2010, 5, 17), date(2011, 1, 1)],
                    "sex": ["female", "male"],
                    "district": ["N", "N"],
                }
            ),
            "cases": pl.DataFrame(
                {
                    "case_id": ["k1", "k2"],
                    "child_id": ["c1", "c2"],
                    "team": ["T", "T"],
                    "opened": [date(2015, 1, 1)] * 2,
                    "caseworker": ["anna", None],
                }
            ),
            "episodes": pl.DataFrame(
                {
                    "episode_id": ["e1"],
                    "child_id": ["c1"],
                    "step": [4],
                    "intervention": ["Plejefamilie"],
                    "start_date": [date(2015, 2, 1)],
                    "daily_cost": [1000.0],
                }
            ),
            "followups": pl.DataFrame(
                {
                    "followup_id": ["f1"],
                    "child_id": ["c1"],
                    "episode_id": ["e1"],
                    "date": [date(2015, 3, 1)],
                    "child_conversation": [True],
                }
            ),
            "complaints": pl.DataFrame(
                {
                    "complaint_id": ["q1"],
                    "child_id": ["c2"],
                    "team": ["T"],
                    "date": [date(2015, 4, 1)],
                }
            ),
        }
    )


def test_dataset_references_stay_consistent():
    ds = small()
    out = pseudonymise_dataset(ds, b"s")
    child = {c: pseudonym(b"s", "child", c) for c in ("c1", "c2")}
    assert out.children["child_id"].to_list() == [child["c1"], child["c2"]]
    assert out.cases["child_id"].to_list() == [child["c1"], child["c2"]]
    assert out.episodes["child_id"].to_list() == [child["c1"]]
    assert out.followups["child_id"].to_list() == [child["c1"]]
    assert out.complaints["child_id"].to_list() == [child["c2"]]
    assert out.followups["episode_id"].to_list() == out.episodes["episode_id"].to_list()
    assert out.cases["caseworker"].to_list() == [pseudonym(b"s", "caseworker", "anna"), None]
    for frame, name in [
        (out.cases, "case_id"),
        (out.episodes, "episode_id"),
        (out.followups, "followup_id"),
        (out.complaints, "complaint_id"),
    ]:
        assert all(re.fullmatch(PATTERN, v) for v in frame[name].to_list())


def test_dataset_birth_dates_are_coarsened_and_the_rest_kept():
    ds = small()
    out = pseudonymise_dataset(ds, b"s")
    assert out.children["birth_date"].to_list() == [date(2010, 5, 1), date(2011, 1, 1)]
    assert out.districts.equals(ds.districts)
    for table, kept in [
        ("cases", ["team", "opened", "closed"]),
        ("episodes", ["step", "intervention", "start_date", "end_date", "daily_cost"]),
        ("children", ["sex", "district"]),
    ]:
        assert getattr(out, table).select(kept).equals(getattr(ds, table).select(kept))
