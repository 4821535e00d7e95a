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

One module per phase, each a part of the `Builder` (builder.py) over the shared state and
helpers of base.py: organisation.py, planning.py (pass 1), staffing.py, cases.py and
casework.py (pass 2); names.py, texts.py and constants.py hold the fictitious names, the Danish
texts and the history's shape; wipe.py empties the database first. The topic modules beside
this package (trappen/demo/<topic>.py) add each feature's rows after it, in `build`.

All names are fictitious. Nothing here is real case data.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone, translation

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

from .builder import Builder
from .constants import DAILY_COST, DEFAULT_CHILDREN, DEFAULT_SEED, PASSWORD, Log, quiet
from .names import BOYS, GIRLS, LAST_NAMES, OTHER_DISTRICTS, PILOT_DISTRICTS
from .plans import DemoResult, Login
from .wipe import wipe, wiped_models


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
        result = Builder(children=children, seed=seed, today=day, log=log or quiet).build()
        demo_staircase.build(seed=seed, today=day, log=log or quiet)
        demo_followups.build(seed=seed, today=day, log=log or quiet)
        demo_law.build(seed=seed, today=day, log=log or quiet)  # F8: Barnets Lov's duties
        demo_goals.build(seed=seed, today=day, log=log or quiet)  # F9.3-4: areas, goal ratings
        # Before the meetings: they link the "skole" login to a school.
        leader_team = result.team_leader.team
        assert leader_team is not None  # the demo's team leader leads a team
        extra = demo_access.build(
            seed=seed,
            today=day,
            log=log or quiet,
            demo_team=leader_team,
            password_hash=result.team_leader.password,
        )
        result.logins += [Login(*login) for login in extra]
        demo_meetings.build(seed=seed, today=day, log=log or quiet)
        demo_network.build(seed=seed, today=day, log=log or quiet)
        demo_quality.build(seed=seed, today=day, log=log or quiet)  # F8.8: complaints, handover
        demo_after_meetings.build(seed=seed, today=day, log=log or quiet)  # F8: calls, rulings
        demo_business.build(seed=seed, today=day, log=log or quiet)  # F13: table 2.4's plan
        demo_sdq.build(seed=seed, today=day, log=log or quiet)  # F9: SDQs of children in care
        demo_intake.build(seed=seed, today=day, log=log or quiet)  # F8 point 4: intake
        if history:
            kora_load.load(
                seed=seed,
                districts={"pilot": PILOT_DISTRICTS, "other": OTHER_DISTRICTS},
                names=kora_load.Names(GIRLS, BOYS, LAST_NAMES),
                log=log or quiet,
            )
        return result


__all__ = [
    "DAILY_COST",
    "DEFAULT_CHILDREN",
    "DEFAULT_SEED",
    "OTHER_DISTRICTS",
    "PASSWORD",
    "PILOT_DISTRICTS",
    "DemoResult",
    "Login",
    "build",
    "wipe",
    "wiped_models",
]
