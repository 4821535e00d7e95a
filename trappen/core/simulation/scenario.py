"""Scenarios: what changes against the baseline (today's rates), and what it costs.

A scenario is a small TOML file (see `scenarios/herning-model.toml`, documented line by line,
and docs/simulation.md). Every key is known, every change is a fraction from 0 to 1; anything
else is refused with a message that names the key:

    name = "…"                      # required
    source = "…"                    # required: where the effects and prices come from
    assumptions = ["…", …]          # required: what is taken for granted
    apply_to = ["Øvrige"]           # district groups the scenario changes (default: all)
    rates_from = "Pilot"            # use this group's estimated rates (the pilot districts')

    [changes]                       # each a fraction 0-1, applied in this order
    fewer_institution_entries = 0.5 # of the moves into an institution (step 5): to foster care
    more_kinship_placements = 0.25  # of the moves into foster care (step 4): to kinship (3)
    faster_steps_down = 0.25        # the time until a step down is this much shorter
    shorter_institution_stay = 0.5  # the time in an institution is this much shorter

    [investment]                    # kr a year, fixed prices
    caseload_target = 25            # open cases per caseworker the scenario staffs for
    current_caseload = 39           # today's (default: measured on the window's last day)
    caseworker_cost = 400000
    team_leaders = 1
    team_leader_cost = 400000
    ppr_and_health_visitors_cost = 750000

The changes act on a (7 × 9) block of monthly transition probabilities (rows: under
clarification and steps 0-5; columns: those, closed, aged out) and keep every row a
probability distribution (non-negative, summing to 1): mass is moved, never made.
"""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trappen.core.simulation.chain import active

Floats = NDArray[np.floating[Any]]  # float64, or the float32 draws of the Monte Carlo

CHANGES: tuple[str, ...] = (
    "fewer_institution_entries",
    "more_kinship_placements",
    "faster_steps_down",
    "shorter_institution_stay",
)
INVESTMENT_KEYS: tuple[str, ...] = (
    "caseload_target",
    "current_caseload",
    "caseworker_cost",
    "team_leaders",
    "team_leader_cost",
    "ppr_and_health_visitors_cost",
)
TOP_KEYS: tuple[str, ...] = (
    "name",
    "source",
    "assumptions",
    "apply_to",
    "rates_from",
    "changes",
    "investment",
)


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Investment:
    caseload_target: float | None = None  # None: today's caseload, no caseworkers added
    current_caseload: float | None = None  # None: measured from the data
    caseworker_cost: float = 0.0
    team_leaders: float = 0.0
    team_leader_cost: float = 0.0
    ppr_and_health_visitors_cost: float = 0.0

    @property
    def fixed_cost(self) -> float:
        """The extra staff the scenario adds whatever the caseload: kr a year."""
        return self.team_leaders * self.team_leader_cost + self.ppr_and_health_visitors_cost


@dataclass(frozen=True)
class Scenario:
    name: str
    source: str
    assumptions: tuple[str, ...]
    apply_to: tuple[str, ...] | None = None  # None: every group
    rates_from: str | None = None
    changes: Mapping[str, float] = field(default_factory=dict)
    investment: Investment = field(default_factory=Investment)

    def is_baseline(self) -> bool:
        """Changes nothing: no other group's rates, no change, no staff."""
        return (
            self.rates_from is None
            and not any(self.changes.values())
            and self.investment.caseload_target is None
            and self.investment.fixed_cost == 0
        )


BASELINE = Scenario(name="Baseline", source="the municipality's own rates", assumptions=())


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"scenario: {key} must be a number, not {value!r}")
    if not np.isfinite(value):
        raise ScenarioError(f"scenario: {key} must be a finite number, not {value!r}")
    return float(value)


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"scenario: {key} must be a non-empty text")
    return value.strip()


def _unknown(table: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in known:
            raise ScenarioError(
                f"scenario: unknown key '{prefix}{key}'; the known keys are "
                + ", ".join(f"{prefix}{k}" for k in known)
            )


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"scenario: {key} must be a table ([{key}])")
    return value


def parse_scenario(text: str) -> Scenario:
    """A scenario from TOML text; ScenarioError (naming the key) for anything not allowed."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario: not valid TOML: {exc}") from None
    return scenario_from_dict(raw)


def scenario_from_dict(raw: Mapping[str, Any]) -> Scenario:
    _unknown(raw, TOP_KEYS, "")
    for key in ("name", "source", "assumptions"):
        if key not in raw:
            raise ScenarioError(
                f"scenario: '{key}' is missing; a scenario says what it is (name), where its "
                "effects and prices come from (source) and what it takes for granted "
                "(assumptions)"
            )
    assumptions_raw = raw["assumptions"]
    if isinstance(assumptions_raw, str):
        assumptions_raw = [assumptions_raw]
    if not isinstance(assumptions_raw, list) or not assumptions_raw:
        raise ScenarioError("scenario: assumptions must be a text or a list of texts")
    assumptions = tuple(_text(a, f"assumptions[{i}]") for i, a in enumerate(assumptions_raw))
    apply_to = None
    if "apply_to" in raw:
        groups = raw["apply_to"]
        if not isinstance(groups, list) or not groups:
            raise ScenarioError("scenario: apply_to must be a list of district groups")
        apply_to = tuple(_text(g, f"apply_to[{i}]") for i, g in enumerate(groups))
    rates_from = _text(raw["rates_from"], "rates_from") if "rates_from" in raw else None

    changes: dict[str, float] = {}
    table = _table(raw.get("changes", {}), "changes")
    _unknown(table, CHANGES, "changes.")
    for key, value in table.items():
        number = _number(value, f"changes.{key}")
        if not 0.0 <= number <= 1.0:
            raise ScenarioError(
                f"scenario: changes.{key} = {value} is outside 0-1 (a share: 0.25 is 25 %)"
            )
        changes[key] = number

    invest = _table(raw.get("investment", {}), "investment")
    _unknown(invest, INVESTMENT_KEYS, "investment.")
    values: dict[str, float] = {}
    for key, value in invest.items():
        number = _number(value, f"investment.{key}")
        if key in ("caseload_target", "current_caseload") and not number > 0:
            raise ScenarioError(f"scenario: investment.{key} must be > 0, not {value}")
        if number < 0:
            raise ScenarioError(f"scenario: investment.{key} must be >= 0, not {value}")
        values[key] = number
    return Scenario(
        name=_text(raw["name"], "name"),
        source=_text(raw["source"], "source"),
        assumptions=assumptions,
        apply_to=apply_to,
        rates_from=rates_from,
        changes=changes,
        investment=Investment(**values),
    )


# The changes on probability blocks. `p`: (..., 7, 9) rows of the active states; entry
# shares: (..., 7), where entering children come in (as a row with only active columns).

_INSTITUTION, _FOSTER, _KINSHIP = active(5), active(4), active(3)


def _divert(out: Floats, source: int, target: int, share: float, skip_row: int) -> None:
    """Move `share` of every row's probability of column `source` to column `target`, in
    every row but `skip_row` (staying on a step is not an entry). In place."""
    moved = out[..., source] * share
    moved[..., skip_row] = 0.0
    out[..., source] -= moved
    out[..., target] += moved


def _faster_down(out: Floats, share: float) -> None:
    """From steps 1-5: the monthly chance of stepping down (to any lower step) divided by
    (1 − share), taken from the chance of staying; at most all of staying. In place."""
    for step in range(1, 6):
        row = active(step)
        lower = slice(active(0), row)
        down = out[..., row, lower]
        total = down.sum(axis=-1)
        stay = out[..., row, row]
        wanted = total / (1.0 - share) - total if share < 1.0 else np.full_like(total, np.inf)
        extra = np.minimum(np.where(total > 0, wanted, 0.0), stay)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(total > 0, (total + extra) / np.where(total > 0, total, 1.0), 1.0)
        out[..., row, lower] = down * scale[..., None]
        out[..., row, row] = stay - extra


def _shorter_stay(out: Floats, share: float) -> None:
    """In an institution: the mean stay 1 / (1 − stay) becomes (1 − share) times as long,
    so stay' = 1 − (1 − stay) / (1 − share) (≥ 0); what leaves, leaves as now (to foster
    care when nobody was seen leaving). In place."""
    row = _INSTITUTION
    stay = out[..., row, row]
    leave = 1.0 - stay
    new_stay = np.maximum(0.0, 1.0 - leave / (1.0 - share)) if share < 1.0 else 0.0 * stay
    freed = stay - new_stay
    others = out[..., row, :].copy()
    others[..., row] = 0.0
    total = others.sum(axis=-1)
    fallback = np.zeros(others.shape[-1], dtype=out.dtype)
    fallback[_FOSTER] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(
            total[..., None] > 0, others / np.where(total > 0, total, 1.0)[..., None], fallback
        )
    out[..., row, :] = others + freed[..., None] * shares
    out[..., row, row] = new_stay


def apply_changes(p: Floats, changes: Mapping[str, float]) -> Floats:
    """The transition rows `p` (..., 7, 9) with the scenario's changes, in CHANGES' order
    (a new array; `p` is left as it is)."""
    out = p.copy()
    if share := changes.get("fewer_institution_entries", 0.0):
        _divert(out, _INSTITUTION, _FOSTER, share, skip_row=_INSTITUTION)
    if share := changes.get("more_kinship_placements", 0.0):
        _divert(out, _FOSTER, _KINSHIP, share, skip_row=_FOSTER)
    if share := changes.get("faster_steps_down", 0.0):
        _faster_down(out, share)
    if share := changes.get("shorter_institution_stay", 0.0):
        _shorter_stay(out, share)
    return out


def apply_entry_changes(shares: Floats, changes: Mapping[str, float]) -> Floats:
    """Where entering children come in (..., 7), with the diverting changes."""
    out = shares.copy()
    for key, source, target in (
        ("fewer_institution_entries", _INSTITUTION, _FOSTER),
        ("more_kinship_placements", _FOSTER, _KINSHIP),
    ):
        if share := changes.get(key, 0.0):
            moved = out[..., source] * share
            out[..., source] -= moved
            out[..., target] += moved
    return out
