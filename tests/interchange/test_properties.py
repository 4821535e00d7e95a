"""Laws of core.interchange: any input fails only with InterchangeError; valid data round-trips."""

import csv
import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.core.dataset import SCHEMA, Dataset, EndReason, polars_schema
from trappen.core.interchange import (
    PLACEMENT_STEP,
    InterchangeError,
    equal,
    read_dataset,
    write_dataset,
)

from .conftest import EXAMPLE, write_folder

TABLES = list(SCHEMA)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_fail(files: dict[str, str | bytes | None]) -> None:
    with tempfile.TemporaryDirectory(prefix="interchange-") as tmp:
        try:
            read_dataset(write_folder(Path(tmp), files))
        except InterchangeError as error:
            assert error.problems  # a failure always says why
            for problem in error.problems:
                assert problem.file and problem.message


@FAST
@given(table=st.sampled_from(TABLES), data=st.binary(max_size=300))
def test_any_bytes_as_a_file_fail_only_with_interchange_error(table, data):
    read_or_fail({**EXAMPLE, table: data})


@FAST
@given(table=st.sampled_from(TABLES), text=st.text(max_size=300))
def test_any_text_as_a_file_fails_only_with_interchange_error(table, text):
    read_or_fail({**EXAMPLE, table: text.encode("utf-8", "surrogatepass")})


@FAST
@given(
    table=st.sampled_from(TABLES),
    row=st.integers(min_value=0, max_value=3),
    column=st.integers(min_value=0, max_value=8),
    text=st.text(max_size=60),
)
def test_any_text_in_any_cell_fails_only_with_interchange_error(table, row, column, text):
    rows = list(csv.reader(io.StringIO(EXAMPLE[table])))
    r = rows[min(row, len(rows) - 1)]
    r[min(column, len(r) - 1)] = text
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    read_or_fail({**EXAMPLE, table: out.getvalue().encode("utf-8", "surrogatepass")})


# --- Valid datasets --------------------------------------------------------------------------

# Text a cell keeps as it is: no surrogates, no NUL, nothing to strip at either end.
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip())
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))
KINDS = [(step, None) for step in range(6)] + [(s, k) for k, s in PLACEMENT_STEP.items()]


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    def ids(n: int) -> list[str]:
        return draw(st.lists(cell_text, min_size=n, max_size=n, unique=True))

    def maybe(strategy: st.SearchStrategy[object]) -> object:
        return draw(st.none() | strategy)

    names = ids(draw(st.integers(1, 3)))
    districts = [(n, draw(cell_text), maybe(cell_text)) for n in names]
    child_ids = ids(draw(st.integers(1, 4)))
    children = [
        (c, draw(days), draw(st.sampled_from(["female", "male"])), draw(st.sampled_from(names)))
        for c in child_ids
    ]
    cases = []
    for case_id in ids(draw(st.integers(0, 4))):
        opened = draw(days)
        closed = maybe(st.integers(0, 900).map(lambda n, o=opened: o + timedelta(days=n)))
        cases.append(
            (case_id, draw(st.sampled_from(child_ids)), draw(cell_text), opened, closed,
             maybe(cell_text))
        )  # fmt: skip
    episodes = []
    for episode_id in ids(draw(st.integers(0, 4))):
        step, kind = draw(st.sampled_from(KINDS))
        start = draw(days)
        end = maybe(st.integers(0, 900).map(lambda n, s=start: s + timedelta(days=n)))
        reason = draw(st.none() | st.sampled_from(list(EndReason))) if end else None
        cost = draw(st.floats(min_value=0, max_value=1e7, allow_nan=False))
        episodes.append(
            (episode_id, draw(st.sampled_from(child_ids)), step, kind, draw(cell_text), start,
             end, reason and str(reason), cost)
        )  # fmt: skip
    followups = []
    if episodes:
        for followup_id in ids(draw(st.integers(0, 4))):
            episode = draw(st.sampled_from(episodes))
            day = episode[5] + timedelta(days=draw(st.integers(0, 400)))
            followups.append((followup_id, episode[1], episode[0], day, draw(st.booleans())))
    complaints = [
        (k, draw(st.sampled_from(child_ids)), draw(cell_text), draw(days))
        for k in ids(draw(st.integers(0, 3)))
    ]
    rows = {
        "districts": districts,
        "children": children,
        "cases": cases,
        "episodes": episodes,
        "followups": followups,
        "complaints": complaints,
    }
    return Dataset(
        **{t: pl.DataFrame(r, schema=polars_schema(t), orient="row") for t, r in rows.items()}
    )


@FAST
@given(ds=datasets())
def test_a_valid_dataset_round_trips(ds):
    with tempfile.TemporaryDirectory(prefix="interchange-") as tmp:
        folder = Path(tmp)
        write_dataset(ds, folder)
        back = read_dataset(folder)
        assert equal(back, ds)
        write_dataset(back, folder / "again")
        for table in SCHEMA:
            name = f"{table}.csv"
            assert (folder / name).read_bytes() == (folder / "again" / name).read_bytes()
