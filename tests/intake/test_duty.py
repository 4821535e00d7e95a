"""F8 point 4: a duty roster (vagt) per team; a new notification's 24-hour assessment
(Barnets Lov § 136) is offered to the caseworker on duty, the team leader alerted as before."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from trappen.intake import duty, services
from trappen.intake.models import DutyShift, Notification
from trappen.notices.models import Notice


def now_shift(org, worker, hours=8):
    start = timezone.now() - timedelta(hours=1)
    return DutyShift.objects.create(
        team=worker.team, caseworker=worker, starts_at=start,
        ends_at=start + timedelta(hours=hours), created_by=org.leader,
    )  # fmt: skip


def register(org, cpr="0202201234"):
    return services.register(
        cpr=cpr, first_name="Ny", last_name="Barn", district=org.d_north,
        received_at=timezone.now() - timedelta(minutes=5), source="police",
        content="Politiet ringede", by=org.leader,
        notifier=services.Notifier("Betjent", phone="114"),
    )  # fmt: skip


def test_a_new_notification_is_offered_to_the_one_on_duty_and_the_leader_still_alerted(org):
    now_shift(org, org.cw2)
    n = register(org)
    assert n.offered_to == org.cw2
    text = gettext("You are on duty: a new notification awaits its 24-hour assessment")
    assert Notice.objects.filter(recipient=org.cw2, text=text).exists()
    assert Notice.objects.filter(recipient=org.leader).exists()  # alerted as today


def test_with_nobody_on_duty_nothing_is_offered(org):
    assert register(org).offered_to is None


def test_another_teams_roster_does_not_count(org):
    now_shift(org, org.cw_south)
    assert register(org).offered_to is None


def test_what_is_offered_to_me_comes_first_on_my_overview(org):
    other = register(org, cpr="0303201234")  # before the shift: offered to nobody
    now_shift(org, org.cw2)
    mine = register(org)
    page = org.client(org.cw2).get(reverse("dashboards:my_home"))
    listed = [n.pk for n in page.context["unassessed"]]
    assert listed.index(mine.pk) < listed.index(other.pk)


def test_the_team_leader_plans_shifts_and_a_night_shift_runs_into_the_next_day(org):
    day = timezone.localdate() + timedelta(days=1)
    night = duty.add_shift(
        org.north, caseworker=org.cw1, day=day, start=time(16), end=time(8), by=org.leader
    )
    assert timezone.localtime(night.ends_at).date() == day + timedelta(days=1)
    with pytest.raises(ValidationError):  # the same person twice at once
        duty.add_shift(
            org.north, caseworker=org.cw1, day=day, start=time(20), end=time(22), by=org.leader
        )
    with pytest.raises(ValidationError):  # only the team's own caseworkers
        duty.add_shift(
            org.north, caseworker=org.cw_south, day=day, start=time(8), end=time(16),
            by=org.leader,
        )  # fmt: skip


def test_the_week_view_shows_the_roster_and_only_the_leader_may_change_it(org):
    shift = now_shift(org, org.cw2)
    url = reverse("intake:duty")
    page = org.client(org.cw1).get(url)
    assert page.status_code == 200 and str(org.cw2) in page.content.decode()
    assert page.context["form"] is None
    data = {"caseworker": org.cw1.pk, "day": timezone.localdate().isoformat(),
            "start": "08:00", "end": "16:00"}  # fmt: skip
    assert org.client(org.cw1).post(url, data).status_code == 403
    assert (
        org.client(org.cw1).post(reverse("intake:duty_remove", args=[shift.pk])).status_code == 403
    )
    assert org.client(org.leader_south).get(url).context["days"]  # their own team's week
    assert str(org.cw2) not in org.client(org.leader_south).get(url).content.decode()
    response = org.client(org.leader).post(url, data)
    assert response.status_code == 302
    assert DutyShift.objects.filter(caseworker=org.cw1).exists()
    org.client(org.leader).post(reverse("intake:duty_remove", args=[shift.pk]))
    assert not DutyShift.objects.filter(pk=shift.pk).exists()


def test_a_refused_shift_keeps_what_was_typed(org):
    data = {"caseworker": org.cw1.pk, "day": timezone.localdate().isoformat(),
            "start": "08:00", "end": "08:00"}  # fmt: skip
    response = org.client(org.leader).post(reverse("intake:duty"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["end"]
    assert not DutyShift.objects.exists()


def test_the_notification_page_names_the_one_on_duty(org):
    now_shift(org, org.cw2)
    n = register(org)
    page = org.client(org.leader).get(reverse("intake:notification", args=[n.pk]))
    assert str(org.cw2) in page.content.decode()
    assert Notification.objects.get(pk=n.pk).offered_to == org.cw2
