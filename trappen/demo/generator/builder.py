"""The builder: the phases in order."""

import time

from .cases import Cases
from .casework import CaseWork
from .organisation import Organisation
from .planning import Planning
from .plans import DemoResult
from .staffing import Staffing


class Builder(Organisation, Planning, Staffing, Cases, CaseWork):
    def build(self) -> DemoResult:
        self.organisation()
        self.plan()
        self.staff()
        self.children_and_cases()
        self.case_work()
        return DemoResult(
            logins=self.logins,
            caseworker=self.demo_caseworker,
            team_leader=self.demo_leader,
            counts=self.counts,
            seconds=time.perf_counter() - self.started,
        )
