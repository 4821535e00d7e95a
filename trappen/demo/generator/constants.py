"""The demo's size and seed, and the shape of its history: durations, costs, trajectories."""

from collections.abc import Callable

from trappen.catalogue.models import Intervention

DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 1000
PASSWORD = "demo-2026"
HISTORY_DAYS = 3 * 365
PILOT_TARGET_LOAD = 22  # open cases per pilot caseworker (the cap is 25)
OTHER_TARGET_LOAD = 42  # the other teams: fewer caseworkers, some above the cap

Log = Callable[[str], None]


def quiet(_text: str) -> None:
    pass


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
