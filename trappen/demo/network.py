"""The demo's network meetings and the professions' activities over the last year.

Meetings with invitations and four-column minutes (with agreements), some called within a week
of the concern and some later (pilot districts mostly within the week); the team's psychologist
holds courses of clarifying talks and the health visitor makes pregnancy, needs and joint home
visits and sees families at the family centre. Deterministic per seed.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from trappen.activities.models import MAX_CLARIFYING_TALKS, Activity
from trappen.cases.models import Case
from trappen.network.models import NetworkMeeting, Participant
from trappen.organisation.models import Profession, User

Role = Participant.Role
Kind = Activity.Kind

CONCERNS = [
    "Barnet har haft stort fravær og virker træt om morgenen.",
    "Barnet trækker sig fra kammeraterne og græder ofte i frikvartererne.",
    "Uro og konflikter i klassen; barnet slår, når det bliver frustreret.",
    "Forældrene beder om hjælp; svært at få hverdagen til at hænge sammen.",
    "Barnet kommer uden madpakke og i for tyndt tøj.",
    "Sproglig udvikling bekymrer personalet i dagtilbuddet.",
]
REASONS = [
    "Skolen er bekymret for barnets trivsel og ønsker at aftale den videre indsats med forældrene.",
    "Dagtilbuddet har set en ændring i barnets adfærd og vil gerne have en fælles forståelse.",
    "Forældrene og skolen ønsker at koordinere støtten omkring barnet.",
]
WORKS = [
    "God kontakt mellem barnet og klasselæreren.",
    "Barnet er glad for fodbold og har en god ven i klassen.",
    "Forældrene er engagerede og kommer til møderne.",
    "Morgenerne går bedre, når far kører barnet.",
]
WANT = [
    "At barnet møder til tiden og deltager i frikvartererne.",
    "At forældrene får redskaber til at skabe ro om aftenen.",
    "At barnet kan sige fra med ord i stedet for at slå.",
]
AGREEMENTS = [
    "Psykologen tilbyder afklarende samtaler. Skolen sender ugentlig status til mor. "
    "Opfølgning om 6 uger.",
    "Sundhedsplejersken laver fælles hjemmebesøg med rådgiveren. Klasselæreren laver "
    "et skema for morgenen.",
    "Rådgiveren undersøger mulighed for en kontaktperson. Nyt netværksmøde om 2 måneder.",
    "AKT-vejlederen følger barnet i frikvartererne i 4 uger. Forældrene kontakter lægen.",
]
TEACHERS = ["Kirsten Holm", "Ole Bach", "Mette Dahl", "Jens Krogh", "Lone Friis", "Søren Vang"]
PARENTS_F = ["Anne", "Camilla", "Louise", "Maria", "Sara", "Julie", "Pia"]
PARENTS_M = ["Thomas", "Martin", "Jesper", "Anders", "Michael", "Kasper", "Rune"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _team_staff() -> dict[tuple[int | None, str], User]:
    staff: dict[tuple[int | None, str], User] = {}
    for user in User.objects.filter(
        profession__in=[Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR], is_active=True
    ).order_by("pk"):
        staff.setdefault((user.team_id, user.profession), user)
    return staff


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 53 + 11)
    year_ago = today - timedelta(days=365)
    cases = list(
        Case.objects.filter(opened_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=year_ago))
        .select_related("child__district__group", "caseworker")
        .order_by("pk")
    )
    staff = _team_staff()
    meetings: list[NetworkMeeting] = []
    people: list[list[Participant]] = []
    activities: list[Activity] = []
    for case in cases:
        child = case.child
        first_day = max(case.opened_on, year_ago)
        last_day = min(case.closed_on or today + timedelta(days=21), today + timedelta(days=21))
        if last_day <= first_day:
            continue
        psych = staff.get((case.team_id, Profession.PSYCHOLOGIST))
        visitor = staff.get((case.team_id, Profession.HEALTH_VISITOR))
        pilot = child.district.group.name == "Pilot"
        age = (today - child.birth_date).days // 365
        if rng.random() < 0.3:
            for _ in range(rng.choice([1, 1, 2])):
                meeting_on = first_day + timedelta(days=rng.randint(0, (last_day - first_day).days))
                if meeting_on.weekday() >= 5:
                    meeting_on -= timedelta(days=meeting_on.weekday() - 4)
                on_time = rng.random() < (0.85 if pilot else 0.45)
                gap = rng.randint(2, 7) if on_time else rng.randint(8, 30)
                start = _at(meeting_on, rng.choice([8, 9, 10, 12, 13]), rng.choice([0, 30]))
                school = age >= 6
                place = f"{child.district.name} {'Skole' if school else 'Børnehus'}"
                chair = rng.choice(TEACHERS)
                held = start < timezone.now()
                with_minutes = held and rng.random() < 0.9
                mother = f"{rng.choice(PARENTS_F)} {child.last_name}"
                meeting = NetworkMeeting(
                    case=case,
                    district_id=child.district_id,
                    kind=NetworkMeeting.Kind.INCLUSIVE
                    if rng.random() < 0.3
                    else NetworkMeeting.Kind.NETWORK,
                    concern=rng.choice(CONCERNS),
                    concern_on=meeting_on - timedelta(days=gap),
                    purpose=f"At samle de voksne, der kender {child.first_name}.",
                    reason=rng.choice(REASONS),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=90),
                    place=place,
                    chair=chair,
                    procedure="Velkomst og formål, præsentationsrunde, bekymringer, hvad "
                    "fungerer, hvad vil vi se ske, aftaler.",
                    contact_name=chair,
                    contact_phone=f"97 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    signed_by=f"{chair}, {'skoleleder' if school else 'dagtilbudsleder'}",
                    created_by=case.caseworker,
                    created_at=start - timedelta(days=max(gap - 1, 1)),
                )
                if with_minutes:
                    meeting.concerns = meeting.concern
                    meeting.works = rng.choice(WORKS)
                    meeting.want_to_see = rng.choice(WANT)
                    meeting.agreements = rng.choice(AGREEMENTS)
                    meeting.note_taker = str(psych) if psych else chair
                    meeting.contact_person = str(case.caseworker)
                    meeting.minutes_written_at = start + timedelta(hours=rng.randint(2, 48))
                group: list[tuple[Role, str, User | None]] = [
                    (Role.CHILD, child.full_name, None),
                    (Role.PARENT, mother, None),
                ]
                if rng.random() < 0.7:
                    group.append((Role.PARENT, f"{rng.choice(PARENTS_M)} {child.last_name}", None))
                group.append((Role.SCHOOL if school else Role.DAY_CARE, chair, None))
                if psych:
                    group.append((Role.PSYCHOLOGIST, str(psych), psych))
                group.append((Role.CASEWORKER, str(case.caseworker), case.caseworker))
                if visitor and age < 6:
                    group.append((Role.HEALTH_VISITOR, str(visitor), visitor))
                meetings.append(meeting)
                people.append(
                    [
                        Participant(role=role, name=name, user=user, position=i)
                        for i, (role, name, user) in enumerate(group)
                    ]
                )
        done_by = min(today, case.closed_on or today)
        span = (done_by - first_day).days
        if span < 14:
            continue
        if psych and rng.random() < 0.15:
            talks = rng.randint(1, MAX_CLARIFYING_TALKS)
            day = first_day + timedelta(days=rng.randint(0, max(span - talks * 14, 0)))
            for number in range(1, talks + 1):
                if day > done_by:
                    break
                activities.append(
                    Activity(
                        case=case,
                        kind=Kind.CLARIFYING_TALK,
                        held_on=day,
                        talk_number=number,
                        note="Afklarende samtale med barnet og forældrene.",
                        recorded_by=psych,
                    )
                )
                day += timedelta(days=rng.randint(7, 21))
        if visitor and age < 6 and rng.random() < 0.35:
            born = child.birth_date
            visits: list[tuple[str, date, str]] = []
            pregnancy = born - timedelta(days=60)
            if first_day <= pregnancy <= done_by:
                visits.append((Kind.PREGNANCY_VISIT, pregnancy, "Besøg to måneder før termin."))
            for _ in range(rng.randint(1, 4)):
                day = first_day + timedelta(days=rng.randint(0, span))
                visits.append((Kind.NEEDS_VISIT, day, "Ekstra behovsbesøg."))
            if rng.random() < 0.5:
                day = first_day + timedelta(days=rng.randint(0, span))
                visits.append((Kind.JOINT_HOME_VISIT, day, "Fælles hjemmebesøg med rådgiveren."))
            if rng.random() < 0.4:
                day = first_day + timedelta(days=rng.randint(0, 30))
                for _ in range(rng.randint(2, 5)):
                    if day <= done_by:
                        visits.append((Kind.FAMILY_CENTRE, day, "Familiecentralen."))
                    day += timedelta(days=21)  # every third Friday, roughly
            activities += [
                Activity(case=case, kind=kind, held_on=day, note=note, recorded_by=visitor)
                for kind, day, note in visits
            ]
    NetworkMeeting.objects.bulk_create(meetings, batch_size=1000)
    participants = [
        Participant(
            meeting_id=meeting.pk, role=p.role, name=p.name, user=p.user, position=p.position
        )
        for meeting, group in zip(meetings, people, strict=True)
        for p in group
    ]
    Participant.objects.bulk_create(participants, batch_size=2000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    log(
        f"  Network meetings: {len(meetings)} "
        f"({sum(1 for m in meetings if m.has_minutes)} with minutes); "
        f"{len(activities)} activities of psychologists and health visitors"
    )
    reserved_slots(seed=seed, today=today, log=log)


def reserved_slots(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    """Reserved network-meeting times per district in a team professional's calendar (every
    Tuesday afternoon, from two weeks back to six weeks ahead): one booked by a school that
    called a network meeting before any case (anonymous, then the parents' consent, minutes
    sent to every invited), the unbooked ones a week or less ahead released (the seed's "Hvis
    man inden for én uge ikke er indkaldt, kan man for nuværende selv disponere over tiden")."""
    from trappen.meetings.models import School
    from trappen.network import services

    rng = random.Random(seed * 59 + 3)
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7) - timedelta(days=14)
    slots = 0
    seen: set[int] = set()
    for school in (
        School.objects.filter(contacts__isnull=False)
        .select_related("district__team")
        .distinct()
        .order_by("pk")
    ):
        district = school.district
        if district.pk in seen or len(seen) >= 3:
            continue
        seen.add(district.pk)
        holder = (
            district.team.members.filter(profession=Profession.PSYCHOLOGIST, is_active=True)
            .order_by("pk")
            .first()
            or district.team.caseworkers().order_by("pk").first()
        )
        contact = school.contacts.order_by("pk").first()
        if holder is None or contact is None:
            continue
        made = services.reserve(
            district,
            holder=holder,
            first=tuesday,
            until=tuesday + timedelta(weeks=8),
            at=time(13, 0),
            place=f"{school.name}, mødelokalet",
        )
        slots += len(made)
        # Rebuilt after the meetings were deleted: the reserved times are still there.
        made = list(
            services.Slot.objects.filter(
                district=district, holder=holder, starts_at__date__gte=tuesday
            ).order_by("starts_at")
        )
        # The school books the slot two weeks ahead (open) and held one two weeks ago.
        for slot, held in ((made[4], False), (made[0], True)):
            meeting = services.call(
                None,
                by=contact,
                district=district,
                slot=slot,
                today=slot.day - timedelta(days=14),
                child_description=rng.choice(
                    ["En pige i 3. klasse", "En dreng i 5. klasse", "En pige i 0. klasse"]
                ),
                people=[
                    services.Person(Role.CHILD, ""),
                    services.Person(Role.PARENT, ""),
                    services.Person(Role.SCHOOL, str(contact), contact),
                    services.Person(Role.PSYCHOLOGIST, str(holder), holder),
                ],
                kind=NetworkMeeting.Kind.NETWORK,
                concern=rng.choice(CONCERNS),
                concern_on=slot.day - timedelta(days=16),
                purpose="At samle de voksne, der kender barnet, og aftale det videre forløb.",
                reason=rng.choice(REASONS),
                chair=str(contact),
                contact_name=str(contact),
                signed_by=f"{contact}, {school.name}",
            )
            if held:
                meeting.consent_on = slot.day
                meeting.consent_recorded_by = contact
                meeting.consent_note = "Forældrene gav skriftligt samtykke på mødet."
                for name, value in (
                    ("concerns", meeting.concern),
                    ("works", rng.choice(WORKS)),
                    ("want_to_see", rng.choice(WANT)),
                    ("agreements", rng.choice(AGREEMENTS)),
                    ("note_taker", str(contact)),
                    ("contact_person", str(contact)),
                ):
                    setattr(meeting, name, value)
                meeting.minutes_written_at = slot.starts_at + timedelta(hours=3)
                meeting.save()
                services.send_minutes(meeting, by=contact)
    log(f"  Reserved network-meeting times: {slots}, two booked by schools before any case")
