"""The staffing calculator (F13 point 6): the caseworker and the PPR psychologist and
health-visitor hours a district team needs, from its open cases, the caseload target and the
model's follow-up and meeting rhythm. Pure, typed, no Django; the rhythm is data
(`core/data/staffing.json`, read by `rhythm_from_data`).

For one team, a year:

- **caseworkers by caseload** = open cases / caseload target;
- **follow-up hours** = Σ over the active measures of (follow-ups a year for the measure's
  rhythm × hours per follow-up);
- **meeting hours** per person = internal meetings a year × their hours, plus the
  resource-centre meetings of the team's school districts that person's profession attends;
- **caseworkers by the rhythm** = (follow-up hours + the caseworkers' meeting hours) / the
  hours a caseworker has for it a year; the caseworkers **needed** is the larger of the two;
- **PPR and health-visitor hours** = meeting hours per profession + hours per open case.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class StaffingError(ValueError):
    """A rhythm file or an input that cannot be right."""


@dataclass(frozen=True)
class Rhythm:
    followups_per_year: Mapping[str, float]  # the measure's cadence category → follow-ups
    hours_per_followup: float
    caseworker_hours_per_year: float  # hours a caseworker has for follow-ups and meetings
    team_meetings_per_year: float
    team_meeting_hours: float
    resource_meetings_per_year: float  # per school district
    resource_meeting_hours: float
    resource_meeting_attendance: Mapping[str, float]  # profession → people at each meeting
    hours_per_open_case: Mapping[str, float]  # psychologist / health_visitor → hours a year
    weeks_per_year: float

    def __post_init__(self) -> None:
        numbers = [
            self.hours_per_followup, self.caseworker_hours_per_year, self.team_meetings_per_year,
            self.team_meeting_hours, self.resource_meetings_per_year,
            self.resource_meeting_hours, self.weeks_per_year,
            *self.followups_per_year.values(), *self.resource_meeting_attendance.values(),
            *self.hours_per_open_case.values(),
        ]  # fmt: skip
        if any(n < 0 for n in numbers):
            raise StaffingError("a rhythm's numbers are never negative")
        if self.caseworker_hours_per_year <= 0 or self.weeks_per_year <= 0:
            raise StaffingError("a caseworker's hours and weeks a year must be above 0")


PROFESSIONS = ("psychologist", "health_visitor")


def rhythm_from_data(data: Mapping[str, Any]) -> Rhythm:
    r = data["rhythm"]
    try:
        return Rhythm(
            followups_per_year={k: float(v["per_year"]) for k, v in r["followups"].items()},
            hours_per_followup=float(r["hours_per_followup"]["value"]),
            caseworker_hours_per_year=float(r["caseworker_hours_per_year"]["value"]),
            team_meetings_per_year=float(r["team_meetings"]["per_year"]),
            team_meeting_hours=float(r["team_meetings"]["hours"]),
            resource_meetings_per_year=float(r["resource_meetings"]["per_year"]),
            resource_meeting_hours=float(r["resource_meetings"]["hours"]),
            resource_meeting_attendance={
                k: float(v) for k, v in r["resource_meetings"]["attendance"].items()
            },
            hours_per_open_case={k: float(r["hours_per_open_case"][k]) for k in PROFESSIONS},
            weeks_per_year=float(r["weeks_per_year"]["value"]),
        )
    except (KeyError, TypeError) as exc:
        raise StaffingError(f"the rhythm file lacks {exc}") from exc


@dataclass(frozen=True)
class TeamNeed:
    team: str
    open_cases: int
    measures: Mapping[str, int]  # cadence category → active measures
    districts: int
    caseworkers_now: int
    by_caseload: float
    followup_hours: float
    caseworker_meeting_hours: float  # per caseworker
    by_rhythm: float
    hours: Mapping[str, float]  # psychologist / health_visitor → hours a year
    weeks_per_year: float

    @property
    def caseworkers(self) -> float:
        """The caseworkers needed: the larger of the caseload's and the rhythm's."""
        return max(self.by_caseload, self.by_rhythm)

    @property
    def missing(self) -> float:
        return self.caseworkers - self.caseworkers_now

    def per_week(self, profession: str) -> float:
        return self.hours[profession] / self.weeks_per_year


def need(
    team: str,
    *,
    open_cases: int,
    measures: Mapping[str, int],
    districts: int,
    caseworkers_now: int,
    caseload_target: float,
    rhythm: Rhythm,
) -> TeamNeed:
    if caseload_target <= 0:
        raise StaffingError("the caseload target must be above 0")
    if open_cases < 0 or districts < 0 or any(n < 0 for n in measures.values()):
        raise StaffingError("counts are never negative")
    by_caseload = open_cases / caseload_target
    followups = sum(
        n * rhythm.followups_per_year.get(category, 0.0) for category, n in measures.items()
    )
    followup_hours = followups * rhythm.hours_per_followup
    resource = districts * rhythm.resource_meetings_per_year * rhythm.resource_meeting_hours

    def meeting_hours(profession: str) -> float:
        team_meetings = rhythm.team_meetings_per_year * rhythm.team_meeting_hours
        return team_meetings + resource * rhythm.resource_meeting_attendance.get(profession, 0.0)

    # Each caseworker sits in the internal meetings; the resource-centre meetings are shared.
    per_caseworker = rhythm.team_meetings_per_year * rhythm.team_meeting_hours
    shared = resource * rhythm.resource_meeting_attendance.get("caseworker", 0.0)
    # Solve c × hours = follow-ups + shared + c × per_caseworker for c.
    room = rhythm.caseworker_hours_per_year - per_caseworker
    if room <= 0:
        raise StaffingError("the internal meetings take all of a caseworker's hours")
    by_rhythm = (followup_hours + shared) / room
    hours = {
        p: meeting_hours(p) + open_cases * rhythm.hours_per_open_case.get(p, 0.0)
        for p in PROFESSIONS
    }
    return TeamNeed(
        team=team,
        open_cases=open_cases,
        measures=dict(measures),
        districts=districts,
        caseworkers_now=caseworkers_now,
        by_caseload=by_caseload,
        followup_hours=followup_hours,
        caseworker_meeting_hours=per_caseworker,
        by_rhythm=by_rhythm,
        hours=hours,
        weeks_per_year=rhythm.weeks_per_year,
    )
