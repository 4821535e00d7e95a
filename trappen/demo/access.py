"""The demo's F4 logins and consents: a data protection officer and a school contact, and
consents with sharings so each team's psychologist and health visitor see a few cases (without
consent they would see none). One consent is withdrawn to show the state. Deterministic."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from trappen.cases.models import Case
from trappen.consent.models import Consent, Relation, Scope, Sharing
from trappen.organisation.models import Profession, Team, User

SHARED_PER_PROFESSIONAL = 4
CUSTODY_HOLDERS = [("Mette", Relation.MOTHER), ("Jens", Relation.FATHER), ("Bodil", Relation.OTHER)]


def build(
    *, seed: int, today: date, log: Callable[[str], None], demo_team: Team, password_hash: str
) -> list[tuple[str, str, str]]:
    """Returns the new logins as (username, role, note)."""
    rng = random.Random(seed * 53 + 11)
    User.objects.bulk_create(
        [
            User(
                username="databeskyttelse",
                first_name="Dorte",
                last_name="Databeskyttelse",
                email="databeskyttelse@demo.invalid",
                profession=Profession.DATA_PROTECTION,
                password=password_hash,
            ),
            User(
                username="skole",
                first_name="Sara",
                last_name="Skolekontakt",
                email="skole@demo.invalid",
                profession=Profession.SCHOOL,
                team=demo_team,
                password=password_hash,
            ),
        ]
    )
    consents: list[Consent] = []
    sharings: list[Sharing] = []
    now = timezone.now()
    professionals = User.objects.filter(
        profession__in=[Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR], team__isnull=False
    ).order_by("pk")
    for person in professionals:
        open_cases = list(
            Case.objects.filter(team_id=person.team_id)  # type: ignore[misc]  # filtered: not None
            .exclude(status=Case.Status.CLOSED)
            .select_related("child", "caseworker")
            .order_by("pk")
        )
        for case in rng.sample(open_cases, min(SHARED_PER_PROFESSIONAL, len(open_cases))):
            first, relation = rng.choice(CUSTODY_HOLDERS)
            valid_from = max(case.opened_on, today - timedelta(days=rng.randint(5, 200)))
            consents.append(
                Consent(
                    case=case,
                    custody_holder=f"{first} {case.child.last_name}",
                    relation=relation,
                    scope=Scope.CASE_INFORMATION,
                    recipient=person,
                    valid_from=valid_from,
                    registered_by=case.caseworker,
                    registered_at=now,
                )
            )
            sharings.append(Sharing(case=case, user=person, shared_by=case.caseworker))
    Consent.objects.bulk_create(consents)
    Sharing.objects.bulk_create(sharings)
    # One withdrawn consent in the demo team shows the state on the case page.
    withdrawn = next((c for c in consents if c.case.team_id == demo_team.pk), None)
    if withdrawn is not None:
        Consent.objects.filter(pk=withdrawn.pk).update(
            withdrawn_on=today, withdrawn_by=withdrawn.registered_by, withdrawn_at=now
        )
    log(f"Consents: {len(consents)} with sharings to psychologists and health visitors")
    return [
        ("databeskyttelse", "Data protection officer", "no case content; who has seen a child"),
        ("skole", "School or day-care contact", f"{demo_team.name}; no case data"),
    ]
