"""What a team leader's exception changed in the model's rhythm (F10 point 6 a).

An exception makes a phone or mail follow-up count for the model while it is active
(`core.followup_schedule.model_counts`). Its effect is the model's next due date planned with
it and as if it had never been approved: the same planning as the case page's deadlines
(`schedule.plans_for`), once more with the exception left out. No query beyond the plans'
rows already read."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trappen.core.cadence import Due, State
from trappen.measures.models import Episode

from .models import FollowUp, FollowUpException
from .schedule import EpisodePlans, Rules, plans_for


@dataclass(frozen=True)
class RhythmChange:
    exception: FollowUpException
    before: Due | None  # the model's next due point without the exception
    after: Due | None  # with it

    @property
    def changed(self) -> bool:
        return _key(self.before) != _key(self.after)

    def describe(self) -> str:
        """One line in Danish: "Næste opfølgning efter modellen: 3. marts 2027 (overskredet) →
        3. juni 2027", or that it is unchanged and (unless withdrawn) what counts from now on."""
        if self.changed:
            return _("Next follow-up by the model: %(before)s → %(after)s") % {
                "before": _shown(self.before),
                "after": _shown(self.after),
            }
        if self.exception.withdrawn_on is not None:
            # Withdrawn: phone or mail follow-ups no longer count from now on.
            return _("Next follow-up by the model: %(due)s (unchanged).") % {
                "due": _shown(self.after)
            }
        return _(
            "Next follow-up by the model: %(due)s (unchanged so far). From %(day)s a follow-up "
            "by phone or mail also counts for the model."
        ) % {"due": _shown(self.after), "day": _day(self.exception.approved_on)}


def _key(due: Due | None) -> tuple[date, State] | None:
    return (due.due, due.state) if due else None


def _day(day: date) -> str:
    return date_format(day, "j. F Y")


def _shown(due: Due | None) -> str:
    if due is None:
        return _("none")
    if due.state is State.OVERDUE:
        return _("%(day)s (overdue)") % {"day": _day(due.due)}
    return _day(due.due)


def of_exceptions(
    plans: EpisodePlans, today: date, rules: Rules, follow_ups: list[FollowUp]
) -> list[RhythmChange]:
    """Each exception of the episode (prefetched) with what it changed; `plans`: the
    episode's plans with every exception, `follow_ups`: the ones they were planned from."""
    after = plans.model.next_due if plans.model else None
    out = []
    for exception in plans.episode.exceptions.all():
        without = plans_for(plans.episode, today, rules, follow_ups, leave_out=exception.pk)
        out.append(
            RhythmChange(exception, without.model.next_due if without.model else None, after)
        )
    return out


def of_exception(episode: Episode, exception: FollowUpException, today: date) -> RhythmChange:
    """What one exception just approved changed (the approval's confirmation)."""
    rules = Rules.load()
    follow_ups = list(episode.follow_ups.all())
    plans = plans_for(episode, today, rules, follow_ups)
    without = plans_for(episode, today, rules, follow_ups, leave_out=exception.pk)
    return RhythmChange(
        exception,
        without.model.next_due if without.model else None,
        plans.model.next_due if plans.model else None,
    )
