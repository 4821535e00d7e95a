"""Load the calibrated 2012-2016 history into Demo Kommune's database (used by `trappen demo`).

The history goes through the same importer as a municipality's own export; the demo then gives
its children fictitious names and CPR numbers, which the interchange format does not carry.
"""

import random
from collections.abc import Callable
from datetime import date

from django.db import transaction

from trappen.cases.models import Child
from trappen.core.cpr import century
from trappen.demo.kora import history

Log = Callable[[str], None]
HISTORY_SEED_OFFSET = 13  # the history's own random stream, derived from the demo's seed


@transaction.atomic
def load(*, seed: int, districts: dict[str, list[str]], names: "Names", log: Log) -> int:
    """Import the history; returns the number of children it added."""
    from trappen.interchange.services import import_dataset

    dataset = history.build(seed + HISTORY_SEED_OFFSET, districts)
    log(
        f"History 2012-2016 (calibrated to KORA's evaluation): {dataset.children.height} "
        f"children, {dataset.episodes.height} measures, {dataset.followups.height} follow-ups …"
    )
    import_dataset(dataset, log=log)
    name_children(dataset.children["child_id"].to_list(), names, random.Random(seed))
    return dataset.children.height


class Names:
    """The demo's name lists (fictitious)."""

    def __init__(self, girls: list[str], boys: list[str], last: list[str]) -> None:
        self.girls, self.boys, self.last = girls, boys, last


def name_children(external_ids: list[str], names: Names, rng: random.Random) -> None:
    taken = {cpr for cpr in Child.objects.exclude(cpr=None).values_list("cpr", flat=True) if cpr}
    children = list(Child.objects.filter(external_id__in=external_ids))
    for child in children:
        male = child.sex == "male"
        child.first_name = rng.choice(names.boys if male else names.girls)
        child.last_name = rng.choice(names.last)
        child.cpr = fictitious_cpr(child.birth_date, male, taken, rng)
    Child.objects.bulk_update(children, ["first_name", "last_name", "cpr"], batch_size=1000)


def fictitious_cpr(born: date, male: bool, taken: set[str], rng: random.Random) -> str:
    yy = born.year % 100
    sevenths = [s for s in range(10) if century(yy, s) + yy == born.year]
    while True:
        serial = f"{rng.choice(sevenths)}{rng.randint(0, 99):02d}"
        number = f"{born:%d%m}{yy:02d}{serial}{rng.randrange(1 if male else 0, 10, 2)}"
        if number not in taken:
            taken.add(number)
            return number
