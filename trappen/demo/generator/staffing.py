"""Phase 3: the teams staffed from their open cases; the demo logins."""

from collections import defaultdict

from trappen.organisation.models import (
    Profession,
    Team,
    User,
)

from .base import Base
from .constants import (
    OTHER_TARGET_LOAD,
    PASSWORD,
    PILOT_TARGET_LOAD,
)
from .names import ADULTS, LAST_NAMES
from .plans import CasePlan, Login, TeamStaff, ascii_slug, days


class Staffing(Base):
    def split(self, total: int, pilot: bool) -> list[int]:
        """Open cases per caseworker for a team with `total` open cases."""
        if total == 0:
            return [0]
        if pilot:
            # As many caseworkers as keeps everyone nearest 22 open cases.
            n = min(
                range(1, total + 1),
                key=lambda k: (abs(total / k - PILOT_TARGET_LOAD), k),
            )
            base, extra = divmod(total, n)
            return [base + (1 if i < extra else 0) for i in range(n)]
        n = max(1, -(-total // OTHER_TARGET_LOAD))
        weights = [self.rng.uniform(0.85, 1.15) for _ in range(n)]
        shares = [total * w / sum(weights) for w in weights]
        loads = [int(s) for s in shares]
        for i in sorted(range(n), key=lambda i: loads[i] - shares[i])[: total - sum(loads)]:
            loads[i] += 1
        return loads

    def staff(self) -> None:
        for plan in self.plans:
            plan.team = self.team_of(plan.child.district)
        open_by_team: dict[int, list[CasePlan]] = defaultdict(list)
        for plan in self.plans:
            if plan.is_open:
                open_by_team[plan.team.pk].append(plan)  # type: ignore[union-attr]
        loads = {
            team.pk: self.split(len(open_by_team[team.pk]), team.pk in self.pilot_teams)
            for team in self.teams
        }
        # The demo logins: a pilot caseworker with about 22 cases, one above the cap elsewhere.
        pilot_slots = [(t, i, n) for t in self.pilot_teams for i, n in enumerate(loads[t])]
        demo_team, demo_index, _n = min(
            pilot_slots, key=lambda s: (abs(s[2] - PILOT_TARGET_LOAD), s[0], s[1])
        )
        other_slots = [
            (t.pk, i, n) for t in self.teams if t.pk not in self.pilot_teams
            for i, n in enumerate(loads[t.pk])
        ]  # fmt: skip
        busy_team, busy_index, _n = max(other_slots, key=lambda s: (s[2], -s[0], -s[1]))
        used_names: set[str] = set()
        users: list[User] = []
        self.staffing: dict[int, TeamStaff] = {}

        def person(profession: str, team: Team | None, username: str = "") -> User:
            first = self.rng.choice(ADULTS)
            last = self.rng.choice(LAST_NAMES)
            if not username:
                stem = f"{ascii_slug(first)}.{ascii_slug(last)}"
                username, n = stem, 1
                while username in used_names:
                    n += 1
                    username = f"{stem}{n}"
            used_names.add(username)
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                profession=profession,
                team=team,
            )
            users.append(user)
            return user

        for team in self.teams:
            demo = team.pk == demo_team
            staff = TeamStaff(
                team=team,
                pilot=team.pk in self.pilot_teams,
                leader=person(Profession.TEAM_LEADER, team, "teamleder" if demo else ""),
                psychologist=person(Profession.PSYCHOLOGIST, team, "psykolog" if demo else ""),
                health_visitor=person(
                    Profession.HEALTH_VISITOR, team, "sundhedsplejerske" if demo else ""
                ),
            )
            for i in range(len(loads[team.pk])):
                username = ""
                if demo and i == demo_index:
                    username = "sagsbehandler"
                elif team.pk == busy_team and i == busy_index:
                    username = "sagsbehandler2"
                staff.caseworkers.append(person(Profession.CASEWORKER, team, username))
            self.staffing[team.pk] = staff
        self.analyst = person(Profession.ANALYST, None, "analytiker")
        self.admin = person(Profession.ADMINISTRATOR, None, "admin")
        self.admin.is_staff = self.admin.is_superuser = True
        # One slow password hash, copied to everyone.
        users[0].set_password(PASSWORD)
        for user in users:
            user.password = users[0].password
        self.save(User, users)
        # Open cases to caseworkers by the planned loads; closed ones to anyone in the team.
        for team in self.teams:
            staff = self.staffing[team.pk]
            plans = open_by_team[team.pk]
            self.rng.shuffle(plans)
            start = 0
            for worker, load in zip(staff.caseworkers, loads[team.pk], strict=True):
                for plan in plans[start : start + load]:
                    plan.caseworker = worker
                start += load
        for plan in self.plans:
            staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
            if plan.caseworker is None:
                plan.caseworker = self.rng.choice(staff.caseworkers)
            plan.first_caseworker = plan.caseworker
            if plan.transfer:
                origin_team = self.staffing[plan.transfer[0].team_id]
                plan.first_caseworker = self.rng.choice(origin_team.caseworkers)
            elif len(staff.caseworkers) > 1 and self.rng.random() < 0.08:
                span = ((plan.closed or self.last) - plan.opened).days
                if span > 60:
                    plan.reassigned_on = plan.opened + days(self.rng.randint(30, span - 10))
                    others = [w for w in staff.caseworkers if w != plan.caseworker]
                    plan.first_caseworker = self.rng.choice(others)
        demo_staff = self.staffing[demo_team]
        self.demo_caseworker = demo_staff.caseworkers[demo_index]
        self.demo_leader = demo_staff.leader
        busy = self.staffing[busy_team].caseworkers[busy_index]
        by_user = {p.caseworker.username: 0 for p in self.plans if p.caseworker}
        for plan in self.plans:
            if plan.is_open:
                by_user[plan.caseworker.username] += 1  # type: ignore[union-attr]

        def cases(user: User) -> str:
            return f"{by_user.get(user.username, 0)} open cases"

        demo_team_name = str(demo_staff.team)
        self.logins = [
            Login(
                "sagsbehandler",
                "Caseworker",
                f"pilot, {demo_team_name}, {cases(self.demo_caseworker)}",
            ),
            Login("teamleder", "Team leader", f"pilot, {demo_team_name}"),
            Login("sagsbehandler2", "Caseworker", f"not pilot, {busy.team}, {cases(busy)}"),
            Login("psykolog", "PPR psychologist", demo_team_name),
            Login("sundhedsplejerske", "Health visitor", demo_team_name),
            Login("analytiker", "Analyst", "no team"),
            Login("admin", "Administrator", "superuser"),
        ]
        per_team = ", ".join(
            f"{t.name.removeprefix('Distriktsteam ')} {len(self.staffing[t.pk].caseworkers)}"
            for t in self.teams
        )
        self.phase(f"Staff: {len(users)} users; caseworkers per team: {per_team}")
