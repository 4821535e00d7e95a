"""The load test's users (`trappen benchmark load`, docs/benchmarks.md): caseworkers and team
leaders log in and open their pages with 1-3 s of thought between clicks; one analyst opens the
steering now and then. Logins and credentials come from the environment the benchmark sets.

Production cookies are Secure; the test talks plain http on loopback as if behind the TLS proxy
(X-Forwarded-Proto), so the cookies are carried by hand.
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("TRAPPEN_LOAD_PASSWORD", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
HTTPS = {"X-Forwarded-Proto": "https"}


def _names(variable: str) -> list[str]:
    return [n for n in os.environ.get(variable, "").split(",") if n]


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: list[str] = []

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        self.cases: list[str] = []
        self.login(random.choice(self.usernames))  # noqa: S311

    def _cookie_header(self) -> dict[str, str]:
        return {**HTTPS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep(self, response) -> None:  # type: ignore[no-untyped-def]
        for header in response.raw.headers.getlist("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        self.client.cookies.clear()

    def get(self, path: str, name: str):  # type: ignore[no-untyped-def]
        response = self.client.get(path, name=name, headers=self._cookie_header())
        self._keep(response)
        return response

    def login(self, username: str) -> None:
        page = self.get("/login/", "login page")
        token = CSRF.search(page.text)
        host = self.host.split("//", 1)[-1]
        response = self.client.post(
            "/login/",
            name="login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={**self._cookie_header(), "Referer": f"https://{host}/login/"},
            allow_redirects=False,
        )
        self._keep(response)
        if response.status_code != 302:
            response.failure(f"login answered {response.status_code}")

    def case_list(self) -> None:
        response = self.get("/cases/", "case list")
        self.cases = CASE_LINK.findall(response.text) or self.cases

    def a_case(self) -> None:
        if not self.cases:
            self.case_list()
        if self.cases:
            self.get(f"/cases/{random.choice(self.cases)}/", "case page")  # noqa: S311


class Caseworker(Staff):
    weight = 5
    usernames = _names("TRAPPEN_LOAD_CASEWORKERS")

    @task(3)
    def home(self) -> None:
        self.get("/my/", "caseworker home")

    @task(2)
    def cases(self) -> None:
        self.case_list()

    @task(5)
    def case(self) -> None:
        self.a_case()

    @task(2)
    def due(self) -> None:
        self.get("/follow-ups/", "my follow-ups")


class TeamLeader(Staff):
    weight = 1
    usernames = _names("TRAPPEN_LOAD_LEADERS")

    @task(3)
    def team(self) -> None:
        self.get("/team/", "team view")

    @task(2)
    def team_due(self) -> None:
        self.get("/follow-ups/team/", "team follow-ups")

    @task(1)
    def cases(self) -> None:
        self.case_list()

    @task(2)
    def case(self) -> None:
        self.a_case()


class Analyst(Staff):
    fixed_count = 1
    wait_time = between(5, 10)
    usernames = _names("TRAPPEN_LOAD_ANALYST")

    @task
    def steering(self) -> None:
        self.get("/steering/", "steering")
