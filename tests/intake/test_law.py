"""The genvurdering (Barnets Lov § 137, stk. 1) and the receipt to a professional notifier."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from trappen.intake import law
from trappen.intake.models import Notification
from trappen.measures.models import Episode

from ..conftest import DAILY_COST
from ..web.test_flow import day

CPH = ZoneInfo("Europe/Copenhagen")


def notification(org, case, source="school", when=None):  # type: ignore[no-untyped-def]
    when = when or timezone.now() - timedelta(hours=1)
    return Notification.objects.create(
        child=case.child,
        case=case,
        received_at=when,
        source=source,
        content="Ny bekymring",
        registered_by=org.leader,
        assessment_deadline=when + timedelta(hours=24),
    )


def supported(org):  # type: ignore[no-untyped-def]
    case = org.case()
    intervention = org.intervention(2)
    intervention.legal_concept = "supporting_measure"
    intervention.save()
    Episode.objects.create(
        child=case.child,
        case=case,
        intervention=intervention,
        start_on=timezone.localdate() - timedelta(days=30),
        daily_cost=DAILY_COST,
        created_by=org.cw1,
    )
    return case


def test_a_notification_during_support_is_reassessed_by_someone_not_involved(org):
    """§ 137, stk. 1: "skal kommunalbestyrelsen genvurdere sagen. En eller flere personer ...,
    som ikke tidligere har deltaget i behandlingen af sagen, skal deltage i genvurderingen"."""
    case = supported(org)
    n = notification(org, case)
    assert law.needs_genvurdering(n)
    page = org.client(org.cw1).get(reverse("intake:notification", args=[n.pk])).content.decode()
    assert 'id="genvurdering"' in page
    # The case's own caseworker took part: refused.
    org.client(org.cw1).post(reverse("intake:reassess", args=[n.pk]), {"note": "Ok"})
    n.refresh_from_db()
    assert n.reassessed_at is None
    # The other caseworker of the team has not: recorded with who and when.
    org.client(org.cw2).post(
        reverse("intake:reassess", args=[n.pk]), {"note": "Indsatsen fortsætter."}
    )
    n.refresh_from_db()
    assert n.reassessed_by == org.cw2 and n.reassessed_at is not None


def test_no_reassessment_without_support(org):
    n = notification(org, org.case())
    assert not law.needs_genvurdering(n)


def test_a_professional_notifier_gets_a_receipt_within_six_working_days(org):
    """Receipt to the notifier within 6 hverdage (Serviceloven § 155 b, stk. 1; from 2024 read
    as Barnets Lov § 138, not verified against its text; the rule row says so)."""
    case = org.case()
    friday = datetime(2025, 1, 10, 10, 0, tzinfo=CPH)
    n = notification(org, case, when=friday)
    assert law.receipt_due(n) == date(2025, 1, 20)
    assert law.receipt(n).is_late(timezone.localdate())
    assert law.receipt_due(notification(org, case, source="parent")) is None
    org.client(org.cw1).post(
        reverse("intake:receipt", args=[n.pk]), {"sent_on": day(date(2025, 1, 13))}
    )
    n.refresh_from_db()
    assert (n.receipt_sent_on, n.receipt_sent_by) == (date(2025, 1, 13), org.cw1)
    assert not law.receipt(n).is_late(timezone.localdate())
