"""One truth about a case's deadlines (F10 point 5): the open deadlines of cases gathered
in one place, for the case page, "Mit overblik" (its "Næste frist") and the lists.

What is gathered: the 24-hour assessments of unassessed notifications and the child
investigations' deadlines (trappen.cases.overview.deadlines, from the case's prefetched or
cached rows), and every active measure's next follow-up by the model or the law, from the
due lists' planning (trappen.followups.duelist rows: the same dates as "Mine
opfølgninger" and the case page's follow-up panel, so no page plans them a second time).
Each list is sorted soonest first; an overdue one is marked by `Deadline.is_overdue()`."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.cases.overview import Deadline, deadlines


def open_deadlines(cases: Iterable[Case], due_rows: Iterable[Any]) -> dict[int, list[Deadline]]:
    """Per case pk: its open deadlines, soonest first. `cases`: the cases shown (their
    notifications and investigations prefetched); `due_rows`: their measures' follow-up
    plans as the page already has them (followups.duelist.DueRow: the panel's rows,
    `duelist.for_caseworker()`; handed in, so casefile imports no follow-up module)."""
    out: dict[int, list[Deadline]] = {case.pk: deadlines(case) for case in cases}
    for row in due_rows:
        due = row.plans.next_due
        if due is None or row.case.pk not in out:
            continue
        label = _("Follow-up: %(measure)s") % {"measure": row.episode.intervention}
        out[row.case.pk].append(Deadline(due, label))
    for found in out.values():
        found.sort(key=lambda d: d.sort_key)
    return out
