"""F6 point 10, the calendar feed: RFC 5545 text and folding, and a token that can be rotated
and revoked, is never logged or stored in the clear, and stops with the account."""

import hashlib
import io
import logging
import re
import unicodedata
from datetime import timedelta

import pytest
from django.contrib.auth.models import update_last_login
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.audit.models import AuditEntry
from trappen.followups.calendar import feed_for
from trappen.followups.models import CalendarFeed
from trappen.meetings import services as meetings
from trappen.organisation.models import Profession

pytestmark = pytest.mark.django_db

# ---- an independent reader of what the feed writes ---------------------------------------------


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def unfold(body: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the line."""
    return re.sub(r"\r\n[ \t]", "", body).removesuffix("\r\n").split("\r\n")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def property_of(body: str, name: str) -> list[str]:
    return [unescape(line.split(":", 1)[1]) for line in unfold(body) if line.startswith(name)]


def cleaned(text: str) -> str:
    """What the feed promises to keep of `text`: every line break is one newline, other
    control characters (and lone surrogates, which UTF-8 cannot carry) are gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs"))


def assert_valid_ical(body: bytes) -> None:
    for line in physical_lines(body):
        assert len(line) <= 75, line
        assert b"\r" not in line and b"\n" not in line, line
        line.decode("utf-8")  # strict: no multi-byte character split across lines


TRICKY = st.sampled_from(
    ["\r", "\n", "\r\n", "\n\r", "\\", "\\n", ";", ",", ":", "æ", "ø", "€", "😀", "\t", "\x00",
     "\x1b", "\x7f", "\x85", "\u2028", "BEGIN:VEVENT", "END:VCALENDAR", "  "]
)  # fmt: skip
ANY_TEXT = st.lists(
    st.one_of(TRICKY, st.text(alphabet=st.characters(exclude_categories=()))), max_size=40
).map("".join)
# What a form can deliver to the database: UTF-8 carries no lone surrogates (category Cs).
STORABLE_TEXT = st.lists(
    st.one_of(TRICKY, st.text(alphabet=st.characters(exclude_categories=("Cs",)))), max_size=40
).map("".join)


# ---- 1. RFC 5545 text escaping and line folding ------------------------------------------------


@pytest.fixture
def meeting(org):
    first = timezone.localdate() + timedelta(days=1)
    series = meetings.create_internal_series(org.north)
    return meetings.plan(series, first, first + timedelta(days=14))[0]


def test_ical_escapes_bare_cr(org, meeting):
    meeting.place = "Lokale 2\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Barnets navn"
    meeting.save()
    org.north.name = "Team Nord\r\nX-INJECTED:1"
    org.north.save()
    body = feed_for(org.cw1, timezone.localdate()).encode()
    assert_valid_ical(body)
    text = body.decode()
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT")
    assert not any(line.startswith(("X-INJECTED", "SUMMARY:Barnets")) for line in unfold(text))
    assert property_of(text, "LOCATION:") == [
        "Lokale 2\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Barnets navn"
    ]
    assert any(s.endswith(", Team Nord\nX-INJECTED:1") for s in property_of(text, "SUMMARY:"))


def test_ical_lines_folded_at_75_octets(org, meeting):
    place = "Rådhuset, 3. sal; mødelokale «Ærø» 😀 " * 4
    meeting.place = place[:150]
    meeting.save()
    body = feed_for(org.cw1, timezone.localdate()).encode()
    assert max(len(line) for line in physical_lines(body)) == 75  # folded, and to the limit
    assert_valid_ical(body)
    assert property_of(body.decode(), "LOCATION:") == [place[:150]]


@given(text=ANY_TEXT)
def test_ical_any_text_folds_and_round_trips(text):
    from trappen.core.ical import escape_text, fold

    line = fold("LOCATION:" + escape_text(text))
    physical = line.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    assert all(b"\r" not in p and b"\n" not in p for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:])
    for p in physical:
        p.decode("utf-8")
    (unfolded,) = unfold(line + "\r\n")
    assert unfolded.startswith("LOCATION:")
    assert unescape(unfolded.removeprefix("LOCATION:")) == cleaned(text)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=STORABLE_TEXT.map(lambda t: t.replace("\x00", "")[:150]))
def test_ical_feed_with_any_meeting_place_is_valid(org, meeting, text):
    meeting.place = text
    meeting.save()
    body = feed_for(org.cw1, timezone.localdate()).encode("utf-8")
    assert_valid_ical(body)
    expected = [cleaned(text)] if text else []
    assert property_of(body.decode(), "LOCATION:") == expected


# ---- 2. the token: rotated, revoked, never logged, stops with the account ----------------------


def make_address(client: Client) -> str:
    """Make (or remake) the address on the follow-ups page; it is shown on that answer only."""
    response = client.post(reverse("followups:calendar_token"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = response.context["feed_url"]
    assert url in response.content.decode()
    return url.removeprefix("http://testserver")


def fetch(path: str):
    return Client().get(path)


def test_feed_token_can_be_rotated(org):
    client = org.client(org.cw1)
    old = make_address(client)
    assert fetch(old).status_code == 200
    new = make_address(client)
    assert new != old
    assert fetch(new).status_code == 200
    assert fetch(old).status_code == 404
    assert CalendarFeed.objects.filter(user=org.cw1).count() == 1


def test_feed_token_shown_only_once(org):
    client = org.client(org.cw1)
    path = make_address(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    page = client.get(reverse("followups:my_due")).content.decode()
    assert token not in page
    assert "Lav en ny adresse" in page


def test_feed_token_stored_only_as_hash(org):
    path = make_address(org.client(org.cw1))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = [str(v) for row in CalendarFeed.objects.values() for v in row.values()]
    assert not any(token in value for value in stored)
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_feed_can_be_revoked(org):
    client = org.client(org.cw1)
    path = make_address(client)
    response = client.post(reverse("followups:calendar_token"), {"stop": "1"})
    assert response.status_code == 302
    assert fetch(path).status_code == 404
    assert not CalendarFeed.objects.filter(user=org.cw1).exists()


@pytest.fixture
def log_streams():
    """What the configured handlers of django.server and django.request write, and what a
    handler added later without any filter (a WSGI server's access log, caplog) receives."""
    raw = io.StringIO()
    raw_handler = logging.StreamHandler(raw)
    swapped: dict[int, tuple[logging.StreamHandler, object]] = {}
    names = ("django.server", "django.request", "gunicorn.access")
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    configured = io.StringIO()
    for lg in loggers:
        for h in lg.handlers:
            if isinstance(h, logging.StreamHandler) and id(h) not in swapped:
                swapped[id(h)] = (h, h.setStream(configured))
        lg.addHandler(raw_handler)
        lg.setLevel(logging.INFO)
    yield configured, raw
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(raw_handler)
        lg.setLevel(level)
    for h, stream in swapped.values():
        h.setStream(stream)


def server_log_line(path: str, status: int) -> None:
    """The development server's own access-log call (django.core.servers.basehttp)."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.client_address = ("127.0.0.1", 50000)
    handler.requestline = f"GET {path} HTTP/1.1"
    handler.request_version = "HTTP/1.1"
    handler.log_request(status, 1234)


def test_feed_token_not_in_server_log(org, log_streams, monkeypatch):
    configured, raw = log_streams
    path = make_address(org.client(org.cw1))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    fetch(path)
    server_log_line(path, 200)
    server_log_line(path.replace(token, token[:-3]), 404)  # a mistyped token is a secret too
    fetch("/calendar/" + token[:-3] + ".ics")  # 404: django.request warns
    logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": f"GET {path}", "s": "200"})
    monkeypatch.setattr("trappen.followups.calendar.feed_for", lambda *a: 1 / 0)
    assert Client(raise_request_exception=False).get(path).status_code == 500
    for stream in (configured, raw):
        written = stream.getvalue()
        assert "/calendar/" in written and "Internal Server Error" in written
        assert token[:20] not in written
    assert "ZeroDivisionError" in raw.getvalue()


def test_feed_token_not_in_audit_log(org):
    path = make_address(org.client(org.cw1))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    fetch(path)
    fetch(path + "x")
    for entry in AuditEntry.objects.all():
        assert token not in f"{entry.path} {entry.detail}"


def test_feed_stops_with_deactivated_account(org):
    path = make_address(org.client(org.cw1))
    org.cw1.is_active = False
    org.cw1.save()
    assert fetch(path).status_code == 404


def test_feed_stops_when_password_changes(org):
    path = make_address(org.client(org.cw1))
    update_last_login(None, org.cw1)  # what every login saves: the address keeps working
    assert fetch(path).status_code == 200
    org.cw1.set_password("a-new-long-password-42")
    org.cw1.save()
    assert fetch(path).status_code == 404


@pytest.mark.parametrize("change", ["team", "profession", "no team"])
def test_feed_stops_when_team_or_profession_changes(org, change):
    path = make_address(org.client(org.cw1))
    if change == "team":
        org.cw1.team = org.south
    elif change == "profession":
        org.cw1.profession = Profession.ANALYST
    else:
        org.cw1.team = None
    org.cw1.save()
    assert fetch(path).status_code == 404


def test_feed_unknown_and_stopped_tokens_get_the_same_404(org):
    client = org.client(org.cw1)
    rotated = make_address(client)
    current = make_address(client)
    answers = [fetch(rotated), fetch("/calendar/" + "A" * 43 + ".ics"), fetch("/calendar/x.ics")]
    client.post(reverse("followups:calendar_token"), {"stop": "1"})
    answers.append(fetch(current))
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            '"GET /calendar/abc-DEF_123.ics HTTP/1.1" 200 5',
            '"GET /calendar/[redacted] HTTP/1.1" 200 5',
        ),
        ("Not Found: /calendar/abc%2Fdef.ics", "Not Found: /calendar/[redacted]"),
        ("{'path': 'calendar/abc.ics'}", "{'path': 'calendar/[redacted]'}"),
        ('"GET /meetings/calendar/?week=2 HTTP/1.1" 200 5', None),  # the team calendar page
        ('"GET /follow-ups/calendar/ HTTP/1.1" 200 5', None),  # where an address is made
    ],
)
def test_feed_token_redaction_leaves_other_paths(line, kept):
    from trappen.followups.logging import redact_feed_tokens

    assert redact_feed_tokens(line) == (kept or line)
