"""F6 point 7 (the data half): a break-the-glass reason is stored with CPR numbers masked, the
audit log holds no free text of it, and retention reaches every free text that can name a
child — break-the-glass reasons, consents, notices, meeting records."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.privacy.conftest import build_history
from trappen.audit.models import AuditAction, AuditEntry
from trappen.consent import services
from trappen.consent.models import BreakGlass
from trappen.meetings.models import AgendaItem, Agreement, Meeting, Participant, Series
from trappen.notices.models import Notice
from trappen.privacy.retention import cutoff, run_retention

CPR_REASON = "Politiet bragte 010203-1234 og søsteren 0102054321 ind i nat, mor er væk."


def years_ago(n: int, days: int = 0):
    return cutoff(timezone.localdate(), n) - timedelta(days=days)


@pytest.fixture
def case(org):
    return org.case()


def open_glass(org, case, reason=CPR_REASON):
    return org.client(org.cw_south).post(
        reverse("consent:break_glass", args=[case.pk]), {"reason": reason}
    )


def test_break_glass_reason_masks_cpr(org, case):
    response = open_glass(org, case)
    assert response.status_code == 302
    grant = BreakGlass.objects.get()
    assert "010203-1234" not in grant.reason and "0102054321" not in grant.reason
    assert "1234" not in grant.reason and "4321" not in grant.reason
    assert "Politiet bragte" in grant.reason and "søsteren" in grant.reason
    # The banner and the team leader's list show the masked reason.
    page = org.client(org.cw_south).get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "010203-1234" not in page
    assert "xxxxxx-xxxx" in page


def test_break_glass_reason_masks_cpr_whatever_path_stores_it(org, case):
    """The model masks, so the shell or a later view cannot store a CPR number either."""
    now = timezone.now()
    grant = BreakGlass.objects.create(
        case=case, user=org.cw_south, reason="Barn 1112131234 hos vagten", opened_at=now,
        expires_at=now + timedelta(hours=1),
    )  # fmt: skip
    grant.refresh_from_db()
    assert "1112131234" not in grant.reason


def test_break_glass_audit_entry_holds_no_free_text(org, case):
    open_glass(org, case)
    grant = BreakGlass.objects.get()
    entry = AuditEntry.objects.get(action=AuditAction.BREAK_GLASS)
    assert set(entry.detail) == {"break_glass", "until"}
    assert entry.detail["break_glass"] == grant.pk
    text = str(entry.detail)
    assert "Politiet" not in text and "mor" not in text and "xxxxxx" not in text
    assert entry.child_pk == case.child_id


def test_retention_clears_break_glass_reason(org):
    old = build_history(org, "0101151234", closed_on=years_ago(6))
    grant = services.break_glass(
        old.case, user=org.cw_south, reason="Far Jens Hansen ringede om barnet i nat"
    )
    run_retention(log=lambda _line: None)
    grant.refresh_from_db()
    assert grant.reason == ""
    # Nor is it anywhere in the audit log: the log never held it.
    assert not [e for e in AuditEntry.objects.all() if "Jens Hansen" in str(e.detail)]


def test_retention_deletes_notices_about_the_case(org):
    old = build_history(org, "0101151234", closed_on=years_ago(6))
    Notice.objects.create(recipient=org.cw1, text="Ny underretning i din sag", case=old.case)
    run_retention(log=lambda _line: None)
    assert not Notice.objects.filter(case=old.case).exists()


def test_retention_clears_old_meeting_records(org):
    """Minutes, agenda items, agreements and guests' names of meetings held before the
    cut-off: free text that may name a child without pointing at its case."""
    series = Series.objects.create(kind=Series.Kind.INTERNAL, team=org.north)
    held = timezone.now() - timedelta(days=365 * 7)
    old = Meeting.objects.create(
        series=series, starts_at=held, ends_at=held + timedelta(hours=1),
        minutes="Vi talte om Mikkel Nordbarn fra 3.b", held_at=held,
    )  # fmt: skip
    recent_at = timezone.now() - timedelta(days=30)
    recent = Meeting.objects.create(
        series=series, starts_at=recent_at, ends_at=recent_at + timedelta(hours=1),
        minutes="Vi talte om Sofie fra 2.a",
    )  # fmt: skip
    item = AgendaItem.objects.create(
        meeting=old, kind=AgendaItem.Kind.GROUP, title="Mikkels klasse",
        description="Mikkel Nordbarn slår", decision="Lærer Hansen taler med mor",
    )  # fmt: skip
    agreement = Agreement.objects.create(
        series=series, made_at=old, who="Lise", what="Ringer til Mikkels mor",
        due_on=held.date() + timedelta(days=14),
    )  # fmt: skip
    guest = Participant.objects.create(
        meeting=old, name="Mormor Grethe", role=Participant.Role.choices[-1][0]
    )
    summary = run_retention(log=lambda _line: None)
    for obj in (old, item, agreement, guest):
        obj.refresh_from_db()
    assert old.minutes == ""
    assert (item.title, item.description, item.decision) == ("", "", "")
    assert (agreement.who, agreement.what) == ("", "")
    assert guest.name == ""
    recent.refresh_from_db()
    assert recent.minutes == "Vi talte om Sofie fra 2.a"
    assert summary.rows["meetings.meeting"] == 1


def test_the_break_glass_list_is_audited(org, case):
    open_glass(org, case, "Barnet er bragt til vagten af politiet i nat.")
    before = AuditEntry.objects.filter(action=AuditAction.READ, child_pk=case.child_id).count()
    page = org.client(org.leader).get(reverse("consent:break_glass_list"))
    assert page.status_code == 200
    reads = AuditEntry.objects.filter(
        action=AuditAction.READ, child_pk=case.child_id, actor=org.leader
    )
    assert reads.count() >= 1
    assert reads.count() + before > before
