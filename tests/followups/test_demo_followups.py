"""The demo has a follow-up history that makes the due lists realistic."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from trappen.followups import duelist
from trappen.followups.models import CadenceRuleSet, FollowUp
from trappen.organisation.models import Team


def build() -> list[tuple]:
    call_command("demo", "--children", "150", "--yes", "--no-history", stdout=StringIO())
    return sorted(FollowUp.objects.values_list("episode__child__cpr", "held_on", "form"))


def test_demo_follow_ups_are_deterministic_and_show_overdue_items(db):
    first = build()
    assert first and first == build()
    assert CadenceRuleSet.objects.count() >= 3  # the demo keeps the rules migrations load
    today = timezone.localdate()
    tallies = [
        duelist.for_team(team.leaders().first(), team, today).total for team in Team.objects.all()
    ]
    assert sum(t.overdue_model for t in tallies) > 0
    assert all(0 <= (t.model_compliance or 0) <= 1 for t in tallies)
    conversations = FollowUp.objects.filter(child_conversation=True)
    assert conversations.exists()
    assert all(f.journal_entry.heading == "child_conversation" for f in conversations[:20])


def test_demo_has_movements_legal_bases_and_exit_plans(db):
    from trappen.measures.models import Episode, Movement

    build()
    assert Movement.objects.filter(from_step__isnull=False, to_step__isnull=False).exists()
    with_basis = Episode.objects.exclude(intervention__legal_concept="none")
    assert with_basis.filter(legal_basis__isnull=False).count() > 0.9 * with_basis.count()
    institutions = Episode.objects.filter(
        intervention__placement_type__in=["residential_institution", "socio_pedagogical"]
    )
    assert institutions.filter(planned_discharge_on__isnull=False).exists()
