"""Follow-ups on time, as one share: of the model's follow-up points already due on today's
active measures, those held on time (the due lists' `Tally.model_compliance`), in total and per
district group. The programme's target reads it (evaluation/targets.py)."""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet

from trappen.cases.models import Case

from .due_columns import EpisodeSummary
from .duelist import Tally, list_episodes, summary_rows
from .schedule import Rules


def on_time(cases: QuerySet[Case], today: date) -> tuple[float | None, dict[str, float | None]]:
    """The share for `cases` (a queryset the policy gave), and per district group's name."""
    episodes = list_episodes(cases, today).select_related("case__child__district__group")
    total = Tally()
    groups: dict[str, Tally] = defaultdict(Tally)
    for row in summary_rows(episodes, today, Rules.load()):
        assert isinstance(row.plans, EpisodeSummary)
        total.add(row.plans)
        groups[row.case.child.district.group.name].add(row.plans)
    return total.model_compliance, {name: t.model_compliance for name, t in groups.items()}
