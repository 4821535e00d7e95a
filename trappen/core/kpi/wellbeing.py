"""How the children in care are doing, for the steering: SDQ coverage, before/after and the
difference-in-differences between groups of districts (docs/wellbeing.md, "For the steering").

Definitions, for a period and one informant (parent, teacher, self-report):

- **Children in care**: the children with a measure (an episode on any step) active some day
  of the period, each in the group of its district (or team, or the whole municipality); per
  informant only those of the age the informant's version is for some day of the period
  (parent and teacher 4-17, self-report 11-17: `core/data/sdq_versions.json`).
- A child's **first** measurement is its earliest SDQ by that informant whose total
  difficulties could be scored, dated on or before the period's end; its **later** one the
  latest such SDQ dated in the period and after the first. A child with both has a **pair**.
- **Coverage**: of the children in care, how many have a first measurement and how many a
  pair, and the share with a pair: the number KORA lacked (25 of about 400 children).
- **Before/after** per group: for the children with a pair, n, the mean total difficulties at
  the first and the later measurement, the mean change (later − first; below 0 is fewer
  difficulties), the paired t-test and the Wilcoxon signed-rank test (`inference.
  paired_tests`), the effect size d_z = mean change / standard deviation of the changes, and
  the missing: children in care without a pair.
- **Difference-in-differences** between a treated and a control group: the treated group's
  mean change minus the control group's, with Welch's 95 % interval and p-value (two groups
  of different children, unequal variances).

- **Goal attainment** per group and half-year (F9 point 5): of the goal ratings at the
  follow-ups held in the period (each SMART goal on −2 … +2, `core.goal_attainment`), the
  number of ratings and of goals rated, the mean rating and the share at or above the expected
  level (≥ 0); beside it the child's own rating (1-10) at the same follow-ups: n and mean. A
  child is in the group of its district (with `group_by="team"`: the team of its case on the
  day of the follow-up). A group and half-year with no rating at all has no row.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import stats  # type: ignore[import-untyped]  # no stubs shipped

from trappen.core import goal_attainment, sdq, sdq_record
from trappen.core.dataset import SDQ_IMPACT_NAMES, SDQ_ITEM_COLUMNS, Dataset
from trappen.core.goal_attainment import HalfYear, Rating, attainment_by_group
from trappen.core.kpi import inference
from trappen.core.kpi.frames import ALL, UNKNOWN, child_groups, team_asof
from trappen.core.kpi.inference import Estimate, PairedResult
from trappen.core.kpi.period import Period

INFORMANTS = tuple(i.value for i in sdq.Informant)


@dataclass(frozen=True)
class Coverage:
    group: str
    informant: str
    in_care: int
    measured: int  # with a first measurement
    paired: int  # with a first and a later one

    @property
    def share_paired(self) -> float | None:
        return self.paired / self.in_care if self.in_care else None


@dataclass(frozen=True)
class BeforeAfter:
    group: str
    informant: str
    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    sd_change: float | None
    effect_size: float | None  # d_z: mean change / sd of the changes
    t_test: Estimate
    wilcoxon: Estimate
    missing: int  # children in care without a pair


@dataclass(frozen=True)
class Did:
    informant: str
    treated: str
    control: str
    treated_n: int
    control_n: int
    estimate: Estimate  # treated mean change − control mean change


@dataclass(frozen=True)
class GoalAttainment:
    """One group's goal ratings and children's own ratings in one half-year."""

    group: str
    half_year: HalfYear
    ratings: int  # goal ratings
    goals: int  # goals rated (a goal's line through the plan's revisions counts once)
    children: int  # children with a goal rated
    mean: float | None  # mean goal rating, −2 … +2; None without a goal rating
    share_expected: float | None  # of the goal ratings, the share at or above 0
    child_n: int  # the child's own ratings (1-10)
    child_mean: float | None


@dataclass(frozen=True)
class SdqFigures:
    period: Period
    group_by: str
    coverage: tuple[Coverage, ...]
    before_after: tuple[BeforeAfter, ...]
    did: tuple[Did, ...] = ()
    goal_attainment: tuple[GoalAttainment, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """No child in care in the period: no SDQ table to show."""
        return all(c.in_care == 0 for c in self.coverage)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "group_by": self.group_by,
            "coverage": [{**asdict(c), "share_paired": c.share_paired} for c in self.coverage],
            "before_after": [asdict(b) for b in self.before_after],
            "did": [asdict(d) for d in self.did],
            "goal_attainment": [
                {**asdict(g), "half_year": str(g.half_year)} for g in self.goal_attainment
            ],
        }


def scored(ds: Dataset) -> pl.DataFrame:
    """`child_id`, `date`, `informant`, `total` (total difficulties; null when a subscale has
    fewer than 3 answers) of every SDQ of the dataset, in its order."""
    totals: list[int | None] = []
    frame = ds.sdq
    for row in frame.select("informant", *SDQ_ITEM_COLUMNS).iter_rows():
        response = sdq.Response.of(row[0], row[1:])
        totals.append(sdq.score(response).total_difficulties)
    return frame.select("child_id", "date", "informant").with_columns(
        pl.Series("total", totals, dtype=pl.Int64)
    )


def impact_of(row: Mapping[str, Any], informant: sdq.Informant) -> sdq.Impact | None:
    """The impact supplement of a row of the sdq table, None when none of it is answered."""
    if all(row.get(f"impact_{name}") is None for name in SDQ_IMPACT_NAMES):
        return None
    difficulties = row.get("impact_difficulties")
    items = tuple(row.get(f"impact_{name}") for name in sdq.IMPACT_ITEMS[informant])
    return sdq.Impact(items, None if difficulties is None else difficulties > 0)


def in_care(ds: Dataset, period: Period) -> pl.Series:
    """The children with an episode active some day of the period."""
    e = ds.episodes
    active = e.filter(
        (pl.col("start_date") <= period.end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") > period.start))
    )
    return active.get_column("child_id").unique(maintain_order=True)


def _groups(ds: Dataset, children: pl.Series, group_by: str, period: Period) -> dict[str, str]:
    if group_by == "team":
        # Typed, so that no child at all (an empty period) is still a date column.
        on = pl.Series("on", [period.end] * len(children), dtype=pl.Date)
        frame = pl.DataFrame({"child_id": children, "on": on})
        teams = team_asof(ds.cases, frame, "on", by="child_id")
        return dict(zip(children.to_list(), teams.fill_null(UNKNOWN).to_list(), strict=True))
    keyed = child_groups(ds, group_by)
    return dict(keyed.iter_rows())


def pairs(ds: Dataset, period: Period) -> dict[tuple[str, str], tuple[float, float] | None]:
    """(child, informant) → (first total, later total), or None for a first without a later;
    over the children's scored SDQs as the module describes."""
    frame = scored(ds).filter(pl.col("total").is_not_null() & (pl.col("date") <= period.end))
    out: dict[tuple[str, str], tuple[float, float] | None] = {}
    ordered = frame.with_row_index("i").sort(["child_id", "informant", "date", "i"])
    for (child, informant), rows in ordered.group_by(
        ["child_id", "informant"], maintain_order=True
    ):
        dates = rows.get_column("date").to_list()
        totals = rows.get_column("total").to_list()
        first_date, first = dates[0], totals[0]
        later = [
            (d, t)
            for d, t in zip(dates, totals, strict=True)
            if d > first_date and d >= period.start
        ]
        out[(str(child), str(informant))] = (float(first), float(later[-1][1])) if later else None
    return out


def _sd(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    return float(np.std(np.array(values), ddof=1))


def welch_difference(a: Sequence[float], b: Sequence[float]) -> Estimate:
    """mean(a) − mean(b) with Welch's 95 % interval and two-sided p-value."""
    name = "difference in mean change"
    if len(a) < 2 or len(b) < 2:
        return Estimate(
            name, "absolute", "welch_t", reason=f"fewer than 2 children in a group ({len(a)}, "
            f"{len(b)})",
        )  # fmt: skip
    x, y = np.array(a, dtype=float), np.array(b, dtype=float)
    diff = float(x.mean() - y.mean())
    va, vb = float(x.var(ddof=1)) / len(x), float(y.var(ddof=1)) / len(y)
    se = math.sqrt(va + vb)
    if se == 0:
        return Estimate(name, "absolute", "welch_t", value=diff, reason="no variance")
    df = (va + vb) ** 2 / (va**2 / (len(x) - 1) + vb**2 / (len(y) - 1))
    q = float(stats.t.ppf(0.5 + inference.LEVEL / 2, df))
    p = float(2 * stats.t.sf(abs(diff / se), df))
    return Estimate(
        name, "absolute", "welch_t", value=diff, low=diff - q * se, high=diff + q * se,
        p_value=min(1.0, max(0.0, p)),
    )  # fmt: skip


def before_after(
    group: str, informant: str, found: Sequence[tuple[float, float]], missing: int
) -> BeforeAfter:
    before = [x for x, _ in found]
    after = [y for _, y in found]
    result: PairedResult = inference.paired_tests(before, after)
    changes = [y - x for x, y in found]
    sd = _sd(changes)
    mean = result.mean_difference
    effect = mean / sd if mean is not None and sd else None
    return BeforeAfter(
        group=group,
        informant=informant,
        n=len(found),
        mean_before=float(np.mean(before)) if before else None,
        mean_after=float(np.mean(after)) if after else None,
        mean_change=mean,
        sd_change=sd,
        effect_size=effect,
        t_test=result.t_test,
        wilcoxon=result.wilcoxon,
        missing=missing,
    )


def evaluate(
    ds: Dataset,
    period: Period,
    *,
    group_by: str = "group",
    treated: str | None = None,
    control: str | None = None,
) -> SdqFigures:
    """Coverage and before/after per group and informant; the DiD when a treated and a control
    group are given."""
    children = in_care(ds, period)
    group_of = _groups(ds, children, group_by, period)
    found = pairs(ds, period)
    names = sorted(
        {group_of.get(c, UNKNOWN) for c in children.to_list()},
        key=lambda n: (n == UNKNOWN, n.casefold()),
    )
    if group_by == ALL:
        names = [ALL]
    coverage: list[Coverage] = []
    results: list[BeforeAfter] = []
    changes: dict[tuple[str, str], list[float]] = {}
    born = dict(ds.children.select("child_id", "birth_date").iter_rows())
    versions = sdq_record.default_versions()
    for informant in INFORMANTS:
        low, high = versions.range_of(sdq.Informant(informant))
        # Only the children the informant's version is for, some day of the period: an
        # under-four in care has no SDQ to miss.
        eligible = [
            c
            for c in children.to_list()
            if c in born
            and sdq_record.age_on(born[c], period.end) >= low
            and sdq_record.age_on(born[c], period.start) <= high
        ]
        for name in names:
            members = [c for c in eligible if group_of.get(c, UNKNOWN) == name]
            measured = [c for c in members if (c, informant) in found]
            paired = [p for c in measured if (p := found[(c, informant)]) is not None]
            coverage.append(Coverage(name, informant, len(members), len(measured), len(paired)))
            results.append(before_after(name, informant, paired, len(members) - len(paired)))
            changes[(name, informant)] = [y - x for x, y in paired]
    did: list[Did] = []
    if treated and control:
        for informant in INFORMANTS:
            a = changes.get((treated, informant), [])
            b = changes.get((control, informant), [])
            did.append(Did(informant, treated, control, len(a), len(b), welch_difference(a, b)))
    goals = goal_attainment_by_group(ds, period, group_by)
    return SdqFigures(
        period, group_by, tuple(coverage), tuple(results), tuple(did), goal_attainment=goals
    )


def _rating_groups(ds: Dataset, frame: pl.DataFrame, group_by: str) -> list[str]:
    """The group of each row of `frame` (`child_id`, `date`), in row order."""
    if frame.is_empty():
        return []
    if group_by == "team":
        return [str(g) for g in team_asof(ds.cases, frame, "date", by="child_id").to_list()]
    keyed = frame.select("child_id").join(
        child_groups(ds, group_by), on="child_id", how="left", maintain_order="left"
    )
    return [str(g) for g in keyed.get_column("group").fill_null(UNKNOWN).to_list()]


def goal_attainment_by_group(
    ds: Dataset, period: Period, group_by: str = "group"
) -> tuple[GoalAttainment, ...]:
    """Per group and half-year of the period, the goal ratings and the children's own ratings
    at the follow-ups held in it (sorted by group, "unknown" last, then half-year)."""
    expected = goal_attainment.scales().goal.expected

    def within(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end)))

    goals = within(ds.goal_ratings)
    number: dict[tuple[str, str], int] = {}  # the Ratings count goals and children by number

    def numbered(kind: str, key: str) -> int:
        return number.setdefault((kind, key), len(number))

    ratings = [
        Rating(group, day, int(value), numbered("goal", goal), numbered("child", child))
        for group, (child, goal, day, value) in zip(
            _rating_groups(ds, goals, group_by),
            goals.select("child_id", "goal", "date", "rating").iter_rows(),
            strict=True,
        )
    ]
    attained = {(r.group, r.half_year): r for r in attainment_by_group(ratings, expected)}
    children = within(ds.child_ratings)
    own: dict[tuple[str, HalfYear], list[int]] = {}
    for group, (day, value) in zip(
        _rating_groups(ds, children, group_by),
        children.select("date", "rating").iter_rows(),
        strict=True,
    ):
        own.setdefault((group, HalfYear.of(day)), []).append(int(value))
    keys = sorted(set(attained) | set(own), key=lambda k: (k[0] == UNKNOWN, k[0].casefold(), k[1]))
    rows = []
    for key in keys:
        a, values = attained.get(key), own.get(key, [])
        rows.append(
            GoalAttainment(
                group=key[0],
                half_year=key[1],
                ratings=a.ratings if a else 0,
                goals=a.goals if a else 0,
                children=a.children if a else 0,
                mean=a.mean if a else None,
                share_expected=a.share_expected if a else None,
                child_n=len(values),
                child_mean=sum(values) / len(values) if values else None,
            )
        )
    return tuple(rows)
