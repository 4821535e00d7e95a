"""Demo Kommune's case-level history 2012-2016, calibrated to KORA's evaluation of the pilot.

The result is an interchange `Dataset` (children, cases, episodes, follow-ups, complaints), so
the demo loads it through the same importer a municipality uses, and evaluating it for the
report's periods reproduces tables 2.1-2.3, 2.5, 2.6, 3.1, 3.2 and 4.1 of KORA 2017:

1. `stocks.plan` finds whole-day totals per placement type and window, and the spending per
   category and year, that round to the published figures.
2. Each type's daily stock becomes episodes: a child starts when the stock rises and a random
   placed child leaves when it falls. Home-based support and prevention are laid out the same
   way from levels read off figure 2.1.
3. Episodes are joined into children: an episode that starts shortly after another one ended
   on another step continues that child (a movement on the staircase), more often downwards in
   the pilot districts.
4. Each child gets one case; short clarification cases are added until the average number of
   open cases per team and year gives table 3.2's complaint shares; complaints, breakdowns,
   costs and follow-ups are then drawn to the published counts and sums.

Everything is drawn from one `random.Random(seed)`; nothing here reads the database.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from trappen.core.dataset import Dataset
from trappen.demo.kora import stocks, targets
from trappen.demo.kora.targets import CATEGORY_OF, GROUPS, PILOT_START, TEAMS, TYPES

DAY = timedelta(days=1)
# Interventions of the demo catalogue (trappen/core/data/interventions.json) per kind.
INTERVENTIONS = {
    "residential_institution": ["Døgninstitution", "Botilbud – Mejeriet"],
    "socio_pedagogical": ["Socialpædagogisk opholdssted"],
    "secure_institution": ["Sikret institution"],
    "foster_ordinary": ["Almindelig plejefamilie"],
    "foster_network": ["Anbringelse i slægt eller netværk"],
    "foster_special": ["Forstærket familiepleje – Nordlys", "TFCO – Treatment Foster Care, Oregon"],
    "home_based": ["Anbringelse på eget værelse", "Bomiljøet"],
    "support": [
        "Støttekontaktperson",
        "Familiebehandling, Familiecentret",
        "Psykologbehandling/udredning",
        "Spæd- og småbørnsteam",
    ],
    "prevention": [
        "Sundhedsplejens behovsbesøg",
        "Forebyggelsespsykolog (PPR)",
        "Skilsmissegruppe",
    ],
}
STEP = {
    **{t: int(s) for t, s in zip(TYPES, "5554342", strict=True)},
    "support": 2,
    "prevention": 1,
}
# Daily cost (kr., 2013 prices) before the accounts scale them: a realistic mix per kind.
BASE_COST = {
    "residential_institution": 2600, "socio_pedagogical": 2300, "secure_institution": 5200,
    "foster_ordinary": 1000, "foster_network": 450, "foster_special": 1500, "home_based": 650,
    "support": 420, "prevention": 160,
}  # fmt: skip
# Children on home-based support (step 2, not placed) and prevention (step 1) per window, read
# off figure 2.1 for the pilot; the other districts have about 3.5 times as many cases.
SUPPORT_LEVELS = {"pilot": [72, 72, 72, 80], "other": [150, 150, 155, 160]}
PREVENTION_LEVELS = {"pilot": [15, 14, 12, 16], "other": [30, 30, 31, 31]}
# Average open cases per team and year that give table 3.2's shares: count / share.
HISTORY_YEARS = range(2012, 2017)


@dataclass
class Episode:
    kind: str
    start: date
    end: date  # exclusive; every history episode ends by 2017
    group: str
    child: int = -1
    cost: float = 0.0
    end_reason: str = "planned"

    @property
    def step(self) -> int:
        return STEP[self.kind]

    def days_in(self, lo: date, hi: date) -> int:
        return max(0, (min(self.end, hi + DAY) - max(self.start, lo)).days)


@dataclass
class Child:
    group: str
    episodes: list[Episode] = field(default_factory=list)


# Mean length of one episode in days, by kind: the turnover behind the stocks.
MEAN_DAYS = {
    "residential_institution": 420, "socio_pedagogical": 500, "secure_institution": 150,
    "foster_ordinary": 1400, "foster_network": 1000, "foster_special": 700, "home_based": 330,
    "support": 300, "prevention": 170,
}  # fmt: skip


def episodes_from_stock(
    kind: str, group: str, stock: dict[date, int], rng: random.Random
) -> list[Episode]:
    """Episodes whose number active on each day is exactly the stock: a child starts when the
    stock rises, a random one leaves when it falls, and one whose time is up is replaced."""
    active: list[tuple[date, Episode]] = []  # (planned end, episode)
    done: list[Episode] = []
    first = stocks.HISTORY_START

    def begin(day: date) -> None:
        start = day
        if day == first:  # already on the measure when the history begins
            start = first - timedelta(days=rng.randint(30, 2 * MEAN_DAYS[kind]))
        length = max(14, round(rng.expovariate(1 / MEAN_DAYS[kind])))
        active.append(
            (start + timedelta(days=length), Episode(kind, start, stocks.HISTORY_END + DAY, group))
        )

    for day in sorted(stock):
        for planned, e in [a for a in active if a[0] <= day and day > first]:
            active.remove((planned, e))
            e.end = day
            done.append(e)
        want = stock[day]
        while len(active) < want:
            begin(day)
        while len(active) > want:
            _, leaving = active.pop(rng.randrange(len(active)))
            leaving.end = day
            done.append(leaving)
    done += [e for _, e in active]  # still running when the history ends
    return done


def link_chance(before: Episode, after: Episode) -> float:
    """How likely a start continues the child of an episode that just ended on another step:
    in the pilot, children placed in institutions mostly moved down (figure 4.1: 16 of them);
    between support and prevention, starts are mostly other children."""
    pilot_era = after.group == "pilot" and after.start >= PILOT_START
    placed = before.step >= 3
    if after.step < before.step:
        if before.step == 5:
            return 0.9 if pilot_era else 0.4
        return (0.35 if pilot_era else 0.25) if placed else 0.06
    return (0.08 if pilot_era else 0.2) if after.step >= 3 else 0.06


def link_children(episodes: list[Episode], rng: random.Random) -> list[Child]:
    """Join episodes into children: a start shortly after another child's last episode ended
    on another step continues that child."""
    children: list[Child] = []
    tails: list[Episode] = []  # episodes that are a child's latest and ended
    for e in sorted(episodes, key=lambda e: (e.start, e.kind)):
        candidates = [t for t in tails if t.group == e.group and 0 <= (e.start - t.end).days <= 45]
        linked = None
        for t in candidates:
            if t.step != e.step and rng.random() < link_chance(t, e):
                linked = t
                break
        if linked is not None:
            tails.remove(linked)
            e.child = linked.child
        else:
            e.child = len(children)
            children.append(Child(e.group))
        children[e.child].episodes.append(e)
        if e.end <= stocks.HISTORY_END:
            tails.append(e)
        tails = [t for t in tails if (e.start - t.end).days <= 45]
    return children


def set_costs(episodes: list[Episode], group: str, plan: stocks.Plan, rng: random.Random) -> None:
    """Daily costs around a realistic level per kind, scaled per category so that the 2013 and
    2015 spending is the plan's (tables 2.5 and 2.6)."""
    y13 = (date(2013, 1, 1), date(2013, 12, 31))
    y15 = (date(2015, 1, 1), date(2015, 12, 31))
    for e in episodes:
        e.cost = BASE_COST[e.kind] * rng.uniform(0.85, 1.15)
    for cat in ("institution", "family_care", "home_based"):
        mine = [e for e in episodes if e.kind in CATEGORY_OF and CATEGORY_OF[e.kind] == cat]
        in13 = [e for e in mine if e.days_in(*y13)]
        only15 = [e for e in mine if e.days_in(*y15) and not e.days_in(*y13)]
        x = plan.spending[2013][cat] / sum(e.days_in(*y13) * e.cost for e in in13)
        for e in in13:
            e.cost *= x
        rest = plan.spending[2015][cat] - sum(e.days_in(*y15) * e.cost for e in in13)
        y = rest / sum(e.days_in(*y15) * e.cost for e in only15)
        if y <= 0:
            raise ValueError(f"{group} {cat}: the 2015 accounts cannot be met")
        for e in only15:
            e.cost *= y
        for e in mine:
            e.cost = round(e.cost, 2)


def set_end_reasons(children: list[Child], group: str, rng: random.Random) -> None:
    """Breakdowns exactly as table 3.1 counts them in 2014 and 2015, a few in other years."""
    placements = [
        e
        for c in children
        for e in c.episodes
        if e.kind in CATEGORY_OF and e.end <= stocks.HISTORY_END
    ]
    for year in HISTORY_YEARS:
        ending = [e for e in placements if e.end.year == year]
        if year in (2014, 2015):
            count = targets.breakdowns(group, year)[0]
        else:
            count = min(len(ending), 2 if group == "pilot" else 6)
        for e in rng.sample(ending, count):
            e.end_reason = "breakdown"
    for c in children:
        for e in c.episodes:
            if e.end_reason != "breakdown":
                e.end_reason = rng.choices(["planned", "moved", "other"], [8, 1, 1])[0]


FIRST_AGE = {
    "residential_institution": (12, 16), "socio_pedagogical": (12, 16),
    "secure_institution": (14, 16), "foster_ordinary": (1, 12), "foster_network": (2, 12),
    "foster_special": (3, 13), "home_based": (15, 16), "support": (2, 15), "prevention": (0, 14),
}  # fmt: skip


def birth_date(child: Child, rng: random.Random) -> date:
    first = min(e.start for e in child.episodes)
    last = max(e.end for e in child.episodes)
    lo, hi = FIRST_AGE[min(child.episodes, key=lambda e: e.start).kind]
    born = first - timedelta(days=rng.randint(lo * 365, hi * 365 + 300))
    eighteen = born.replace(year=born.year + 18) if (born.month, born.day) != (2, 29) else None
    if eighteen is None or eighteen <= last:  # keep the child under 18 while on a measure
        born = last - timedelta(days=17 * 365 + rng.randint(0, 200))
    return min(born, first)


@dataclass
class Case:
    child: str
    team: str
    opened: date
    closed: date  # exclusive
    caseworker: str = ""

    def days_in(self, year: int) -> int:
        lo, hi = date(year, 1, 1), date(year + 1, 1, 1)
        return max(0, (min(self.closed, hi) - max(self.opened, lo)).days)


def target_open_cases(team_key: str, year: int) -> float:
    """Average open cases that make count / cases round to the published share."""
    count, pct = targets.complaints(team_key, year)
    return count / (pct / 100)


def add_clarification_cases(
    cases: list[Case], team_key: str, group: str, new_child: "ChildMaker", rng: random.Random
) -> None:
    """Short cases with no measure (clarification, investigation) until the team's average open
    cases per year are those of table 3.2 (2014, 2015), and about as many in the other years."""
    team = TEAMS[team_key]
    for year in HISTORY_YEARS:
        level = target_open_cases(team_key, min(max(year, 2014), 2015))
        need = round(level * 365) - sum(c.days_in(year) for c in cases if c.team == team)
        if need < 0 and year in (2014, 2015):
            raise ValueError(f"{team} {year}: more open cases than table 3.2 allows")
        start = date(year, 1, 1)
        while need > 0:
            length = rng.randint(60, 250)
            opened = start + timedelta(days=rng.randrange(365))
            in_year = (min(opened + timedelta(days=length), date(year + 1, 1, 1)) - opened).days
            if in_year > need or need - in_year < 30:
                # The last one ends inside the year with exactly the days still needed.
                in_year = need
                opened = start + timedelta(days=rng.randrange(max(1, 366 - need)))
                length = need
            cases.append(
                Case(new_child(group, opened), team, opened, opened + timedelta(days=length))
            )
            need -= in_year


class ChildMaker:
    """Children with no measure: only a birth date and a district."""

    def __init__(self, rng: random.Random, districts: dict[str, list[str]]) -> None:
        self.rng, self.districts = rng, districts
        self.rows: list[tuple[str, date, str, str]] = []

    def add(self, group: str, born: date) -> str:
        child_id = f"h{len(self.rows) + 1:05d}"
        sex = self.rng.choice(["female", "male"])
        self.rows.append((child_id, born, sex, self.rng.choice(self.districts[group])))
        return child_id

    def __call__(self, group: str, opened: date) -> str:
        return self.add(group, opened - timedelta(days=self.rng.randint(0, 17 * 365)))


def follow_up_rate(group: str, kind: str, day: date) -> float:
    """Follow-ups per half-year (figure 2.2's description: the pilot about twice the legal
    minimum for placements; preventive measures up to 1.8 in 2014, back by the end of 2015)."""
    pilot_era = group == "pilot" and day >= PILOT_START
    if kind in CATEGORY_OF:
        if not pilot_era:
            return 1.0
        return 2.6 if CATEGORY_OF[kind] == "institution" else 2.3
    if not pilot_era:
        return 0.9
    return 1.8 if date(2014, 1, 1) <= day < date(2015, 7, 1) else 1.1


def follow_ups(e: Episode, rng: random.Random) -> list[tuple[date, bool]]:
    out = []
    pilot_era = e.group == "pilot" and e.start >= PILOT_START
    day = max(e.start, stocks.HISTORY_START) + timedelta(
        days=rng.randint(14, 28) if pilot_era else rng.randint(60, 100)
    )
    while day < min(e.end, stocks.HISTORY_END):
        talk = rng.random() < (0.85 if e.group == "pilot" and day >= PILOT_START else 0.5)
        out.append((day, talk))
        gap = 182 / follow_up_rate(e.group, e.kind, day) * rng.uniform(0.75, 1.25)
        day += timedelta(days=round(gap))
    return out


def build(seed: int, districts: dict[str, list[str]]) -> Dataset:
    """The whole history. `districts` maps "pilot" and "other" to the district names."""
    rng = random.Random(seed)
    maker = ChildMaker(rng, districts)
    cases: list[Case] = []
    episode_rows: list[tuple[str, str, int, str | None, str, date, date, str, float]] = []
    followup_rows: list[tuple[str, str, str, date, bool]] = []
    for group in ("pilot", "other"):
        plan = stocks.plan(group)
        episodes: list[Episode] = []
        for kind in TYPES:
            stock = stocks.daily(plan.days[kind], rng)
            episodes += episodes_from_stock(kind, group, stock, rng)
        for kind, levels in (("support", SUPPORT_LEVELS), ("prevention", PREVENTION_LEVELS)):
            totals = [
                round(v * stocks.length(w))
                for v, w in zip(levels[group], stocks.WINDOWS, strict=True)
            ]
            episodes += episodes_from_stock(kind, group, stocks.daily(totals, rng), rng)
        set_costs(episodes, group, plan, rng)
        children = link_children(episodes, rng)
        set_end_reasons(children, group, rng)
        for child in children:
            born = birth_date(child, rng)
            child_id = maker.add(group, born)
            first = min(e.start for e in child.episodes)
            last = max(e.end for e in child.episodes)
            opened = first - timedelta(days=rng.randint(10, 75))
            age = (opened - born).days / 365.25
            team_key = (
                "pilot"
                if group == "pilot"
                else ("other_youth_team" if age >= 12 else "other_children_team")
            )
            closed = last + timedelta(days=rng.randint(1, 25))
            cases.append(Case(child_id, TEAMS[team_key], opened, closed))
            for e in child.episodes:
                episode_id = f"he{len(episode_rows) + 1:05d}"
                last_one = e is max(child.episodes, key=lambda x: x.end)
                if last_one and e.end_reason != "breakdown" and (e.end - born).days >= 6390:
                    e.end_reason = "aftercare_18"  # about 17.5 years old: ends at 18
                placement = e.kind if e.kind in CATEGORY_OF else None
                episode_rows.append((
                    episode_id, child_id, e.step, placement,
                    rng.choice(INTERVENTIONS[e.kind]), e.start, e.end, e.end_reason, e.cost,
                ))  # fmt: skip
                for day, talk in follow_ups(e, rng):
                    followup_rows.append(
                        (f"hf{len(followup_rows) + 1:06d}", child_id, episode_id, day, talk)
                    )
    for team_key in TEAMS:
        group = "pilot" if team_key == "pilot" else "other"
        add_clarification_cases(cases, team_key, group, maker, rng)
    assign_caseworkers(cases)
    complaint_rows = complaints(cases, rng)
    return to_dataset(districts, maker.rows, cases, episode_rows, followup_rows, complaint_rows)


def assign_caseworkers(cases: list[Case]) -> None:
    """Round robin in the order cases open; the pilot team had about 22-24 cases each."""
    per_team = {TEAMS["pilot"]: 9, TEAMS["other_children_team"]: 8,
                TEAMS["other_youth_team"]: 7, TEAMS["other_reception"]: 8}  # fmt: skip
    slug = {TEAMS["pilot"]: "sverige", TEAMS["other_children_team"]: "boern",
            TEAMS["other_youth_team"]: "unge", TEAMS["other_reception"]: "modtagelse"}  # fmt: skip
    counters: dict[str, int] = defaultdict(int)
    for case in sorted(cases, key=lambda c: (c.opened, c.child)):
        n = counters[case.team] % per_team[case.team] + 1
        case.caseworker = f"hist-{slug[case.team]}-{n:02d}"
        counters[case.team] += 1


def complaints(cases: list[Case], rng: random.Random) -> list[tuple[str, str, str, date]]:
    """Table 3.2's counts in 2014 and 2015, a similar number in the other years."""
    rows: list[tuple[str, str, str, date]] = []
    for team_key, team in TEAMS.items():
        for year in HISTORY_YEARS:
            count = targets.complaints(team_key, min(max(year, 2014), 2015))[0]
            open_cases = [c for c in cases if c.team == team and c.days_in(year)]
            for case in rng.choices(open_cases, [c.days_in(year) for c in open_cases], k=count):
                lo = max(case.opened, date(year, 1, 1))
                day = lo + timedelta(days=rng.randrange(case.days_in(year)))
                rows.append((f"hk{len(rows) + 1:04d}", case.child, team, day))
    return rows


def to_dataset(
    districts: dict[str, list[str]],
    children: list[tuple[str, date, str, str]],
    cases: list[Case],
    episodes: list[tuple[str, str, int, str | None, str, date, date, str, float]],
    followups: list[tuple[str, str, str, date, bool]],
    complaint_rows: list[tuple[str, str, str, date]],
) -> Dataset:
    def frame(rows: list[tuple], columns: list[str]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=columns, orient="row")

    district_rows = [(d, GROUPS[g]) for g, names in districts.items() for d in names]
    case_rows = [
        (f"hc{i + 1:05d}", c.child, c.team, c.opened, c.closed, c.caseworker)
        for i, c in enumerate(sorted(cases, key=lambda c: (c.opened, c.child)))
    ]
    return Dataset.from_frames({
        "districts": frame(district_rows, ["district", "group"]),
        "children": frame(children, ["child_id", "birth_date", "sex", "district"]),
        "cases": frame(
            case_rows, ["case_id", "child_id", "team", "opened", "closed", "caseworker"]
        ),
        "episodes": frame(episodes, [
            "episode_id", "child_id", "step", "placement_type", "intervention",
            "start_date", "end_date", "end_reason", "daily_cost",
        ]),
        "followups": frame(followups, [
            "followup_id", "child_id", "episode_id", "date", "child_conversation",
        ]),
        "complaints": frame(complaint_rows, ["complaint_id", "child_id", "team", "date"]),
    })  # fmt: skip
