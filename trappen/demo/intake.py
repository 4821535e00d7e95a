"""The demo's intake as it happens (F8 point 4), laid over the live demo after the meetings.

- Real notifier organisations: a school and a day-care in every district, the health
  visitors and PPR; the demo's school contact, psychologist and health visitor work there.
  The earlier demo notifications from professionals name their organisation and a notifier.
- New notifications from yesterday: a day-care's (its pedagogue), the health visitor's and the
  school contact's (each with its receipt), an anonymous phone call, a mother's inquiry
  asking for help and the psychologist's request for a network meeting.
- A duty roster for every team: a caseworker on duty 08-16 on each weekday of this week and
  the next, in turn; the new notifications are offered to the one on duty.

Its own random stream (per seed); querysets in pk order, so a seed gives the same demo.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trappen.cases.models import Child
from trappen.core import notifiers
from trappen.intake import duty
from trappen.intake.models import DutyShift, Notification
from trappen.organisation.models import District, Municipality, Organisation, Team, User
from trappen.rules.models import DeadlineRule, deadline_for

NOTIFIERS = {
    "school": ("Lene Holm", "Klasselærer"),
    "day_care": ("Mette Skov", "Pædagog"),
    "health_visitor": ("Birthe Lund", "Sundhedsplejerske"),
    "ppr": ("Karsten Bach", "Psykolog"),
}
DAY_CARES = ["Solsikken", "Mælkebøtten", "Regnbuen", "Skovmusen", "Troldehøjen", "Spiren"]


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 71 + 4)
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        return
    places = _organisations(municipality)
    staff = _staff(places)
    named = _name_earlier(places)
    shifts = _rosters(today)
    new = _new(rng, today, places, staff)
    log(
        f"  Intake: {len(places)} organisations, {named} earlier notifiers named, "
        f"{shifts} duty shifts, {new} new notifications and inquiries"
    )


def _organisations(municipality: Municipality) -> dict[tuple[str, int | None], Organisation]:
    out: dict[tuple[str, int | None], Organisation] = {}
    for i, district in enumerate(District.objects.order_by("pk")):
        out[("school", district.pk)] = Organisation.objects.create(
            municipality=municipality, name=f"{district.name} Skole", kind="school",
            district=district, phone=f"96 28 {10 + i:02d} 00",
        )  # fmt: skip
        out[("day_care", district.pk)] = Organisation.objects.create(
            municipality=municipality,
            name=f"Børnehuset {DAY_CARES[i % len(DAY_CARES)]}, {district.name}",
            kind="day_care", district=district, phone=f"96 28 {10 + i:02d} 50",
        )  # fmt: skip
    out[("health_visitor", None)] = Organisation.objects.create(
        municipality=municipality, name="Sundhedsplejen", kind="health_visiting",
        phone="96 28 50 00",
    )  # fmt: skip
    out[("ppr", None)] = Organisation.objects.create(
        municipality=municipality, name="PPR, Pædagogisk Psykologisk Rådgivning", kind="ppr",
        phone="96 28 51 00",
    )  # fmt: skip
    return out


def _place(
    places: dict[tuple[str, int | None], Organisation], source: str, district: int | None
) -> Organisation | None:
    return places.get((source, district)) or places.get((source, None))


def _staff(places: dict[tuple[str, int | None], Organisation]) -> dict[str, User]:
    """The demo logins of the notifying professions, each at their organisation."""
    out: dict[str, User] = {}
    first_district = District.objects.order_by("pk").values_list("pk", flat=True).first()
    for username, source in (
        ("skole", "school"),
        ("psykolog", "ppr"),
        ("sundhedsplejerske", "health_visitor"),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        district = user.team.districts.order_by("pk").first() if user.team else None
        place = _place(places, source, district.pk if district else first_district or 0)
        user.organisation, user.job_title = place, NOTIFIERS[source][1]
        user.phone = "96 28 60 00"
        user.save(update_fields=["organisation", "job_title", "phone"])
        out[source] = user
    return out


def _name_earlier(places: dict[tuple[str, int | None], Organisation]) -> int:
    """The demo's earlier professional notifications name their organisation and notifier."""
    named = 0
    for source, (name, role) in NOTIFIERS.items():
        for district in District.objects.order_by("pk"):
            place = _place(places, source, district.pk)
            named += Notification.objects.filter(
                source=source, child__district=district, notifier_name=""
            ).update(
                notifier_organisation=place,
                notifier_name=name,
                notifier_role=role,
                notifier_phone=place.phone if place else "",
            )
    named += Notification.objects.filter(source="police", notifier_name="").update(
        notifier_organisation_name="Midt- og Vestjyllands Politi",
        notifier_name="Vagthavende",
        notifier_phone="114",
    )
    return named


def _rosters(today: date) -> int:
    """Every team: 08-16 on each weekday of this week and the next, the caseworkers in turn."""
    made = []
    monday = duty.week_of(today)
    for team in Team.objects.order_by("pk"):
        workers = list(team.caseworkers().order_by("pk"))
        leader = team.leaders().order_by("pk").first() or (workers[0] if workers else None)
        if not workers or leader is None:
            continue
        weekdays = [
            monday + timedelta(days=n)
            for n in range(14)
            if (monday + timedelta(days=n)).weekday() < 5
        ]
        for i, day in enumerate(weekdays):
            made.append(
                DutyShift(
                    team=team,
                    caseworker=workers[i % len(workers)],
                    starts_at=timezone.make_aware(datetime.combine(day, time(8))),
                    ends_at=timezone.make_aware(datetime.combine(day, time(16))),
                    created_by=leader,
                )
            )
    DutyShift.objects.bulk_create(made)
    return len(made)


Places = dict[tuple[str, int | None], Organisation]


def _new(rng: random.Random, today: date, places: Places, staff: dict[str, User]) -> int:
    """Yesterday's notifications from real organisations, an anonymous one and an inquiry, in
    the districts of the demo's team (the logins'), offered to the one on duty."""
    leader = User.objects.filter(username="teamleder").first()
    worker = User.objects.filter(username="sagsbehandler").first()
    if leader is None or leader.team is None or worker is None:
        return 0
    districts = list(leader.team.districts.order_by("pk"))
    children = list(Child.objects.filter(district__in=districts).order_by("pk")[:40])
    if len(children) < 6:
        return 0
    picks = rng.sample(children, 6)
    day = today - timedelta(days=1)
    rows = [
        # (kind, source, registered by, notifier, organisation, hour, content)
        ("notification", "day_care", worker, NOTIFIERS["day_care"], "day_care", 8,
         "Barnet kommer ofte uden madpakke og virker træt; mor har ikke kunnet kontaktes."),
        ("notification", "health_visitor", staff.get("health_visitor", worker),
         NOTIFIERS["health_visitor"], "health_visitor", 9,
         "Ved 8-måneders-besøget: spædbarnet tager ikke på, og mor fortæller om uro i hjemmet."),
        ("notification", "school", staff.get("school", worker), NOTIFIERS["school"], "school", 10,
         "Eleven har haft 18 % fravær i kvartalet og fortæller om skænderier derhjemme."),
        ("notification", "anonymous", worker, ("", ""), None, 11,
         "Anonym opringning: en nabo hører ofte råb og gråd fra lejligheden om aftenen."),
        ("inquiry", "parent", worker, ("Hanne Jensen", "Mor"), None, 12,
         "Mor ringer selv og beder om hjælp: hun magter ikke sønnens raseriudbrud."),
        ("network_meeting", "ppr", staff.get("ppr", worker), NOTIFIERS["ppr"], "ppr", 13,
         "PPR beder om et netværksmøde med skole, forældre og rådgiver om barnets trivsel."),
    ]  # fmt: skip
    for child, (kind, source, by, (name, role), place_kind, hour, content) in zip(
        picks, rows, strict=True
    ):
        received = timezone.make_aware(datetime.combine(day, time(hour, 15)))
        place = _place(places, place_kind, child.district_id) if place_kind else None
        professional = notifiers.is_professional(source)
        n = Notification.objects.create(
            child=child,
            case=child.open_case(),
            received_at=received,
            kind=kind,
            source=source,
            notifier_name=name,
            notifier_role=role,
            notifier_organisation=place,
            notifier_phone=""
            if source == "anonymous"
            else (place.phone if place else "20 30 40 50"),
            content=content,
            registered_by=by,
            registered_at=received + timedelta(minutes=10),
            assessment_deadline=deadline_for(DeadlineRule.Key.NOTIFICATION_ASSESSMENT, received),
            offered_to=duty.on_duty(child.district.team, received),
            receipt_sent_on=day if professional and by in staff.values() else None,
        )
        if hour <= 9:  # the morning's were assessed by the one on duty
            n.assessed_by = n.offered_to or worker
            n.assessed_at = received + timedelta(hours=2)
            n.urgent_action = False
            n.assessment_note = "Ingen akut fare; barnet ses i dagtilbud/hjemmet. Afdækning."
            n.save(update_fields=["assessed_by", "assessed_at", "urgent_action", "assessment_note"])
    return len(rows)
