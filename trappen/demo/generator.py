"""A deterministic synthetic municipality: "Demo Kommune" with three years of case history.

Every choice is drawn from one `random.Random(seed)`. The only outside input is "today" (by
default `timezone.localdate()`): the history is laid out backwards from it, so it always ends
yesterday, while names, counts, costs and the shape of every case are the same on every run.

The build runs in two passes. The first plans every child's cases as dates only (which
trajectory, when each phase starts and ends, cut off at yesterday). From the open cases per team
it then staffs the teams: pilot caseworkers get about 22 open cases each, the other teams have
fewer caseworkers, so some carry 35-50 cases, above the cap, as in the evaluation. The second
pass turns the plans into rows (notifications, assignments, early steps, investigations with
network maps, action plans, measures, journal entries, transfers) and saves them with
`bulk_create`, parents before children.

All names are fictitious. Nothing here is real case data.
"""

import random
import time
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trappen.cases.models import (
    Case,
    CaseAssignment,
    Child,
    EarlyStep,
    JournalEntry,
    Transfer,
)
from trappen.cases.models import Profession as StepProfession
from trappen.catalogue.models import Intervention
from trappen.core import deadlines
from trappen.core.cpr import century
from trappen.core.deadlines import add_months
from trappen.demo import access as demo_access
from trappen.demo import after_meetings as demo_after_meetings
from trappen.demo import business as demo_business
from trappen.demo import followups as demo_followups
from trappen.demo import intake as demo_intake
from trappen.demo import law as demo_law
from trappen.demo import meetings as demo_meetings
from trappen.demo import network as demo_network
from trappen.demo import quality as demo_quality
from trappen.demo import sdq as demo_sdq
from trappen.demo import staircase as demo_staircase
from trappen.demo import wellbeing_goals as demo_goals
from trappen.demo.kora import load as kora_load
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation, NetworkMapEntry
from trappen.measures.models import Episode
from trappen.notices.models import Notice
from trappen.organisation.models import (
    District,
    DistrictGroup,
    Municipality,
    Profession,
    Team,
    User,
)
from trappen.plans.models import ActionPlan, ActionPlanRevision, Goal
from trappen.rules.models import DeadlineRule

DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 1000
PASSWORD = "demo-2026"
HISTORY_DAYS = 3 * 365
PILOT_TARGET_LOAD = 22  # open cases per pilot caseworker (the cap is 25)
OTHER_TARGET_LOAD = 42  # the other teams: fewer caseworkers, some above the cap

# Apps whose tables migrations load (the staircase, the catalogue, the deadline rules): kept.
# The audit log is append-only: the demo's wipe (itself audited) leaves it as it is.
KEEP_APPS = {"catalogue", "rules", "audit"}
# Reference data that migrations load in apps that otherwise hold case data.
KEEP_MODELS = {"followups.cadenceruleset", "followups.cadencerule"}

Log = Callable[[str], None]

# --- Fictitious names ---------------------------------------------------------------------------

GIRLS = [
    "Alma", "Ella", "Freja", "Ida", "Karla", "Clara", "Sofia", "Emma", "Agnes", "Olivia",
    "Liva", "Nora", "Ellen", "Josefine", "Lærke", "Signe", "Asta", "Mathilde", "Vigga", "Luna",
    "Anna", "Esther", "Filippa", "Marie", "Saga", "Silje", "Astrid", "Maja", "Lily", "Frida",
]  # fmt: skip
BOYS = [
    "William", "Noah", "Oscar", "Lucas", "Carl", "Alfred", "Emil", "Aksel", "Valdemar", "Oliver",
    "Magnus", "Arthur", "Malthe", "August", "Elias", "Viggo", "Frederik", "Victor", "Anton",
    "Johan", "Storm", "Theo", "Mikkel", "Felix", "Villads", "Bertram", "Mads", "Sebastian",
    "Konrad", "Hugo",
]  # fmt: skip
ADULTS = [
    "Mette", "Hanne", "Lone", "Susanne", "Charlotte", "Louise", "Camilla", "Tina", "Pia", "Line",
    "Jens", "Lars", "Søren", "Henrik", "Thomas", "Morten", "Anders", "Jesper", "Rasmus", "Kim",
]  # fmt: skip
LAST_NAMES = [
    "Demosen", "Prøvegaard", "Eksempelsen", "Fiktivsen", "Testrup", "Opdigtholm", "Modelsen",
    "Skitsegaard", "Udkastsen", "Attrapsen", "Prøvelund", "Demobjerg", "Eksempelgaard",
    "Fiktivholm", "Pseudonymsen", "Stikprøvesen", "Prototypsen", "Kladdegaard", "Øvelund",
    "Afprøvsen",
]  # fmt: skip

PILOT_DISTRICTS = ["Lyngtoftevang", "Skovhøjlund", "Engbakkely", "Bækkelundhøj"]
OTHER_DISTRICTS = [
    "Granlundvang", "Møllerupdal", "Hedebyhøj", "Søndervangkær", "Kirkeholmtoft",
    "Østermarklund", "Birkedalsvang", "Rønnebakkely",
]  # fmt: skip
TEAM_NAMES = [
    "Distriktsteam Lyng-Skov",
    "Distriktsteam Eng-Bæk",
    "Distriktsteam Gran-Mølle",
    "Distriktsteam Hede-Sønder",
    "Distriktsteam Kirke-Øster",
    "Distriktsteam Birk-Rønne",
]

# --- Texts (Danish, as caseworkers write them) --------------------------------------------------

CONCERNS = [
    "Barnet kommer ofte for sent og virker træt og uoplagt.",
    "Højt fravær i skolen det seneste halve år.",
    "Barnet har fortalt om voldsomme skænderier i hjemmet.",
    "Forælder virker påvirket ved afhentning.",
    "Barnet trækker sig fra kammerater og er meget stille.",
    "Bekymring for hygiejne og påklædning efter vejret.",
    "Barnet har blå mærker, som ikke forklares.",
    "Familien er udfordret efter skilsmisse; barnet er ked af det.",
    "Barnet udviser udadreagerende adfærd over for andre børn.",
    "Sundhedsplejen er bekymret for spædbarnets trivsel og vægt.",
    "Politiet har været tilkaldt til adressen efter uro.",
    "Den unge er set sammen med ældre unge i et kriminelt miljø.",
]
ASSESSMENTS = [
    "Ingen akut fare. Sagen drøftes i distriktsteamet.",
    "Vurderet: ikke akut. Forældrene kontaktes til samtale.",
    "Akut handling: barnet er set samme dag, og forældrene er indkaldt.",
    "Kendt familie; underretningen lægges til sagen.",
]
JOURNAL_TEXTS = {
    JournalEntry.Heading.NOTE: [
        "Status drøftet i distriktsteamet.",
        "Materiale fra skolen modtaget og gennemgået.",
        "Aftale om opfølgning om fire uger.",
    ],
    JournalEntry.Heading.PHONE: [
        "Telefonsamtale med mor om aftalerne.",
        "Opringning fra skolen: fraværet er faldet.",
        "Far ringede og spurgte til næste møde.",
    ],
    JournalEntry.Heading.MEETING: [
        "Netværksmøde med skole, forældre og PPR.",
        "Opfølgningsmøde med familiebehandleren.",
        "Møde med plejefamilien om samvær.",
    ],
    JournalEntry.Heading.CHILD_CONVERSATION: [
        "Børnesamtale på skolen. Barnet fortæller, at det er glad for sin lærer.",
        "Samtale med barnet alene. Barnet ønsker mere tid med far.",
        "Børnesamtale: barnet er bekymret for mor og sover dårligt.",
    ],
    JournalEntry.Heading.CHILD_HEARING: [
        "Høring af barnet inden afgørelse om foranstaltning. Barnets synspunkter er noteret.",
        "Den unge er hørt og er enig i planen.",
    ],
}
JOURNAL_WEIGHTS = {
    JournalEntry.Heading.NOTE: 35,
    JournalEntry.Heading.PHONE: 25,
    JournalEntry.Heading.MEETING: 20,
    JournalEntry.Heading.CHILD_CONVERSATION: 12,
    JournalEntry.Heading.CHILD_HEARING: 8,
}
EARLY_NOTES = {
    EarlyStep.Kind.NETWORK_MEETING: "Netværksmøde på skolen med forældrene.",
    EarlyStep.Kind.JOINT_HOME_VISIT: "Fælles hjemmebesøg med sundhedsplejersken.",
    EarlyStep.Kind.PSYCHOLOGIST_TALK: "Afklarende samtale med barnet og forældrene.",
    EarlyStep.Kind.NEEDS_VISIT: "Behovsbesøg; vægt og trivsel fulgt.",
    EarlyStep.Kind.EARLY_SUPPORT: "Kortvarig rådgivning af familien i Familiecentret.",
}
CONCLUSIONS_SUPPORT = [
    "Barnet har behov for støtte. Der iværksættes foranstaltning efter handleplanen.",
    "Undersøgelsen viser behov for støtte i og uden for hjemmet.",
]
CONCLUSIONS_NONE = [
    "Der er ikke behov for yderligere foranstaltninger. Sagen afsluttes efter opfølgning.",
    "Familien har selv ressourcer; tidlig støtte via skolen er tilstrækkelig.",
]
NETWORK = [
    ("Mor", "mor", "resource"),
    ("Far", "far", "resource"),
    ("Mormor", "bedstemor", "resource"),
    ("Farfar", "bedstefar", "resource"),
    ("Moster", "moster", "resource"),
    ("Klasselærer", "lærer", "resource"),
    ("Pædagog", "pædagog i institutionen", "resource"),
    ("Fodboldtræner", "fritid", "resource"),
    ("Mors kæreste", "stedforælder", "concern"),
    ("Ældre kammerater", "kammerater", "concern"),
    ("Nabo", "nabo", "resource"),
]
PURPOSES = [
    "Formålet er, at barnet trives i skolen og har stabile voksne omkring sig.",
    "Formålet er at styrke forældrenes omsorg, så barnet kan blive boende hjemme.",
    "Formålet er, at barnet får en tryg og stabil anbringelse med kontakt til familien.",
    "Formålet er, at den unge kommer i uddannelse og holder sig fra kriminalitet.",
]
GOALS = [
    ("Barnet kommer i skole hver dag.", "Forældrene og skolen", "Fravær under 5 % pr. måned."),
    ("Barnet har en fast voksen at tale med.", "Støttekontaktpersonen", "Ugentlige samtaler."),
    ("Familien har faste rutiner ved sengetid.", "Familiebehandleren", "Dagbog over ugen."),
    ("Barnet ser sin far hver anden weekend.", "Plejefamilien og far", "Samvær gennemført."),
    ("Den unge gennemfører 9. klasse.", "Den unge og efterskolen", "Afgangsprøve bestået."),
    ("Barnet deltager i en fritidsaktivitet.", "Mor og rådgiveren", "Fremmøde hver uge."),
]

SOURCES = [
    (Notification.Source.SCHOOL, 30),
    (Notification.Source.DAY_CARE, 15),
    (Notification.Source.HEALTH_VISITOR, 15),
    (Notification.Source.POLICE, 15),
    (Notification.Source.PARENT, 8),
    (Notification.Source.ANONYMOUS, 7),
    (Notification.Source.OTHER, 10),
]

# Daily cost (kr.) per step of the staircase.
DAILY_COST = {0: (100, 400), 1: (100, 400), 2: (500, 1500), 3: (800, 1200), 4: (1200, 2500)}
DAILY_COST[5] = (3000, 8000)
DURATION = {0: (30, 180), 1: (30, 180), 2: (60, 365), 3: (180, 720), 4: (180, 900)}
DURATION[5] = (120, 600)
# How often each kind of offer is chosen on a step: "" is not a placement, the rest are placement
# types. Placement types keep about the shares of the first catalogue (step 2 mostly at home,
# step 4 half ordinary and half special foster care, few secure placements); within a kind every
# offer for the child's age is equally likely. Kinds not listed weigh 1.
KIND_MIX = {
    2: {"": 5, "home_based": 2},
    4: {"foster_ordinary": 1, "foster_special": 1},
    5: {"": 1, "socio_pedagogical": 4, "residential_institution": 4, "secure_institution": 1},
}
# Target ages the catalogue leaves open (the seed gives none), assumed for the demo only so that
# no toddler is sent to boarding school. The catalogue's own ages apply to every other offer.
DEMO_AGES = {
    "Kost- og efterskole": (13, 17),
    "Anbringelse på kost- eller efterskole": (13, 17),
    "Anbringelse på eget værelse": (15, 17),
    "Sikret institution": (12, 17),
    "MST – Multisystemisk Terapi": (10, 17),
    "TFCO – Treatment Foster Care, Oregon": (10, 17),
    "UngMod 24-7": (13, 17),
    "Herningmodellen (dagtilbud)": (0, 6),
    "Socialpædagogisk friplads": (0, 6),
}


def fits(intervention: Intervention, age: int) -> bool:
    if ages := DEMO_AGES.get(intervention.name):
        return ages[0] <= age <= ages[1]
    return intervention.fits_age(age)


# Case trajectories with weights for pilot and other districts: the pilot works early.
KINDS = {
    "clarify": (22, 26),  # clarified and closed, perhaps after early steps
    "early": (30, 12),  # early support (steps 0-1) without an investigation
    "investigate": (14, 16),  # investigated, no measures needed
    "measures": (34, 46),  # investigated, then measures on steps 1-5
}
PEAK_STEP = {1: (30, 18), 2: (38, 30), 3: (10, 10), 4: (12, 22), 5: (10, 20)}


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


class Builder:
    def __init__(self, *, children: int, seed: int, today: date, log: Log) -> None:
        self.n_children = children
        self.rng = random.Random(seed)
        self.today = today
        self.last = today - days(1)  # the history's last day: nothing is timed today
        self.first = today - days(HISTORY_DAYS)
        self.log = log
        self.tz = timezone.get_current_timezone()
        self.midnight = self.at(today, 0, 0)
        self.counts: dict[str, int] = {}
        self.rules: list[deadlines.DeadlineRule] | None = None
        self.started = time.perf_counter()
        self.phase_started = self.started

    # helpers
    def deadline(self, key: str, start: datetime) -> datetime:
        """As `trappen.rules.models.deadline_for`, with the rules read once, not per call.

        (The generator computes some 30,000 deadlines at 10,000 children; a test checks that
        every one equals what `deadline_for` and `date_deadline_for` give.)
        """
        if self.rules is None:
            self.rules = [r.as_core() for r in DeadlineRule.objects.all()]
        return deadlines.deadline(self.rules, key, start)

    def date_deadline(self, key: str, start: date) -> date:
        return self.deadline(key, datetime(start.year, start.month, start.day)).date()

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def day_in(self, start: date, end: date) -> date:
        return start + days(self.rng.randint(0, max(0, (end - start).days)))

    def weighted(self, choices: Iterable[tuple[Any, int]]) -> Any:
        items = list(choices)
        return self.rng.choices([c for c, _w in items], weights=[w for _c, w in items])[0]

    def phase(self, text: str) -> None:
        now = time.perf_counter()
        self.log(f"  {text} ({now - self.phase_started:.1f} s)")
        self.phase_started = now

    def save(self, model: type[models.Model], objs: list[Any]) -> list[Any]:
        created = model._default_manager.bulk_create(objs, batch_size=2000)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(created)
        return created

    # ---- organisation ----------------------------------------------------------------------

    def organisation(self) -> None:
        self.municipality = Municipality.objects.create(name="Demo Kommune", caseload_cap=25)
        self.pilot_group = DistrictGroup.objects.create(
            name="Pilot",
            description="Skoledistrikter i pilotprojektet: lavere sagstal, tidlig indsats.",
        )
        self.other_group = DistrictGroup.objects.create(
            name="Øvrige", description="De øvrige skoledistrikter."
        )
        self.teams = self.save(
            Team, [Team(municipality=self.municipality, name=name) for name in TEAM_NAMES]
        )
        districts = []
        for i, name in enumerate(PILOT_DISTRICTS + OTHER_DISTRICTS):
            districts.append(
                District(
                    municipality=self.municipality,
                    name=name,
                    team=self.teams[i // 2],
                    group=self.pilot_group if i < len(PILOT_DISTRICTS) else self.other_group,
                )
            )
        self.districts = self.save(District, districts)
        self.pilot_teams = {t.pk for t in self.teams[: len(PILOT_DISTRICTS) // 2]}
        self.district_weights = [self.rng.uniform(0.8, 1.2) for _ in self.districts]
        # The whole catalogue but aftercare (the demo's children are 0-17), by step and by kind
        # ("" or the placement type), in a fixed order so that the draws are repeatable.
        self.interventions: dict[int, dict[str, list[Intervention]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for intervention in Intervention.objects.filter(is_aftercare=False).order_by(
            "step_id", "placement_type", "name"
        ):
            self.interventions[intervention.step_id][intervention.placement_type].append(
                intervention
            )
        self.phase(
            f"Organisation: Demo Kommune, {len(self.districts)} districts "
            f"({len(PILOT_DISTRICTS)} pilot), {len(self.teams)} district teams"
        )

    # ---- children and plans ----------------------------------------------------------------

    def cpr(self, born: date, male: bool, taken: set[str]) -> str:
        yy = born.year % 100
        sevenths = [s for s in range(10) if century(yy, s) + yy == born.year]
        while True:
            serial = f"{self.rng.choice(sevenths)}{self.rng.randint(0, 99):02d}"
            last = self.rng.randrange(1 if male else 0, 10, 2)
            number = f"{born:%d%m}{yy:02d}{serial}{last}"
            if number not in taken:
                taken.add(number)
                return number

    def make_child(self, taken: set[str], *, born_before: date) -> Child:
        oldest = add_months(self.today, -18 * 12) + days(1)
        born = self.day_in(oldest, born_before)
        male = self.rng.random() < 0.52
        district = self.rng.choices(self.districts, weights=self.district_weights)[0]
        return Child(
            cpr=self.cpr(born, male, taken),
            first_name=self.rng.choice(BOYS if male else GIRLS),
            last_name=self.rng.choice(LAST_NAMES),
            birth_date=born,
            sex="male" if male else "female",
            district=district,
        )

    def plan(self) -> None:
        taken: set[str] = set()
        n_queue = max(3, round(self.n_children * 0.012))
        self.children: list[Child] = []
        self.plans: list[CasePlan] = []
        self.queue_children: list[Child] = []
        for _i in range(self.n_children - n_queue):
            child = self.make_child(taken, born_before=self.today - days(30))
            self.children.append(child)
            pilot = child.district.group_id == self.pilot_group.pk
            opened = self.day_in(max(self.first, child.birth_date + days(7)), self.last)
            while opened <= self.last:
                plan = self.plan_case(child, pilot, opened)
                self.plans.append(plan)
                if plan.closed is None or self.rng.random() > 0.25:
                    break
                opened = plan.closed + days(self.rng.randint(30, 400))
        for _i in range(n_queue):
            child = self.make_child(taken, born_before=self.today - days(30))
            self.children.append(child)
            self.queue_children.append(child)
        self.plan_transfers()
        open_plans = sum(p.is_open for p in self.plans)
        self.phase(
            f"Planned {len(self.children)} children, {len(self.plans)} cases "
            f"({open_plans} open), {n_queue} new children in the assignment queues"
        )

    def plan_case(self, child: Child, pilot: bool, opened: date) -> CasePlan:
        column = 0 if pilot else 1
        kind = self.weighted((k, w[column]) for k, w in KINDS.items())
        plan = CasePlan(child=child, pilot=pilot, kind=kind, opened=opened)
        rng, last = self.rng, self.last
        if kind == "clarify":
            closed = opened + days(rng.randint(7, 90))
            if closed <= last:
                plan.closed = closed
                plan.reason = self.weighted(
                    [("no_need", 55), ("early_support", 25), ("moved_away", 10), ("other", 10)]
                )
            return plan
        if kind == "early":
            day = opened + days(rng.randint(14, 60))
            for _n in range(1 if rng.random() < 0.75 else 2):
                if day > last:
                    return plan
                step = 0 if rng.random() < 0.35 else 1
                end = day + days(rng.randint(*DURATION[step]))
                episode = EpisodePlan(step, day, end if end <= last else None, "planned")
                plan.episodes.append(episode)
                if episode.end is None:
                    episode.reason = ""
                    return plan
                day = end + days(rng.randint(0, 14))
            closed = end + days(rng.randint(0, 14))  # the last episode's end
            if closed <= last:
                plan.closed = closed
                plan.reason = "early_support" if rng.random() < 0.8 else "goals_met"
            return plan
        # Both other kinds investigate first.
        inv_start = opened + days(rng.randint(7, 45))
        if inv_start > last:
            return plan
        plan.inv_start = inv_start
        plan.inv_deadline = self.date_deadline(DeadlineRule.Key.CHILD_INVESTIGATION, inv_start)
        if rng.random() < 0.85:
            done = inv_start + days(rng.randint(50, 115))
            done = min(done, plan.inv_deadline)
        else:
            done = plan.inv_deadline + days(rng.randint(1, 45))
        if done > last:
            return plan
        plan.inv_done = done
        if kind == "investigate":
            closed = done + days(rng.randint(0, 30))
            if closed <= last:
                plan.closed = closed
                plan.reason = "no_need" if rng.random() < 0.55 else "early_support"
            return plan
        self.plan_measures(plan, done + days(rng.randint(0, 21)))
        return plan

    def staircase_path(self, peak: int) -> list[int]:
        rng = self.rng
        if peak <= 1:
            return [peak] + ([1] if rng.random() < 0.3 else [])
        if peak == 2:
            return ([1] if rng.random() < 0.35 else []) + [2] + ([2] if rng.random() < 0.3 else [])
        path = ([2] if rng.random() < 0.4 else []) + [peak]
        # Moving down the staircase as things get better: institution → foster care → home.
        if peak == 5 and rng.random() < 0.45:
            path.append(4)
            if rng.random() < 0.6:
                path.append(2)
        elif peak == 4 and rng.random() < 0.35:
            path.append(rng.choice([3, 2]))
        elif peak == 3 and rng.random() < 0.3:
            path.append(2)
        return path

    def plan_measures(self, plan: CasePlan, day: date) -> None:
        self.plan_episodes(plan, day)
        # What would end after yesterday is still running.
        for episode in plan.episodes:
            if episode.end and episode.end > self.last:
                episode.end, episode.reason = None, ""

    def plan_episodes(self, plan: CasePlan, day: date) -> None:
        """Measures along a path up (and maybe down) the staircase, with planned end dates."""
        rng, last = self.rng, self.last
        column = 0 if plan.pilot else 1
        path = self.staircase_path(self.weighted((s, w[column]) for s, w in PEAK_STEP.items()))
        breakdowns = 0
        i = 0
        while i < len(path):
            step = path[i]
            if day > last:
                return  # the next measure has not started yet
            end = day + days(rng.randint(*DURATION[step]))
            plan.episodes.append(episode := EpisodePlan(step, day, end))
            if step <= 2 and rng.random() < 0.15:  # a small parallel measure alongside
                side_start = day + days(rng.randint(0, 30))
                side_end = side_start + days(rng.randint(30, 120))
                if side_start <= last:
                    plan.episodes.append(
                        EpisodePlan(rng.choice([0, 1]), side_start, side_end, "planned")
                    )
            if end > last:
                return  # still running
            if step >= 2 and breakdowns < 2 and rng.random() < 0.18:
                episode.reason = Episode.EndReason.BREAKDOWN
                breakdowns += 1
                path.insert(i + 1, min(5, step + rng.choice([0, 1])))
                day = end + days(rng.randint(0, 2))
            else:
                episode.reason = self.weighted([("planned", 90), ("other", 10)])
                day = end + days(rng.randint(0, 14))
            i += 1
        last_end = max(e.end for e in plan.episodes if e.end)
        closed = last_end + days(rng.randint(0, 30))
        if closed <= last:
            plan.closed = closed
            plan.reason = self.weighted(
                [("goals_met", 75), ("moved_away", 10), ("no_need", 10), ("other", 5)]
            )
            if plan.reason == "moved_away":
                final = max(plan.episodes, key=lambda e: (e.end, e.start))
                final.reason = Episode.EndReason.MOVED

    def plan_transfers(self) -> None:
        """A few families moved to another team's district; the case moved with them."""
        count: dict[str | None, int] = defaultdict(int)
        for plan in self.plans:
            count[plan.child.cpr] += 1
        candidates = [
            p
            for p in self.plans
            if count[p.child.cpr] == 1
            and p.kind != "measures"
            and ((p.closed or self.last) - p.opened).days >= 21
        ]
        for plan in self.rng.sample(
            candidates, min(len(candidates), max(2, self.n_children // 200))
        ):
            home = plan.child.district
            others = [d for d in self.districts if d.team_id != home.team_id]
            origin = self.rng.choice(others)
            end = plan.closed or self.last
            requested = plan.opened + days(self.rng.randint(5, (end - plan.opened).days - 14))
            completed = requested + days(self.rng.randint(1, 7))
            plan.transfer = (origin, requested, completed)

    # ---- staff -----------------------------------------------------------------------------

    def split(self, total: int, pilot: bool) -> list[int]:
        """Open cases per caseworker for a team with `total` open cases."""
        if total == 0:
            return [0]
        if pilot:
            # As many caseworkers as keeps everyone nearest 22 open cases.
            n = min(
                range(1, total + 1),
                key=lambda k: (abs(total / k - PILOT_TARGET_LOAD), k),
            )
            base, extra = divmod(total, n)
            return [base + (1 if i < extra else 0) for i in range(n)]
        n = max(1, -(-total // OTHER_TARGET_LOAD))
        weights = [self.rng.uniform(0.85, 1.15) for _ in range(n)]
        shares = [total * w / sum(weights) for w in weights]
        loads = [int(s) for s in shares]
        for i in sorted(range(n), key=lambda i: loads[i] - shares[i])[: total - sum(loads)]:
            loads[i] += 1
        return loads

    def staff(self) -> None:
        for plan in self.plans:
            plan.team = self.team_of(plan.child.district)
        open_by_team: dict[int, list[CasePlan]] = defaultdict(list)
        for plan in self.plans:
            if plan.is_open:
                open_by_team[plan.team.pk].append(plan)  # type: ignore[union-attr]
        loads = {
            team.pk: self.split(len(open_by_team[team.pk]), team.pk in self.pilot_teams)
            for team in self.teams
        }
        # The demo logins: a pilot caseworker with about 22 cases, one above the cap elsewhere.
        pilot_slots = [(t, i, n) for t in self.pilot_teams for i, n in enumerate(loads[t])]
        demo_team, demo_index, _n = min(
            pilot_slots, key=lambda s: (abs(s[2] - PILOT_TARGET_LOAD), s[0], s[1])
        )
        other_slots = [
            (t.pk, i, n) for t in self.teams if t.pk not in self.pilot_teams
            for i, n in enumerate(loads[t.pk])
        ]  # fmt: skip
        busy_team, busy_index, _n = max(other_slots, key=lambda s: (s[2], -s[0], -s[1]))
        used_names: set[str] = set()
        users: list[User] = []
        self.staffing: dict[int, TeamStaff] = {}

        def person(profession: str, team: Team | None, username: str = "") -> User:
            first = self.rng.choice(ADULTS)
            last = self.rng.choice(LAST_NAMES)
            if not username:
                stem = f"{ascii_slug(first)}.{ascii_slug(last)}"
                username, n = stem, 1
                while username in used_names:
                    n += 1
                    username = f"{stem}{n}"
            used_names.add(username)
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                profession=profession,
                team=team,
            )
            users.append(user)
            return user

        for team in self.teams:
            demo = team.pk == demo_team
            staff = TeamStaff(
                team=team,
                pilot=team.pk in self.pilot_teams,
                leader=person(Profession.TEAM_LEADER, team, "teamleder" if demo else ""),
                psychologist=person(Profession.PSYCHOLOGIST, team, "psykolog" if demo else ""),
                health_visitor=person(
                    Profession.HEALTH_VISITOR, team, "sundhedsplejerske" if demo else ""
                ),
            )
            for i in range(len(loads[team.pk])):
                username = ""
                if demo and i == demo_index:
                    username = "sagsbehandler"
                elif team.pk == busy_team and i == busy_index:
                    username = "sagsbehandler2"
                staff.caseworkers.append(person(Profession.CASEWORKER, team, username))
            self.staffing[team.pk] = staff
        self.analyst = person(Profession.ANALYST, None, "analytiker")
        self.admin = person(Profession.ADMINISTRATOR, None, "admin")
        self.admin.is_staff = self.admin.is_superuser = True
        # One slow password hash, copied to everyone.
        users[0].set_password(PASSWORD)
        for user in users:
            user.password = users[0].password
        self.save(User, users)
        # Open cases to caseworkers by the planned loads; closed ones to anyone in the team.
        for team in self.teams:
            staff = self.staffing[team.pk]
            plans = open_by_team[team.pk]
            self.rng.shuffle(plans)
            start = 0
            for worker, load in zip(staff.caseworkers, loads[team.pk], strict=True):
                for plan in plans[start : start + load]:
                    plan.caseworker = worker
                start += load
        for plan in self.plans:
            staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
            if plan.caseworker is None:
                plan.caseworker = self.rng.choice(staff.caseworkers)
            plan.first_caseworker = plan.caseworker
            if plan.transfer:
                origin_team = self.staffing[plan.transfer[0].team_id]
                plan.first_caseworker = self.rng.choice(origin_team.caseworkers)
            elif len(staff.caseworkers) > 1 and self.rng.random() < 0.08:
                span = ((plan.closed or self.last) - plan.opened).days
                if span > 60:
                    plan.reassigned_on = plan.opened + days(self.rng.randint(30, span - 10))
                    others = [w for w in staff.caseworkers if w != plan.caseworker]
                    plan.first_caseworker = self.rng.choice(others)
        demo_staff = self.staffing[demo_team]
        self.demo_caseworker = demo_staff.caseworkers[demo_index]
        self.demo_leader = demo_staff.leader
        busy = self.staffing[busy_team].caseworkers[busy_index]
        by_user = {p.caseworker.username: 0 for p in self.plans if p.caseworker}
        for plan in self.plans:
            if plan.is_open:
                by_user[plan.caseworker.username] += 1  # type: ignore[union-attr]

        def cases(user: User) -> str:
            return f"{by_user.get(user.username, 0)} open cases"

        demo_team_name = str(demo_staff.team)
        self.logins = [
            Login(
                "sagsbehandler",
                "Caseworker",
                f"pilot, {demo_team_name}, {cases(self.demo_caseworker)}",
            ),
            Login("teamleder", "Team leader", f"pilot, {demo_team_name}"),
            Login("sagsbehandler2", "Caseworker", f"not pilot, {busy.team}, {cases(busy)}"),
            Login("psykolog", "PPR psychologist", demo_team_name),
            Login("sundhedsplejerske", "Health visitor", demo_team_name),
            Login("analytiker", "Analyst", "no team"),
            Login("admin", "Administrator", "superuser"),
        ]
        per_team = ", ".join(
            f"{t.name.removeprefix('Distriktsteam ')} {len(self.staffing[t.pk].caseworkers)}"
            for t in self.teams
        )
        self.phase(f"Staff: {len(users)} users; caseworkers per team: {per_team}")

    def team_of(self, district: District) -> Team:
        return next(t for t in self.teams if t.pk == district.team_id)

    # ---- rows (pass 2) ---------------------------------------------------------------------

    def owner(self, plan: CasePlan, day: date) -> tuple[User, TeamStaff]:
        """Who held the case on `day`, and that team's staff."""
        assert plan.caseworker and plan.first_caseworker and plan.team
        if plan.transfer and day < plan.transfer[2]:
            return plan.first_caseworker, self.staffing[plan.transfer[0].team_id]
        if plan.reassigned_on and day < plan.reassigned_on:
            return plan.first_caseworker, self.staffing[plan.team.pk]
        return plan.caseworker, self.staffing[plan.team.pk]

    def before_today(self, moment: datetime) -> datetime:
        """Nothing in the history is timed today (it may still be early morning)."""
        return min(moment, self.midnight - timedelta(minutes=5))

    def timed(self, day: date, first_hour: int = 8, last_hour: int = 15) -> datetime:
        return self.at(day, self.rng.randint(first_hour, last_hour), self.rng.randint(0, 59))

    def intervention(self, step: int, age: int) -> Intervention:
        """An offer of `step` (or the nearest step that has one) for a child of `age`.

        First the kind (not a placement, or a placement type) by KIND_MIX, then any offer of
        that kind whose target ages include the child's age (DEMO_AGES where the catalogue gives
        none). Kinds with no offer for the age are skipped; if none is left, the age is ignored.
        """
        for candidate in sorted(range(6), key=lambda s: (abs(s - step), -s)):
            if not (kinds := self.interventions.get(candidate)):
                continue
            fitting = {k: [i for i in offers if fits(i, age)] for k, offers in kinds.items()}
            fitting = {k: offers for k, offers in fitting.items() if offers} or kinds
            mix = KIND_MIX.get(candidate, {})
            names = sorted(fitting)
            kind = self.rng.choices(names, weights=[mix.get(k, 1) for k in names])[0]
            return self.rng.choice(fitting[kind])
        raise LookupError("The catalogue has no interventions; run the migrations first.")

    def cost(self, step: int) -> Decimal:
        low, high = DAILY_COST[step]
        return Decimal(self.rng.randint(low * 4, high * 4)) / 4

    def notification(
        self,
        child: Child,
        case: Case | None,
        received: datetime,
        *,
        registrar: User,
        assessors: list[User],
        unassessed: bool | None = None,
    ) -> Notification:
        rng = self.rng
        age_days = (self.today - received.date()).days  # 1: yesterday
        if unassessed is None:
            chance = 0.5 if age_days <= 1 else 0.15 if age_days <= 5 else 0.0
            unassessed = rng.random() < chance
        if child.age_on(received.date()) < 1:
            source = self.weighted([(Notification.Source.HEALTH_VISITOR, 60), *SOURCES[3:]])
        else:
            source = self.weighted(SOURCES)
        n = Notification(
            child=child,
            case=case,
            received_at=received,
            source=source,
            content=rng.choice(CONCERNS),
            registered_by=registrar,
            registered_at=self.before_today(received + timedelta(minutes=rng.randint(5, 90))),
            assessment_deadline=self.deadline(DeadlineRule.Key.NOTIFICATION_ASSESSMENT, received),
        )
        if not unassessed:
            late = rng.random() < 0.07
            delay = rng.randint(25 * 60, 60 * 60) if late else rng.randint(15, 20 * 60)
            n.assessed_at = self.before_today(received + timedelta(minutes=delay))
            n.assessed_by = rng.choice(assessors)
            n.urgent_action = rng.random() < 0.08
            n.assessment_note = ASSESSMENTS[2] if n.urgent_action else rng.choice(ASSESSMENTS)
        return n

    def caseload_index(self) -> Callable[[User, date], int]:
        opened: dict[int, list[date]] = defaultdict(list)
        closed: dict[int, list[date]] = defaultdict(list)
        for plan in self.plans:
            worker = plan.caseworker.pk  # type: ignore[union-attr]
            opened[worker].append(plan.opened)
            if plan.closed:
                closed[worker].append(plan.closed)
        for lists in (opened, closed):
            for values in lists.values():
                values.sort()

        def load(user: User, day: date) -> int:
            return bisect_right(opened[user.pk], day - days(1)) - bisect_right(closed[user.pk], day)

        return load

    def rows(self) -> None:
        rng = self.rng
        self.save(Child, self.children)
        cases = []
        for plan in self.plans:
            plan.case = Case(  # type: ignore[attr-defined]
                child=plan.child,
                team=plan.team,
                caseworker=plan.caseworker,
                status=plan.status(),
                opened_on=plan.opened,
                closed_on=plan.closed,
                closure_reason=plan.reason,
                closure_note="Afsluttet efter aftale med familien." if plan.closed else "",
            )
            cases.append(plan.case)  # type: ignore[attr-defined]
        self.save(Case, cases)
        self.phase(f"Children and cases: {len(self.children)} children, {len(cases)} cases")

        load = self.caseload_index()
        notifications: list[Notification] = []
        assignments: list[CaseAssignment] = []
        notices: list[Notice] = []
        transfers: list[Transfer] = []
        for plan in self.plans:
            case: Case = plan.case  # type: ignore[attr-defined]
            end = plan.closed or self.last
            span = (end - plan.opened).days
            # The first notification opened the case; more may come while it is open.
            times = [self.timed(plan.opened, 7, 20)]
            for _n in range(self.weighted([(0, 45), (1, 30), (2, 15), (3, 10)])):
                if span >= 2:
                    times.append(self.timed(plan.opened + days(rng.randint(1, span)), 7, 21))
            if plan.is_open and rng.random() < 0.04:
                recent = self.last - days(rng.randint(0, 4))
                if recent > plan.opened:
                    times.append(self.timed(recent, 7, 21))
            for received in sorted(times):
                worker, staff = self.owner(plan, received.date())
                n = self.notification(
                    plan.child,
                    case,
                    received,
                    registrar=rng.choice([worker, staff.leader]),
                    assessors=[worker, staff.leader],
                )
                notifications.append(n)
                if n.assessed_at is None and plan.is_open:
                    notices.append(
                        Notice(
                            recipient=plan.caseworker,
                            created_at=n.registered_at,
                            text=_("New notification in your case"),
                            case=case,
                        )
                    )
            # Assignments: the first, a change of caseworker, the receiving team's caseworker.
            first_worker, first_staff = self.owner(plan, plan.opened)
            events = [(plan.opened, first_worker, first_staff, times[0] + timedelta(hours=1))]
            if plan.reassigned_on:
                staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
                moment = self.timed(plan.reassigned_on)
                assert plan.caseworker is not None  # a reassigned case has its new caseworker
                events.append((plan.reassigned_on, plan.caseworker, staff, moment))
            if plan.transfer:
                origin, requested, completed = plan.transfer
                staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
                completed_at = self.timed(completed, 9, 15)
                assert plan.caseworker is not None  # so has a transferred one
                events.append((completed, plan.caseworker, staff, completed_at))
                transfers.append(
                    Transfer(
                        case=case,
                        from_team=first_staff.team,
                        to_district=plan.child.district,
                        to_team=plan.team,
                        receiving_team_leader=staff.leader,
                        handover_meeting_on=completed + days(rng.randint(0, 7)),
                        requested_by=first_worker,
                        requested_at=self.timed(requested),
                        new_caseworker=plan.caseworker,
                        completed_at=completed_at,
                    )
                )
            for day, worker, staff, moment in events:
                workers = sorted(staff.caseworkers, key=lambda u: (u.first_name, u.last_name, u.pk))
                loads = {w: load(w, day) for w in workers}
                suggested = min(workers, key=lambda w: loads[w])
                assignments.append(
                    CaseAssignment(
                        case=case,
                        caseworker=worker,
                        assigned_by=staff.leader,
                        assigned_at=self.before_today(
                            moment + timedelta(minutes=rng.randint(0, 1500))
                        ),
                        caseload_at_assignment=loads[worker],
                        was_suggested=worker == suggested,
                    )
                )
            if plan.is_open and (self.today - plan.opened).days <= 14:
                notices.append(
                    Notice(
                        recipient=plan.caseworker,
                        created_at=assignments[-1].assigned_at,
                        text=_("A new case has been assigned to you"),
                        case=case,
                    )
                )
        # New children waiting in the team leaders' queues; the oldest is overdue.
        for i, child in enumerate(self.queue_children):
            staff = self.staffing[child.district.team_id]
            received = self.timed(self.last - days(2 if i == 0 else rng.randint(0, 5)), 7, 21)
            n = self.notification(
                child,
                None,
                received,
                registrar=rng.choice(staff.caseworkers),
                assessors=[staff.leader],
                unassessed=True if i == 0 else None,
            )
            notifications.append(n)
            notices.append(
                Notice(
                    recipient=staff.leader,
                    created_at=n.registered_at,
                    text=_("New notification awaiting assignment"),
                )
            )
        self.save(Notification, notifications)
        self.save(CaseAssignment, assignments)
        self.save(Transfer, transfers)
        self.save(Notice, notices)
        overdue = sum(
            1
            for n in notifications
            if n.assessed_at is None and n.assessment_deadline < self.midnight
        )
        self.phase(
            f"Notifications: {len(notifications)} ({overdue} unassessed past the deadline), "
            f"{len(assignments)} assignments, {len(transfers)} transfers"
        )
        self.case_work()

    def early_steps(self, plan: CasePlan, until: date) -> list[EarlyStep]:
        rng = self.rng
        case: Case = plan.case  # type: ignore[attr-defined]
        if plan.kind == "measures":
            count = rng.randint(0, 2) if plan.pilot else rng.randint(0, 1)
        else:
            count = rng.randint(1, 5) if plan.pilot else rng.randint(0, 2)
        out: list[EarlyStep] = []
        talks_done = False
        for _n in range(count):
            day = self.day_in(plan.opened, max(plan.opened, until))
            worker, staff = self.owner(plan, day)
            age = plan.child.age_on(day)
            kind = self.weighted(
                [
                    (EarlyStep.Kind.NETWORK_MEETING, 30),
                    (EarlyStep.Kind.PSYCHOLOGIST_TALK, 0 if talks_done else 25),
                    (EarlyStep.Kind.JOINT_HOME_VISIT, 15 if age < 3 else 0),
                    (EarlyStep.Kind.NEEDS_VISIT, 15 if age < 6 else 0),
                    (EarlyStep.Kind.EARLY_SUPPORT, 25),
                ]
            )
            P = StepProfession
            if kind == EarlyStep.Kind.PSYCHOLOGIST_TALK:
                talks_done = True
                for number in range(1, rng.randint(1, 5) + 1):
                    if day > (plan.closed or self.last):
                        break
                    professions = [P.PSYCHOLOGIST] + ([P.CASEWORKER] if number == 1 else [])
                    out.append(
                        EarlyStep(
                            case=case,
                            kind=kind,
                            held_on=day,
                            professions=[str(p) for p in professions],
                            talk_number=number,
                            note=EARLY_NOTES[kind],
                            recorded_by=staff.psychologist,
                        )
                    )
                    day += days(rng.randint(7, 14))
                continue
            recorder = worker
            if kind == EarlyStep.Kind.NETWORK_MEETING:
                professions = [P.CASEWORKER, P.SCHOOL]
                if rng.random() < 0.5:
                    professions.append(P.PSYCHOLOGIST)
                if age < 6 and rng.random() < 0.5:
                    professions.append(P.HEALTH_VISITOR)
            elif kind == EarlyStep.Kind.JOINT_HOME_VISIT:
                professions = [P.CASEWORKER, P.HEALTH_VISITOR]
            elif kind == EarlyStep.Kind.NEEDS_VISIT:
                professions, recorder = [P.HEALTH_VISITOR], staff.health_visitor
            else:
                professions = [P.CASEWORKER, P.FAMILY_CENTRE]
            out.append(
                EarlyStep(
                    case=case,
                    kind=kind,
                    held_on=day,
                    professions=[str(p) for p in professions],
                    note=EARLY_NOTES[kind],
                    recorded_by=recorder,
                )
            )
        return out

    def case_work(self) -> None:
        rng = self.rng
        early: list[EarlyStep] = []
        investigations: list[ChildInvestigation] = []
        network: list[NetworkMapEntry] = []
        journal: list[JournalEntry] = []
        episodes: list[Episode] = []
        plans: list[ActionPlan] = []
        revisions: list[ActionPlanRevision] = []
        goals: list[Goal] = []
        for plan in self.plans:
            case: Case = plan.case  # type: ignore[attr-defined]
            end = plan.closed or self.last
            starts = [e.start for e in plan.episodes]
            until = min([end, *starts, *([plan.inv_start] if plan.inv_start else [])])
            early += self.early_steps(plan, until)
            # Journal: notes through the case, a child conversation during the investigation,
            # a hearing of the child before the first measure from step 2.
            moments: list[tuple[date, str]] = []
            for _n in range(rng.randint(1, min(8, 1 + (end - plan.opened).days // 60))):
                heading = self.weighted(JOURNAL_WEIGHTS.items())
                moments.append((self.day_in(plan.opened, end), heading))
            if plan.inv_start:
                inv_end = plan.inv_done or self.last
                moments.append(
                    (self.day_in(plan.inv_start, inv_end), JournalEntry.Heading.CHILD_CONVERSATION)
                )
            bigger = [e.start for e in plan.episodes if e.step >= 2]
            if bigger:
                hearing = max(plan.opened, min(bigger) - days(rng.randint(1, 14)))
                moments.append((hearing, JournalEntry.Heading.CHILD_HEARING))
            for day, heading in moments:
                journal.append(
                    JournalEntry(
                        case=case,
                        author=self.owner(plan, day)[0],
                        written_at=self.timed(day),
                        heading=heading,
                        text=rng.choice(JOURNAL_TEXTS[JournalEntry.Heading(heading)]),
                    )
                )
            if plan.inv_start:
                worker = self.owner(plan, plan.inv_start)[0]
                support = plan.kind == "measures"
                inv = ChildInvestigation(
                    case=case,
                    started_on=plan.inv_start,
                    deadline=plan.inv_deadline,
                    completed_on=plan.inv_done,
                    conclusion=rng.choice(CONCLUSIONS_SUPPORT if support else CONCLUSIONS_NONE)
                    if plan.inv_done
                    else "",
                    started_by=worker,
                )
                investigations.append(inv)
                size = rng.randint(2, 5) if plan.inv_done else rng.randint(0, 2)
                for relation, label, kind in rng.sample(NETWORK, size):
                    family = kind == "concern" or relation in {"Mor", "Far", "Moster"}
                    surname = plan.child.last_name if family else rng.choice(LAST_NAMES)
                    network.append(
                        NetworkMapEntry(
                            investigation=inv,
                            person=f"{rng.choice(ADULTS)} {surname}",
                            relation=label,
                            kind=kind,
                            contact="" if rng.random() < 0.5 else "Kontakt via rådgiveren",
                        )
                    )
            for ep in plan.episodes:
                intervention = self.intervention(ep.step, plan.child.age_on(ep.start))
                episodes.append(
                    Episode(
                        child=plan.child,
                        case=case,
                        intervention=intervention,
                        start_on=ep.start,
                        end_on=ep.end,
                        end_reason=ep.reason if ep.end else "",
                        provider=intervention.provider,
                        daily_cost=self.cost(ep.step),
                        created_by=self.owner(plan, ep.start)[0],
                    )
                )
            if plan.kind == "measures" and plan.episodes and plan.inv_done:
                action_plan = ActionPlan(case=case)
                plans.append(action_plan)
                day = max(plan.inv_done, min(starts) - days(rng.randint(0, 7)))
                number = 0
                while day <= end and number < 3:
                    number += 1
                    revision = ActionPlanRevision(
                        plan=action_plan,
                        number=number,
                        purpose=rng.choice(PURPOSES),
                        author=self.owner(plan, day)[0],
                        created_at=self.timed(day),
                    )
                    revisions.append(revision)
                    for goal, who, sign in rng.sample(GOALS, rng.randint(1, 3)):
                        goals.append(
                            Goal(
                                revision=revision,
                                goal=goal,
                                who=who,
                                progress_sign=sign,
                                due_on=day + days(rng.randint(90, 365)),
                            )
                        )
                    day += days(rng.randint(150, 250))
        self.save(EarlyStep, early)
        self.save(JournalEntry, journal)
        self.save(ChildInvestigation, investigations)
        self.save(NetworkMapEntry, network)
        self.phase(
            f"Case work: {len(early)} early steps, {len(journal)} journal entries, "
            f"{len(investigations)} child investigations"
        )
        self.save(ActionPlan, plans)
        self.save(ActionPlanRevision, revisions)
        self.save(Goal, goals)
        self.save(Episode, episodes)
        on_steps: dict[int, int] = defaultdict(int)
        for row in episodes:
            on_steps[row.intervention.step_id] += 1
        per_step = ", ".join(f"step {s}: {on_steps[s]}" for s in sorted(on_steps))
        self.phase(
            f"Action plans: {len(plans)} with {len(revisions)} revisions; "
            f"measures: {len(episodes)} ({per_step})"
        )

    def build(self) -> DemoResult:
        self.organisation()
        self.plan()
        self.staff()
        self.rows()
        return DemoResult(
            logins=self.logins,
            caseworker=self.demo_caseworker,
            team_leader=self.demo_leader,
            counts=self.counts,
            seconds=time.perf_counter() - self.started,
        )


def build(
    *,
    children: int = DEFAULT_CHILDREN,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    log: Log | None = None,
    history: bool = False,
) -> DemoResult:
    """Build the demo municipality into an empty organisation (see `wipe`). Not atomic.

    With `history`, also the 2012-2016 history calibrated to KORA's evaluation
    (docs/calibration.md), in historical teams of the same districts."""
    day = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        result = Builder(children=children, seed=seed, today=day, log=log or _quiet).build()
        demo_staircase.build(seed=seed, today=day, log=log or _quiet)
        demo_followups.build(seed=seed, today=day, log=log or _quiet)
        demo_law.build(seed=seed, today=day, log=log or _quiet)  # F8: Barnets Lov's duties
        demo_goals.build(seed=seed, today=day, log=log or _quiet)  # F9.3-4: areas, goal ratings
        # Before the meetings: they link the "skole" login to a school.
        leader_team = result.team_leader.team
        assert leader_team is not None  # the demo's team leader leads a team
        extra = demo_access.build(
            seed=seed,
            today=day,
            log=log or _quiet,
            demo_team=leader_team,
            password_hash=result.team_leader.password,
        )
        result.logins += [Login(*login) for login in extra]
        demo_meetings.build(seed=seed, today=day, log=log or _quiet)
        demo_network.build(seed=seed, today=day, log=log or _quiet)
        demo_quality.build(seed=seed, today=day, log=log or _quiet)  # F8.8: complaints, handover
        demo_after_meetings.build(seed=seed, today=day, log=log or _quiet)  # F8: calls, rulings
        demo_business.build(seed=seed, today=day, log=log or _quiet)  # F13: table 2.4's plan
        demo_sdq.build(seed=seed, today=day, log=log or _quiet)  # F9: SDQs of children in care
        demo_intake.build(seed=seed, today=day, log=log or _quiet)  # F8 point 4: intake
        if history:
            kora_load.load(
                seed=seed,
                districts={"pilot": PILOT_DISTRICTS, "other": OTHER_DISTRICTS},
                names=kora_load.Names(GIRLS, BOYS, LAST_NAMES),
                log=log or _quiet,
            )
        return result


def _quiet(_text: str) -> None:
    pass


def wiped_models() -> list[type[models.Model]]:
    """Every model with case, organisation or user data, referencing models first.

    That is every model of the product's apps except the tables migrations load (KEEP_APPS),
    plus sessions and the admin log, which point at users.
    """
    todo = [
        m
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("trappen.")
        and m._meta.app_label not in KEEP_APPS
        and m._meta.label_lower not in KEEP_MODELS
    ] + [Session, LogEntry]
    ordered: list[type[models.Model]] = []
    while todo:
        free = [
            m
            for m in todo
            if not any(
                f.related_model is m
                for other in todo
                if other is not m
                for f in other._meta.concrete_fields
                if f.is_relation
            )
        ]
        batch = free or todo[:1]  # a cycle: its cascades or protections decide
        ordered += batch
        todo = [m for m in todo if m not in batch]
    return ordered


def wipe(log: Log | None = None) -> None:
    """Delete all case data, the organisation and every user; keep catalogue and rules."""
    started = time.perf_counter()
    deleted = 0
    for model in wiped_models():
        deleted += model._base_manager.all().delete()[0]
    (log or _quiet)(f"  Wiped {deleted} rows ({time.perf_counter() - started:.1f} s)")
