"""Pass 1's plans: every case as dates only, then the teams' staff; the demo's result."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from trappen.cases.models import (
    Case,
    Child,
)
from trappen.organisation.models import (
    District,
    Team,
    User,
)

# --- Plans (pass 1) -----------------------------------------------------------------------------


@dataclass
class EpisodePlan:
    step: int
    start: date
    end: date | None = None
    reason: str = ""


@dataclass
class CasePlan:
    child: Child
    pilot: bool
    kind: str
    opened: date
    closed: date | None = None
    reason: str = ""
    inv_start: date | None = None
    inv_deadline: date | None = None
    inv_done: date | None = None
    episodes: list[EpisodePlan] = field(default_factory=list)
    team: Team | None = None
    # Transfer from another team: (from district, requested on, completed on).
    transfer: tuple[District, date, date] | None = None
    reassigned_on: date | None = None
    caseworker: User | None = None
    first_caseworker: User | None = None

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def status(self) -> str:
        if self.closed:
            return Case.Status.CLOSED
        if self.episodes:
            return Case.Status.MEASURES
        if self.inv_start:
            return Case.Status.INVESTIGATION
        return Case.Status.CLARIFICATION


@dataclass
class TeamStaff:
    team: Team
    pilot: bool
    leader: User
    psychologist: User
    health_visitor: User
    caseworkers: list[User] = field(default_factory=list)


@dataclass
class Login:
    username: str
    role: str
    note: str


@dataclass
class DemoResult:
    logins: list[Login]
    caseworker: User
    team_leader: User
    counts: dict[str, int]
    seconds: float


def days(n: int) -> timedelta:
    return timedelta(days=n)


def ascii_slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
