"""F10 point 6: the team leader's message "Ny underretning afventer fordeling" carries the child
and a link to the notification — the name only for a reader the policy lets see it."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.audit.models import AuditEntry
from trappen.intake.models import Notification
from trappen.notices.models import Notice


def register(org) -> Notification:  # type: ignore[no-untyped-def]
    received = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = org.client(org.cw1).post(
        reverse("intake:new"),
        {
            "cpr": "050318-4321",
            "first_name": "Mille",
            "last_name": "Flowsen",
            "district": org.d_north.pk,
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "kind": "notification",
            "source": "school",
            "notifier_name": "Lene Holm",
            "notifier_role": "Klasselærer",
            "notifier_email": "lene@skole.example",
            "content": "Mille kommer ofte sulten i skole.",
        },
    )
    assert response.status_code == 302
    return Notification.objects.get(child__cpr="0503184321")


@pytest.mark.django_db
def test_the_awaiting_assignment_message_names_the_child_and_links_the_notification(org):
    notification = register(org)
    notice = Notice.objects.get(recipient=org.leader, text="Ny underretning afventer fordeling")
    assert notice.notification == notification and "Mille" not in notice.text
    before_pk = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = html.unescape(org.client(org.leader).get(reverse("notices:list")).content.decode())
    link = reverse("intake:notification", args=[notification.pk])
    assert f'href="{link}"' in page and "Mille Flowsen" in page
    assert notification.reference in page
    # Naming the child is a read of the notification, audited like the list pages' reads.
    shown = AuditEntry.objects.filter(pk__gt=before_pk, actor=org.leader, action="read")
    assert any(
        str(notification.pk) == str(pk) and kind.endswith("notification")
        for entry in shown
        for kind, pk, *_ in entry.objects_shown
    ) or shown.filter(object_type__endswith="notification", object_pk=str(notification.pk))
    assert "0503184321" not in page and "050318-4321" not in page


@pytest.mark.django_db
def test_a_reader_who_may_no_longer_see_the_notification_gets_the_text_only(org):
    notification = register(org)
    notice = Notice.objects.get(recipient=org.leader, text="Ny underretning afventer fordeling")
    # The same message in the inbox of a leader of another team (e.g. after moving team).
    Notice.objects.filter(pk=notice.pk).update(recipient=org.leader_south)
    page = html.unescape(org.client(org.leader_south).get(reverse("notices:list")).content.decode())
    assert "Ny underretning afventer fordeling" in page
    assert "Mille" not in page
    assert reverse("intake:notification", args=[notification.pk]) not in page


@pytest.mark.django_db
def test_ja_akut_starts_the_urgent_path(org):
    """§ 136: within 24 hours the municipality assesses whether the child's health or
    development is in danger and whether urgent action is needed; "Ja, akut" alerts the team
    leader, flags the notification in the queue and says what to do now."""
    notification = register(org)
    response = org.client(org.cw1).post(
        reverse("intake:assess", args=[notification.pk]),
        {"urgent_action": "yes", "note": "Barnet tør ikke gå hjem."},
        follow=True,
    )
    notification.refresh_from_db()
    assert notification.urgent_action is True
    page = html.unescape(response.content.decode())
    assert 'id="urgent"' in page and "Fordel sagen i dag" in page
    alert = Notice.objects.get(
        recipient=org.leader, notification=notification, text__startswith="Akut"
    )
    assert "Mille" not in alert.text
    queue = html.unescape(org.client(org.leader).get(reverse("dashboards:team")).content.decode())
    assert "Akut</span>" in queue


@pytest.mark.django_db
def test_ikke_akut_alerts_nobody(org):
    notification = register(org)
    org.client(org.cw1).post(
        reverse("intake:assess", args=[notification.pk]), {"urgent_action": "no", "note": ""}
    )
    assert not Notice.objects.filter(text__startswith="Akut").exists()
    page = html.unescape(
        org.client(org.cw1)
        .get(reverse("intake:notification", args=[notification.pk]))
        .content.decode()
    )
    assert 'id="urgent"' not in page
