"""The quality rules the seeds ask for (F8 point 8), pure: what a complaint must hold, when an
assignment is a change of caseworker, and the team's average caseload against its target.

The data (which outcome fits which kind of complaint, the target of 25) are in
trappen/core/data/quality.json with their sources; this module only applies them.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
W = TypeVar("W", bound=Hashable)

DECISION = "decision"


def complaint_problems(
    *,
    kind: str,
    decision: str,
    received_on: date,
    outcome: str,
    outcome_on: date | None,
    today: date,
    outcomes: Mapping[str, Sequence[str]],
    ruling: str = "",
    ruling_on: date | None = None,
    rulings: Sequence[str] = (),
    ruling_for_outcome: str = "sent_to_ankestyrelsen",
) -> list[str]:
    """What is wrong with a complaint, as codes (empty: nothing).

    - "unknown_kind": `kind` is not a kind of `outcomes`;
    - "decision_missing": a complaint about a decision names no decision;
    - "received_in_future": received after today;
    - "outcome_not_for_kind": the outcome is not one a complaint of this kind can have (only a
      complaint about a decision is sent on to Ankestyrelsen; it is never simply "not upheld");
    - "outcome_date_missing" / "outcome_date_without_outcome": an outcome and its date go
      together;
    - "outcome_before_received", "outcome_in_future": the outcome's date is between the day
      the complaint was received and today;
    - "ruling_unknown": the ruling is not one of Ankestyrelsen's (`rulings`);
    - "ruling_without_sending": Ankestyrelsen rules only on a complaint the municipality sent
      on to it (outcome `ruling_for_outcome`);
    - "ruling_date_missing" / "ruling_date_without_ruling": a ruling and its date go together;
    - "ruling_before_outcome", "ruling_in_future": the ruling comes after the complaint was
      sent on, and not after today.
    """
    problems: list[str] = []
    if kind not in outcomes:
        return ["unknown_kind"]
    if kind == DECISION and not decision.strip():
        problems.append("decision_missing")
    if received_on > today:
        problems.append("received_in_future")
    if outcome and outcome not in outcomes[kind]:
        problems.append("outcome_not_for_kind")
    if outcome and outcome_on is None:
        problems.append("outcome_date_missing")
    if not outcome and outcome_on is not None:
        problems.append("outcome_date_without_outcome")
    if outcome_on is not None:
        if outcome_on < received_on:
            problems.append("outcome_before_received")
        if outcome_on > today:
            problems.append("outcome_in_future")
    if ruling and ruling not in rulings:
        problems.append("ruling_unknown")
    if ruling and outcome != ruling_for_outcome:
        problems.append("ruling_without_sending")
    if ruling and ruling_on is None:
        problems.append("ruling_date_missing")
    if not ruling and ruling_on is not None:
        problems.append("ruling_date_without_ruling")
    if ruling_on is not None:
        if outcome_on is not None and ruling_on < outcome_on:
            problems.append("ruling_before_outcome")
        if ruling_on > today:
            problems.append("ruling_in_future")
    return problems


def changes_of_caseworker(history: Iterable[tuple[K, W]]) -> list[int]:
    """The positions in `history` (one case's assignments, oldest first: (id, caseworker))
    that change the caseworker: the first assignment is none, nor one to the caseworker who
    already has the case."""
    out: list[int] = []
    previous: W | None = None
    for i, (_key, worker) in enumerate(history):
        if i > 0 and worker != previous:
            out.append(i)
        previous = worker
    return out


@dataclass(frozen=True)
class TeamCaseload:
    caseworkers: int
    open_cases: int
    average: float | None  # None: the team has no caseworkers
    target: int
    over_target: bool


def team_caseload(loads: Sequence[int], target: int) -> TeamCaseload:
    """The team's average caseload (open cases per caseworker) against the target: the seed's
    "i gennemsnit maksimalt 25 sager" is about the average, not each person."""
    total = sum(loads)
    average = round(total / len(loads), 1) if loads else None
    return TeamCaseload(
        caseworkers=len(loads),
        open_cases=total,
        average=average,
        target=target,
        over_target=bool(loads) and total > target * len(loads),
    )
