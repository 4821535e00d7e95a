"""Browser tests: Playwright for Python driving Debian's chromium against a live server.

Nothing is downloaded at test time: the browser is /usr/bin/chromium (`.ci/run` installs it with
apt-get; `TRAPPEN_CHROMIUM` names another), axe-core is vendored in tests/browser/vendor/. Where
no chromium can be found the tests are skipped with a message saying so.

One browser for the whole session; each test gets a fresh context (cookies) and a freshly built
small demo municipality in the live server's database (live_server tests are transactional: the
tables are flushed after each test, so the migrations' rule data is put back first when missing).
"""

import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

VENDOR = Path(__file__).parent / "vendor"
AXE = (VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SCREENS = Path(__file__).parents[2] / "docs" / "screens"
WIDE, PHONE = 1280, 390
DEMO_PASSWORD = "demo-2026"  # noqa: S105 (trappen.demo.generator.PASSWORD, fictitious)


def chromium_path() -> str | None:
    path = os.environ.get("TRAPPEN_CHROMIUM") or "/usr/bin/chromium"
    if Path(path).exists():
        return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a pinned dev dependency
        pytest.skip("browser tests: playwright is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "browser tests: no chromium at /usr/bin/chromium (install it with "
            "`apt-get install -y chromium`, or set TRAPPEN_CHROMIUM)"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def restore_rule_data() -> None:
    """Put back what the migrations load (steps, catalogue, deadlines, legal bases, cadence)
    when an earlier transactional test's flush removed it."""
    from trappen.catalogue.loading import load_interventions, load_steps
    from trappen.catalogue.models import Intervention, Step
    from trappen.followups.loading import load_cadence
    from trappen.followups.models import CadenceRule, CadenceRuleSet
    from trappen.rules.loading import load_deadlines, load_legal_bases
    from trappen.rules.models import DeadlineRule, LegalBasis

    if not Step.objects.exists():
        load_steps(Step)
        load_interventions(Step, Intervention)
    if not DeadlineRule.objects.exists():
        load_deadlines(DeadlineRule)
    if not LegalBasis.objects.exists():
        load_legal_bases(LegalBasis)
    if not CadenceRuleSet.objects.exists():
        load_cadence(CadenceRuleSet, CadenceRule)


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    """The live server's address, serving a small demo municipality over plain http."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    restore_rule_data()
    call_command("demo", "--children", "40", "--no-history", "--yes", stdout=StringIO())
    return str(live_server.url)


@dataclass
class Visit:
    """One page seen at one width: what the tests assert about it."""

    url: str
    width: int
    scroll_width: int
    violations: list[dict[str, Any]]

    @property
    def overflows(self) -> bool:
        return self.scroll_width > self.width


@dataclass
class Session:
    """A logged-in browser tab that checks every page it shows."""

    page: Any
    base: str
    console_errors: list[str] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)

    def login(self, username: str) -> None:
        self.page.goto(self.base + "/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()

    def check(
        self, path: str | None = None, *, shot: str | None = None, wait_for: str | None = None
    ) -> None:
        """Show `path` (or stay on the current page) at 1280 and 390 px and check both;
        `wait_for`: a selector the page shows once its parts loaded after it (htmx) are in."""
        if path is not None:
            self.page.goto(self.base + path)
        for width in (WIDE, PHONE):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.wait_for_load_state()
            if wait_for is not None:
                self.page.wait_for_selector(wait_for)
                self.page.wait_for_load_state("networkidle")
            self.visits.append(
                Visit(
                    url=self.page.url.removeprefix(self.base),
                    width=width,
                    scroll_width=self.page.evaluate("document.documentElement.scrollWidth"),
                    violations=self.axe(),
                )
            )
            if shot and os.environ.get("TRAPPEN_SCREENSHOTS") == "1":
                SCREENS.mkdir(parents=True, exist_ok=True)
                self.page.screenshot(path=str(SCREENS / f"{shot}-{width}.png"))

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's critical and serious violations (evaluated, not injected: our CSP
        forbids inline scripts, and rightly so)."""
        self.page.evaluate(AXE + ";0")
        return list(
            self.page.evaluate(
                """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
                .filter(v => v.impact === 'critical' || v.impact === 'serious')
                .map(v => ({id: v.id, impact: v.impact,
                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))"""
            )
        )

    def problems(self) -> list[str]:
        out = [f"console: {text}" for text in self.console_errors]
        for visit in self.visits:
            if visit.overflows:
                out.append(f"{visit.url} at {visit.width} px is {visit.scroll_width} px wide")
            out += [
                f"{visit.url} at {visit.width} px: axe {v['impact']} {v['id']} {v['nodes']}"
                for v in visit.violations
            ]
        return out


class ServerErrors(logging.Handler):
    """The live server's logged request errors, with their traceback, for the test's report."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(level=logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(f"server: {self.format(record)}")


@pytest.fixture
def session(browser: Any, demo_site: str) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": WIDE, "height": 900}, locale="da-DK")
    page = context.new_page()
    tab = Session(page=page, base=demo_site)
    handler = ServerErrors(tab.console_errors)
    logging.getLogger("django.request").addHandler(handler)
    page.on(
        "console",
        lambda m: (
            tab.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
            if m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()
    logging.getLogger("django.request").removeHandler(handler)
