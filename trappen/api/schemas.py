"""What the API answers, as typed schemas (the OpenAPI document is generated from them)."""

from datetime import date

from ninja import Field, Schema


class Error(Schema):
    detail: str


class ValidationError(Schema):
    detail: list[dict[str, object]]


# Every call can be over its token's limit a minute (api/throttle.py): 429 with Retry-After.
RATE_LIMITED: dict[int, type[Schema]] = {429: Error}


class ChildOut(Schema):
    id: int
    external_id: str = Field(description="The id in the file the child was imported from.")
    cpr: str | None = Field(
        description="In full with the scope read:cpr, else masked (010203-xxxx); null when "
        "the child has none (imported children)."
    )
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    district: str


class CaseOut(Schema):
    id: int
    external_id: str
    child: int
    team: str
    caseworker: str = Field(description="The caseworker's user name.")
    status: str
    opened_on: date
    closed_on: date | None
    closure_reason: str


class EpisodeOut(Schema):
    id: int
    external_id: str
    child: int
    case: int
    intervention: str
    step: int
    placement_type: str
    start_on: date
    end_on: date | None
    end_reason: str
    daily_cost: str = Field(description="Kroner per day, with a point as decimal mark.")


class FollowUpOut(Schema):
    id: int
    external_id: str
    child: int
    case: int
    episode: int
    held_on: date
    form: str
    child_conversation: bool
    plan_review: str
    next_agreed_on: date | None


class ChildPage(Schema):
    count: int
    items: list[ChildOut]


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class EpisodePage(Schema):
    count: int
    items: list[EpisodeOut]


class FollowUpPage(Schema):
    count: int
    items: list[FollowUpOut]


class CprLookup(Schema):
    cpr: str = Field(description="Ten digits, with or without the dash.", max_length=20)


# --- Steering ---------------------------------------------------------------------------------


class Period(Schema):
    start: date = Field(description="The first day of the period.")
    end: date = Field(description="The last day of the period (included).")
    days: int


class GroupFigures(Schema):
    name: str
    placed_aarsboern: float | None = Field(
        description="Årsbørn placed outside the home: placement days / days of the period."
    )
    placed_children: int
    spending: float | None = Field(description="Kroner spent on placements in the period.")
    unit_cost: float | None = Field(description="Spending per placed årsbarn.")
    aarsboern_by_category: dict[str, float | None]
    spending_by_category: dict[str, float | None]
    breakdowns: int
    complaints: int


class Figures(Schema):
    period: Period
    group_by: str
    groups: list[GroupFigures]
    total: GroupFigures


# --- Interchange ------------------------------------------------------------------------------


class Tables(Schema):
    """The CSV files of docs/interchange.md, each as its text (`sdq`: docs/wellbeing.md)."""

    model_config = {"extra": "forbid"}

    districts: str | None = None
    children: str | None = None
    cases: str | None = None
    episodes: str | None = None
    followups: str | None = None
    complaints: str | None = None
    sdq: str | None = None


class ImportIn(Schema):
    model_config = {"extra": "forbid"}

    tables: Tables
    dry_run: bool = Field(False, description="Check everything, store nothing.")
    confirm_costs: bool = Field(
        False, description="Import daily costs outside their plausible range as they are."
    )


class Problem(Schema):
    file: str
    row: int | None
    column: str | None
    message: str
    confirmable: bool


class ImportOut(Schema):
    imported: bool
    dry_run: bool
    rows: dict[str, int]
    report: list[str] = Field(description="The lines `trappen import` prints.")


class ImportRefused(Schema):
    imported: bool = False
    count: int = Field(description="How many problems, those left off the list included.")
    problems: list[Problem]
    report: list[str] = Field(description="The lines `trappen import` prints.")
