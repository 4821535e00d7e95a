"""The duty roster (vagt) per team: who takes the 24-hour assessment (Barnets Lov § 136) of
a new notification. The team leader plans the shifts; a new notification is offered to the
caseworker on duty when it is registered (trappen.core.intake.on_duty), and the team leader
is alerted as before (docs/case-flow.md)."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.core import intake as intake_rules
from trappen.organisation.models import Team, User

from .models import DutyShift


def _shift(row: DutyShift) -> intake_rules.Shift:
    return intake_rules.Shift(row.starts_at, row.ends_at, row.caseworker_id, row.pk)


def on_duty(team: Team | None, moment: datetime) -> User | None:
    """The active caseworker on duty in `team` at `moment`, or None."""
    if team is None:
        return None
    rows = DutyShift.objects.filter(
        team=team, starts_at__lte=moment, ends_at__gt=moment, caseworker__is_active=True
    ).order_by("starts_at", "pk")
    worker = intake_rules.on_duty([_shift(r) for r in rows], moment)
    return User.objects.filter(pk=worker).first() if worker else None


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def shifts_in_week(team: Team, monday: date) -> QuerySet[DutyShift]:
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    return (
        DutyShift.objects.filter(team=team, starts_at__lt=end, ends_at__gt=start)
        .select_related("caseworker")
        .order_by("starts_at", "pk")
    )


def week_days(team: Team, monday: date) -> list[tuple[date, list[DutyShift]]]:
    """The seven days from `monday`, each with the shifts that touch it."""
    shifts = list(shifts_in_week(team, monday))
    out = []
    for n in range(7):
        day = monday + timedelta(days=n)
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = start + timedelta(days=1)
        out.append((day, [s for s in shifts if s.starts_at < end and s.ends_at > start]))
    return out


@transaction.atomic
def add_shift(
    team: Team, *, caseworker: User, day: date, start: time, end: time, by: User
) -> DutyShift:
    """A shift from `start` to `end` on `day` (an end at or before the start runs into the
    next day, e.g. 16:00-08:00)."""
    staff = team.caseworkers().union(team.leaders()).values_list("pk", flat=True)
    if caseworker.pk not in set(staff):
        raise ValidationError(
            {
                "caseworker": _("Only a caseworker of the team (%(team)s) can be on duty.")
                % {"team": team.name}
            }
        )
    starts_at = timezone.make_aware(datetime.combine(day, start))
    ends_day = day if end > start else day + timedelta(days=1)
    ends_at = timezone.make_aware(datetime.combine(ends_day, end))
    new = intake_rules.Shift(starts_at, ends_at, caseworker.pk)
    own = DutyShift.objects.filter(team=team, caseworker=caseworker, starts_at__lt=ends_at)
    if any(intake_rules.overlaps(new, _shift(s)) for s in own.filter(ends_at__gt=starts_at)):
        raise ValidationError(
            {"start": _("%(name)s is already on duty then.") % {"name": caseworker}}
        )
    return DutyShift.objects.create(
        team=team, caseworker=caseworker, starts_at=starts_at, ends_at=ends_at, created_by=by
    )


@transaction.atomic
def remove_shift(shift: DutyShift) -> None:
    shift.delete()
