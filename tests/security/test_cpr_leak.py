"""No demo child's CPR number in any URL, log line or error page, for any demo role.

Builds the demo municipality, logs in as every role it prints, follows the links of every page
that role can reach (bounded: a few pages per URL pattern) and checks every address, every
response and every log record. Pages that show a CPR number show it masked.
"""

import html
import logging
import re
from collections import Counter, deque
from collections.abc import Iterator
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from trappen.cases.models import Case, Child
from trappen.core.cpr import mask
from trappen.demo import generator

PER_ROUTE = 2  # pages visited per URL pattern (e.g. two case pages), per role
PER_ROLE = 120
SKIP = ("/logout/", "/static/", "/i18n/", "/admin/logout/")
LINK = re.compile(r"""(?:href|hx-get)\s*=\s*["']([^"']+)["']""")
CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def demo_logins() -> list[str]:
    out = StringIO()
    call_command("demo", "--children", "40", "--no-history", "--yes", stdout=out)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---"))
    return [line.split()[0] for line in lines[start + 1 :] if generator.PASSWORD in line]


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker) -> Iterator[list[str]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_logins()
        transaction.set_rollback(True)  # leave the test database as it was


def leaked(text: str, cprs: set[str]) -> set[str]:
    return {a + b for a, b in CPR_LIKE.findall(text)} & cprs


def links(base: str, body: str) -> list[str]:
    found = []
    for raw in LINK.findall(body):
        url = urljoin(base, html.unescape(raw))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def route_of(path: str) -> str:
    try:
        return str(resolve(path).route)
    except Resolver404:
        return path


def crawl(client: Client, start: str) -> Iterator[tuple[str, object]]:
    queue, seen, per_route, visited = deque([start]), set(), Counter(), 0
    while queue and visited < PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = route_of(urlsplit(url).path)
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        visited += 1
        response = client.get(url)
        yield url, response
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
        if "html" in response.get("Content-Type", ""):
            queue.extend(links(url, response.content.decode()))


@pytest.mark.django_db(transaction=False)
def test_no_cpr_in_urls_logs_or_error_pages_for_any_demo_role(demo_db, caplog):
    logins = demo_db
    assert {"sagsbehandler", "teamleder", "analytiker", "admin"} <= set(logins)
    cprs = set(Child.objects.exclude(cpr=None).values_list("cpr", flat=True))
    assert len(cprs) >= 20
    some_cpr = sorted(cprs)[0]
    case_children = dict(Case.objects.values_list("pk", "child__cpr"))

    django_logger = logging.getLogger("django")
    django_logger.addHandler(caplog.handler)  # "django" does not propagate to the root
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    pages = 0
    masked_shown = 0
    try:
        with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="django"):
            for username in logins:
                client = Client(raise_request_exception=False)
                login = client.post(
                    reverse("login"), {"username": username, "password": generator.PASSWORD}
                )
                assert login.status_code == 302, username
                for url, response in crawl(client, reverse("dashboards:home")):
                    pages += 1
                    where = f"{username} {url}"
                    assert not leaked(url, cprs), where
                    assert not leaked(response.get("Location", ""), cprs), where
                    body = response.content.decode(errors="replace")
                    match = resolve(urlsplit(url).path)
                    # The access report's JSON download is the child's own data, CPR included,
                    # for the data subject (docs/privacy.md); only who may ask reaches it.
                    if match.view_name != "privacy:report_json":
                        assert not leaked(body, cprs), where
                    if match.url_name == "case" and response.status_code == 200:
                        cpr = case_children[match.kwargs["pk"]]
                        if cpr:
                            assert mask(cpr) in body, where
                            masked_shown += 1
                # Error pages, asked for with a CPR number in the address.
                for url in (f"/notifications/{some_cpr}/", f"/cases/?cpr={some_cpr}&page=x"):
                    response = client.get(url)
                    assert not leaked(response.content.decode(errors="replace"), cprs), url
            # Looking a child up by CPR number (POST) puts it in a SQL statement's parameters;
            # the log line must have it masked.
            client = Client()
            client.post(
                reverse("login"), {"username": "sagsbehandler", "password": generator.PASSWORD}
            )
            lookup = client.post(reverse("intake:lookup"), {"cpr": some_cpr})
            assert lookup.status_code == 200
    finally:
        connection.force_debug_cursor = False
        django_logger.removeHandler(caplog.handler)

    assert pages > 10 * len(logins) // 2
    assert masked_shown > 0
    assert any("xxxxxx-xxxx" in r.getMessage() for r in caplog.records)  # the lookup, masked
    for record in caplog.records:
        assert not leaked(record.getMessage(), cprs), record.name
    assert not leaked(caplog.text, cprs)
