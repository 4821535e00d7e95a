"""Demo: the business case's plan as Herning entered it (KORA table 2.4, 2013 prices): the
investment of 2.75 mio. kr. a year (four extra caseworkers and a team leader, 2.0 mio.; extra
PPR psychologists and health visitors, about 0.75 mio., the text below the table) and the
expected savings on placements of 1.0, 2.0, 3.0 and 4.5 mio. kr. in 2013-2016; entered by the
demo's analyst. The realised figures come from the demo's own history (the key figures)."""

from datetime import date
from decimal import Decimal
from typing import Any

from trappen.organisation.models import Profession, User
from trappen.simulation.models import PlanYear

NOTE = "KORA 2017, tabel 2.4 (2013-priser)"
PLAN = {2013: 1_000_000, 2014: 2_000_000, 2015: 3_000_000, 2016: 4_500_000}
INVESTMENT = 2_000_000 + 750_000


def build(seed: int, today: date, log: Any) -> None:
    analyst = User.objects.filter(profession=Profession.ANALYST).order_by("pk").first()
    if analyst is None:
        return
    for year, saving in PLAN.items():
        PlanYear.objects.create(
            year=year,
            investment=Decimal(INVESTMENT),
            expected_saving=Decimal(saving),
            note=NOTE,
            entered_by=analyst,
        )
    log(f"  Business case: the plan of KORA table 2.4 for {min(PLAN)}-{max(PLAN)}")
