"""Reminders by e-mail: opt-in, counts and links only (never a child's name or CPR), sent once,
audited; the team leader's alert before a 24-hour assessment is missed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from trappen.audit.models import AuditAction, AuditEntry
from trappen.catalogue.models import Intervention
from trappen.intake import services as intake
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.operations.models import ReminderChoice
from trappen.operations.reminders import digest_for, send_assessment_alerts, send_digests


@pytest.fixture
def busy(org):
    """A case of anna's with an overdue follow-up, a passed investigation deadline and an
    unassessed notification; the child has a name and a CPR the e-mails must not carry."""
    child = org.child("0101151234")
    child.first_name, child.last_name = "Emma", "Særligbarn"
    child.save()
    case = org.case(child)
    today = timezone.localdate()
    case.opened_on = today - timedelta(days=300)
    case.save()
    measures.start(
        case,
        intervention=Intervention.objects.create(
            name="Anbringelse på institution", step_id=5, cadence_category="institution"
        ),
        start_on=today - timedelta(days=200),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=500,
        by=org.cw1,
    )
    investigations.start(case, started_on=today - timedelta(days=200), by=org.cw1)
    intake.register(
        cpr=child.cpr,
        first_name="",
        last_name="",
        district=None,
        received_at=timezone.now() - timedelta(hours=21),
        source="school",
        content="Bekymring om Emma",
        by=org.cw1,
    )
    for user in (org.cw1, org.leader):
        user.email = f"{user.username}@example.invalid"
        user.save()
    return case


def opt_in(user, digest=True, alerts=False):  # type: ignore[no-untyped-def]
    ReminderChoice.objects.update_or_create(
        user=user, defaults={"daily_digest": digest, "assessment_alerts": alerts}
    )


def test_nothing_is_sent_to_who_did_not_opt_in(busy):
    assert send_digests() == 0 and send_assessment_alerts() == 0
    assert mail.outbox == []


def test_the_digest_counts_and_links_and_names_no_child(org, busy):
    opt_in(org.cw1)
    assert send_digests() == 1
    [message] = mail.outbox
    assert message.to == [org.cw1.email]
    text = message.subject + message.body
    for secret in ("Emma", "Særligbarn", "010115", "1234", "Bekymring"):
        assert secret not in text
    digest = digest_for(org.cw1, timezone.localdate())
    assert digest.investigations_overdue == 1 and digest.assessments_waiting == 1
    assert digest.followups_overdue + digest.followups_soon >= 1
    assert "/follow-ups/" in message.body and "/reminders/" in message.body
    assert "1" in message.body


def test_the_digest_is_sent_once_a_day_and_audited(org, busy):
    opt_in(org.cw1)
    assert send_digests() == 1
    assert send_digests() == 0
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(action=AuditAction.EMAIL)
    assert entry.detail["kind"] == "digest" and entry.detail["to_user"] == org.cw1.pk
    assert "Emma" not in str(entry.detail)


def test_a_caseworker_moved_to_another_team_gets_no_counts_of_the_old_team(org, busy):
    org.cw1.team = org.south
    org.cw1.save()
    digest = digest_for(org.cw1, timezone.localdate())
    assert digest.empty


def test_the_team_leader_is_alerted_before_an_assessment_is_missed(org, busy):
    opt_in(org.leader, digest=False, alerts=True)
    opt_in(org.cw1, digest=False, alerts=True)  # not a leader: no alerts
    assert send_assessment_alerts() == 1
    [message] = mail.outbox
    assert message.to == [org.leader.email]
    assert "Emma" not in message.subject + message.body
    assert "/team/" in message.body
    assert send_assessment_alerts() == 0  # once per notification


def test_no_alert_for_a_deadline_far_away(org, busy):
    opt_in(org.leader, digest=False, alerts=True)
    assert send_assessment_alerts(now=timezone.now() - timedelta(hours=10)) == 0


def test_the_reminder_page_saves_the_choice_and_hides_alerts_from_caseworkers(org):
    client = org.client(org.cw1)
    page = client.get("/reminders/")
    assert page.status_code == 200 and not page.context["may_get_alerts"]
    client.post("/reminders/", {"daily_digest": "on", "assessment_alerts": "on"})
    choice = ReminderChoice.objects.get(user=org.cw1)
    assert choice.daily_digest and not choice.assessment_alerts
    leader = org.client(org.leader)
    assert leader.get("/reminders/").context["may_get_alerts"]


def test_the_command_sends_both(org, busy):
    opt_in(org.cw1)
    opt_in(org.leader, digest=False, alerts=True)
    call_command("reminders")
    assert len(mail.outbox) == 2


def test_deadline_notices_are_written_once_per_deadline(org, busy):
    from trappen.notices.models import Notice
    from trappen.operations.deadlines import send_deadline_notices

    sent = send_deadline_notices()
    assert sent >= 2  # the follow-up and the investigation
    texts = list(Notice.objects.filter(recipient=org.cw1).values_list("text", flat=True))
    assert any(str(busy.pk) in t for t in texts)
    assert send_deadline_notices() == 0
