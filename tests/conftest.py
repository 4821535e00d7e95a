"""Shared fixtures: a small municipality with two district teams, built through the models."""

import os
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from trappen.cases.models import Case, CaseAssignment, Child
from trappen.catalogue.loading import load_steps
from trappen.catalogue.models import Intervention, Step
from trappen.organisation.models import (
    District,
    DistrictGroup,
    Municipality,
    Profession,
    Team,
    User,
)

PASSWORD = "correct-horse-battery"  # noqa: S105

# Hypothesis: the full run in CI (.ci/run sets CI=1), a quick one at a developer's desk.
# "ci" is Hypothesis' own defaults and every test's own max_examples; "dev" runs a quarter of
# each test's examples (at least DEV_MIN_EXAMPLES) and no deadline. HYPOTHESIS_PROFILE=ci
# runs the full set locally.
DEV_SHARE, DEV_MIN_EXAMPLES = 4, 10
hypothesis_settings.register_profile("ci")
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI") else "dev"
)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Under "dev", shrink the max_examples a test sets itself (a profile cannot: the test's
    own @settings wins over it)."""
    if HYPOTHESIS_PROFILE != "dev":
        return
    for item in items:
        test = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or own.max_examples <= DEV_MIN_EXAMPLES:
            continue
        fewer = max(DEV_MIN_EXAMPLES, own.max_examples // DEV_SHARE)
        test._hypothesis_internal_use_settings = hypothesis_settings(  # type: ignore[union-attr]
            own, max_examples=fewer, deadline=None
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):  # type: ignore[no-untyped-def]
    """Argon2 costs about a second per password on the 2-core CI machine, and most tests
    create several users: they hash with MD5 instead. Tests of the real hashing are marked
    `real_password_hashing` (tests/security/test_passwords.py, tests/web/test_settings.py)."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        # MD5 first hashes new passwords; the real hashers stay to check passwords a
        # module-scoped fixture (e.g. the demo) hashed before this fixture ran.
        md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
        settings.PASSWORD_HASHERS = [md5, *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test anchors the audit log in a file of its own, never the demo's var/ file."""
    settings.TRAPPEN_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"


class Org:
    """Handles to the test municipality: two teams, each with staff of every profession."""

    def __init__(self) -> None:
        self.municipality = Municipality.objects.create(name="Testkommune", caseload_cap=25)
        pilot = DistrictGroup.objects.create(name="Pilot")
        other = DistrictGroup.objects.create(name="Øvrige")
        self.north = Team.objects.create(municipality=self.municipality, name="Team Nord")
        self.south = Team.objects.create(municipality=self.municipality, name="Team Syd")
        self.d_north = District.objects.create(
            municipality=self.municipality, name="Nordby", team=self.north, group=pilot
        )
        self.d_south = District.objects.create(
            municipality=self.municipality, name="Sydby", team=self.south, group=other
        )
        self.cw1 = self.user("anna", Profession.CASEWORKER, self.north)
        self.cw2 = self.user("bent", Profession.CASEWORKER, self.north)
        self.leader = self.user("lise", Profession.TEAM_LEADER, self.north)
        self.psych = self.user("peter", Profession.PSYCHOLOGIST, self.north)
        self.cw_south = self.user("sofie", Profession.CASEWORKER, self.south)
        self.leader_south = self.user("svend", Profession.TEAM_LEADER, self.south)
        self.analyst = self.user("alma", Profession.ANALYST, None)

    def user(self, username: str, profession: str, team: Team | None) -> User:
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.title(),
            last_name="Test",
            profession=profession,
            team=team,
        )

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def child(self, cpr: str = "0101151234", district: District | None = None) -> Child:
        from trappen.core.cpr import Cpr

        parsed = Cpr(cpr)
        return Child.objects.create(
            cpr=cpr,
            first_name="Testa",
            last_name="Barnesen",
            birth_date=parsed.birth_date,
            sex=parsed.sex.value,
            district=district or self.d_north,
        )

    def case(self, child: Child | None = None, caseworker: User | None = None) -> Case:
        child = child or self.child()
        caseworker = caseworker or self.cw1
        case = Case.objects.create(
            child=child,
            team=caseworker.team,
            caseworker=caseworker,
            opened_on=timezone.localdate() - timedelta(days=60),
        )
        CaseAssignment.objects.create(
            case=case, caseworker=caseworker, assigned_by=self.leader, caseload_at_assignment=0
        )
        return case

    def intervention(self, step: int, placement_type: str = "") -> Intervention:
        if not Step.objects.filter(pk=step).exists():
            # A transactional test after another one's flush: the migrations' rule data is gone.
            load_steps(Step)
        return Intervention.objects.filter(step_id=step, placement_type=placement_type).first() or (
            Intervention.objects.create(
                name=f"Test {step} {placement_type}", step_id=step, placement_type=placement_type
            )
        )


@pytest.fixture
def org(db: object) -> Org:
    return Org()


@pytest.fixture
def now() -> datetime:
    return timezone.now()


DAILY_COST = Decimal("1500.00")
