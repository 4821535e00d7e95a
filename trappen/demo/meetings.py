"""The demo's meetings: a year of internal meetings of every district team and monthly
resource-centre meetings of every school and day-care, with agendas, teachers' submissions,
minutes and agreements (the recent ones still open). Deterministic per seed.
"""

import random
from collections.abc import Callable
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import F

from trappen.cases.models import Case
from trappen.meetings import services
from trappen.meetings.models import AgendaItem, Agreement, Meeting, School, Submission
from trappen.organisation.models import District, Profession, Team, User

SCHOOL_SUFFIXES = ["Skole", "Børnehus"]
INTERNAL_TOPICS = [
    "Bekymring for fravær",
    "Uro i hjemmet, mor søger råd",
    "Overgang fra dagtilbud til skole",
    "Samarbejde med forældrene",
    "Spiseforstyrrelse?",
    "Søskende i samme familie",
]
SPARRING = ["Hvordan tager vi den svære samtale?", "Hvornår er en bekymring en underretning?"]
SUBMISSIONS = {
    Submission.Kind.CHILD: ["Dreng, 2.a: trækker sig", "Pige, 5.b: meget fravær",
                            "Dreng, 4 år: sprog", "Pige, 0.a: konflikter i frikvarteret"],
    Submission.Kind.GROUP: ["3.b: uro i klassen", "Stuen Mariehønen: mange konflikter"],
    Submission.Kind.SCHOOL_WIDE: ["Trivselsmåling følges op", "Ny antimobbestrategi"],
    Submission.Kind.INFORMATION: ["Nyt fra PPR", "Sundhedsplejen tilbyder forældremøde"],
}  # fmt: skip
DECISIONS = [
    "Psykologen observerer i klassen og vender tilbage.",
    "Skolen holder netværksmøde med forældrene.",
    "Sundhedsplejersken tager kontakt til familien.",
    "Drøftet; ingen videre handling.",
]
AGREEMENTS = [
    "Indkalde til netværksmøde",
    "Sende materiale om trivsel til skolen",
    "Følge op på fraværet med forældrene",
    "Aftale observation i klassen",
]
MINUTES = "Referat: punkterne er drøftet, beslutninger og aftaler er noteret."


def _items_and_agreements(
    rng: random.Random, meetings: list[Meeting], today: date, internal: bool, cases: list[Case]
) -> None:
    items: list[AgendaItem] = []
    agreements: list[Agreement] = []
    for i, meeting in enumerate(meetings):
        past = meeting.day < today
        if internal:
            items.append(AgendaItem(meeting=meeting, kind=AgendaItem.Kind.SPARRING,
                                    title=rng.choice(SPARRING)))  # fmt: skip
            for _ in range(rng.randint(1, 3)):
                case = rng.choice(cases) if cases and rng.random() < 0.6 else None
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        kind=AgendaItem.Kind.CHILD,
                        title=rng.choice(INTERNAL_TOPICS),
                        case=case,
                        professions=rng.sample(
                            ["caseworker", "psychologist", "health_visitor"], rng.randint(1, 3)
                        ),
                        decision=rng.choice(DECISIONS) if past else "",
                    )
                )
        for _ in range(rng.randint(0, 2) if past else 0):
            later = meetings[i + 1 :]
            closing = next((m for m in later if m.day < today and rng.random() < 0.6), None)
            agreements.append(
                Agreement(
                    series=meeting.series,
                    made_at=meeting,
                    who=rng.choice(["Sagsbehandler", "Psykolog", "Sundhedsplejerske", "Skolen"]),
                    what=rng.choice(AGREEMENTS),
                    due_on=meeting.day + timedelta(days=rng.choice([14, 21, 30])),
                    closed_at=closing,
                    closed_on=closing.day if closing else None,
                )
            )
    AgendaItem.objects.bulk_create(items)
    Agreement.objects.bulk_create(agreements)


def _submissions(
    rng: random.Random, school: School, meetings: list[Meeting], contact: User, today: date
) -> None:
    subs: list[Submission] = []
    for meeting in meetings:
        if meeting.day > today + timedelta(days=40):
            continue
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(list(SUBMISSIONS))
            on = meeting.day - timedelta(days=rng.randint(15, 30))
            subs.append(
                Submission(
                    school=school,
                    submitted_by=contact,
                    submitted_on=min(on, today),
                    kind=kind,
                    title=rng.choice(SUBMISSIONS[kind]),
                    description="Beskrivelse fra lærer eller pædagog.",
                    parents_shown=kind == Submission.Kind.CHILD or rng.random() < 0.5,
                    meeting=meeting,
                )  # fmt: skip
            )
    Submission.objects.bulk_create(subs)
    past = {m.pk for m in meetings if m.day < today}
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting_id=s.meeting_id,
            kind=s.kind,
            title=s.title,
            description=s.description,
            submission=s,
            decision=rng.choice(DECISIONS) if s.meeting_id in past else "",
            # A child's description was shown to the parents first (Herningmodellen 1.0): the
            # parents' information step, by the teacher, the day it was submitted.
            parents_informed_on=s.submitted_on if s.kind == Submission.Kind.CHILD else None,
            parents_informed_by=contact if s.kind == Submission.Kind.CHILD else None,
        )  # fmt: skip
        for s in subs
    )


def _coordinator_orders(meetings: list[Meeting], today: date) -> None:
    """The school's coordinator has ordered the next meeting's agenda: its last item first."""
    upcoming = [m for m in meetings if m.day >= today]
    for meeting in upcoming[:1]:
        shown = services.agenda(meeting)
        if len(shown) >= 2:
            services.reorder(meeting, [shown[-1].item.pk] + [s.item.pk for s in shown[:-1]])


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    with transaction.atomic():  # one commit: planning writes meeting by meeting
        _build(seed=seed, today=today, log=log)


def _build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 37 + 11)
    first, until = today - timedelta(days=365), today + timedelta(days=60)
    password = User.objects.filter(profession=Profession.CASEWORKER).values_list(
        "password", flat=True
    )[:1]
    contacts = 0
    for district in District.objects.select_related("team").order_by("pk"):
        team = district.team
        psychologist = team.members.filter(profession=Profession.PSYCHOLOGIST).first()
        for n, suffix in enumerate(SCHOOL_SUFFIXES):
            kind = School.Kind.SCHOOL if n == 0 else School.Kind.DAY_CARE
            school = School.objects.create(name=f"{district.name} {suffix}", district=district,
                                           kind=kind)  # fmt: skip
            contacts += 1
            contact = User.objects.create(
                username=f"laerer{contacts}",
                first_name=rng.choice(["Lærke", "Mads", "Trine", "Ole"]),
                last_name=f"({school.name})",
                profession=Profession.SCHOOL,
                password=password[0] if password else "!",
            )
            school.contacts.add(contact)
            if psychologist:
                school.fixed_participants.add(psychologist)
            # The schools run their resource-centre meetings (Herningmodellen 1.0): the school's
            # contact coordinates them; the day-cares' are still the team leader's.
            series = services.create_resource_centre_series(
                school, coordinator=contact if kind == School.Kind.SCHOOL else None
            )
            start = first + timedelta(days=(1 - first.weekday()) % 7 + 7 * n)  # a Tuesday
            meetings = services.plan(series, start, until, time(13, 0))
            _submissions(rng, school, meetings, contact, today)
            _items_and_agreements(rng, meetings, today, False, [])
            if kind == School.Kind.SCHOOL:
                _coordinator_orders(meetings, today)
            Meeting.objects.filter(pk__in=[m.pk for m in meetings if m.day < today]).update(
                minutes=MINUTES, held_at=F("ends_at")
            )
    for team_id in (
        District.objects.values_list("team_id", flat=True).distinct().order_by("team_id")
    ):
        team = Team.objects.get(pk=team_id)
        series = services.create_internal_series(team, place="Teamets mødelokale")
        start = first + timedelta(days=(3 - first.weekday()) % 7)  # a Thursday
        meetings = services.plan(series, start, until, time(9, 0))
        cases = list(Case.objects.filter(team=team).exclude(status="closed").order_by("pk")[:40])
        _items_and_agreements(rng, meetings, today, True, cases)
        Meeting.objects.filter(pk__in=[m.pk for m in meetings if m.day < today]).update(
            minutes=MINUTES, held_at=F("ends_at")
        )
    # The printed "skole" login (trappen/demo/access.py), when it exists already, submits for
    # the first school of its team.
    skole = User.objects.filter(username="skole", profession=Profession.SCHOOL).first()
    first_school = (
        School.objects.filter(district__team_id=skole.team_id).first()  # type: ignore[misc]  # None: IS NULL
        if skole
        else None
    )
    if skole is not None and first_school is not None:
        first_school.contacts.add(skole)
    log(f"  meetings: {Meeting.objects.count()}, agreements open "
        f"{Agreement.objects.filter(closed_on__isnull=True).count()} / closed "
        f"{Agreement.objects.filter(closed_on__isnull=False).count()}; "
        f"school contacts laerer1-laerer{contacts}")  # fmt: skip
