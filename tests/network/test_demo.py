"""The demo shows the practice: a year of network meetings with minutes and agreements, some
called within a week and some later, and the professions' activities."""

from django.db.models import Count
from django.utils import timezone

from trappen.activities.models import MAX_CLARIFYING_TALKS, Activity
from trappen.demo import generator
from trappen.demo import network as demo_network
from trappen.network.models import NetworkMeeting


def rows() -> list[tuple]:
    return sorted(
        NetworkMeeting.objects.filter(case__isnull=False).values_list(
            "case__child__cpr", "starts_at", "concern_on"
        )
    ) + sorted(Activity.objects.values_list("case__child__cpr", "kind", "held_on"))


def test_demo_network_meetings_and_activities(db):
    today = timezone.localdate()
    generator.build(children=150, seed=7, today=today)
    first = rows()
    assert first
    NetworkMeeting.objects.all().delete()
    Activity.objects.all().delete()
    demo_network.build(seed=7, today=today, log=lambda _text: None)
    assert rows() == first
    meetings = list(
        NetworkMeeting.objects.filter(case__isnull=False)
        .select_related("case__child")
        .prefetch_related("participants")
    )
    assert all(m.district_id == m.case.child.district_id for m in meetings if m.case_id)
    written = [m for m in meetings if m.has_minutes]
    assert written and all(m.agreements and m.note_taker and m.contact_person for m in written)
    for m in meetings[:30]:
        roles = [p.role for p in m.ordered_participants()]
        assert roles[:2] == ["child", "parent"]
        assert {p.user.profession for p in m.participants.all() if p.user} <= {
            "caseworker", "psychologist", "health_visitor",
        }  # fmt: skip
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert Activity.Kind.CLARIFYING_TALK in kinds and Activity.Kind.NEEDS_VISIT in kinds
    courses = Activity.objects.filter(kind=Activity.Kind.CLARIFYING_TALK).values("case")
    assert max(c["n"] for c in courses.annotate(n=Count("pk"))) <= MAX_CLARIFYING_TALKS
    by_kind = Activity.objects.values_list("kind", "recorded_by__profession").distinct()
    assert all(
        (profession == "psychologist") == (kind == Activity.Kind.CLARIFYING_TALK)
        for kind, profession in by_kind
    )
