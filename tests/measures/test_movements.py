"""Movements on the staircase: recorded when the child's highest active step changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.measures import services
from trappen.measures.models import Episode, Movement

from ..web.test_flow import day, flash, shows, text
from .conftest import CHEAP, start

REASON_NEEDED = "Barnet flytter fra trin %s til trin %s på trappen: angiv årsagen til bevægelsen."


def moves(child) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (m.from_step, m.to_step, m.moved_on, m.reason)
        for m in Movement.objects.filter(child=child).order_by("moved_on", "pk")
    ]


def test_entering_and_leaving_the_staircase_are_movements_without_a_required_reason(org, kit):
    case = org.case()
    today = timezone.localdate()
    episode = start(case, kit.support, today - timedelta(days=30), org.cw1)
    services.end(episode, end_on=today, end_reason="planned", by=org.cw1)
    assert moves(case.child) == [
        (None, 2, today - timedelta(days=30), ""),
        (2, None, today, ""),
    ]
    entry, exit_ = Movement.objects.order_by("moved_on")
    assert not entry.is_down and exit_.is_down
    assert entry.episode == exit_.episode == episode
    assert exit_.recorded_by == org.cw1


def test_a_move_between_steps_needs_a_reason_and_records_it(org, kit):
    case = org.case()
    today = timezone.localdate()
    start(case, kit.support, today - timedelta(days=30), org.cw1)
    anna = org.client(org.cw1)
    data = {
        "intervention": kit.foster.pk,
        "start_on": day(today),
        "daily_cost": str(CHEAP),
        "consent": "with",
        "placement_reason": "child",
    }

    response = anna.post(reverse("measures:episode_add", args=[case.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["movement_reason"] == [REASON_NEEDED % (2, 4)]
    shows(response, REASON_NEEDED % (2, 4))
    assert Episode.objects.count() == 1 and Movement.objects.count() == 1

    response = anna.post(
        reverse("measures:episode_add", args=[case.pk]),
        data | {"movement_reason": "needs_changed", "movement_note": "Hjemmet kan ikke mere."},
        follow=True,
    )
    assert flash(response) == ["Foranstaltningen er registreret."]
    assert response.context["step"] == 4
    assert moves(case.child)[-1] == (2, 4, today, "needs_changed")
    move = Movement.objects.get(to_step=4)
    assert move.note == "Hjemmet kan ikke mere." and move.recorded_by == org.cw1
    assert not move.is_down
    shows(response, "Bevægelser på trappen", "Barnets behov har ændret sig", "↑ op")


def test_no_movement_and_no_reason_when_the_step_stays_the_same(org, kit):
    case = org.case()
    today = timezone.localdate()
    start(case, kit.foster, today - timedelta(days=30), org.cw1)
    before = moves(case.child)
    # Another measure on the same step, and one on a lower step: the child stays on step 4.
    kinship = start(case, kit.kinship, today - timedelta(days=5), org.cw1)
    start(case, kit.support, today - timedelta(days=5), org.cw1)
    services.end(kinship, end_on=today, end_reason="planned")
    assert moves(case.child) == before == [(None, 4, today - timedelta(days=30), "")]


def test_ending_the_highest_measure_moves_the_child_down(org, kit):
    case = org.case()
    today = timezone.localdate()
    start(case, kit.support, today - timedelta(days=60), org.cw1)
    foster = start(
        case, kit.foster, today - timedelta(days=30), org.cw1, movement_reason="needs_changed"
    )
    anna = org.client(org.cw1)
    url = reverse("measures:episode_end", args=[foster.pk])

    response = anna.post(url, {"end_on": day(today), "end_reason": "breakdown"})
    assert response.status_code == 200
    shows(response, REASON_NEEDED % (4, 2))
    foster.refresh_from_db()
    assert foster.end_on is None and Movement.objects.count() == 2

    response = anna.post(
        url,
        {"end_on": day(today), "end_reason": "breakdown", "movement_reason": "placement_failed"},
        follow=True,
    )
    assert flash(response) == ["Foranstaltningen er afsluttet."]
    move = Movement.objects.get(from_step=4, to_step=2)
    assert move.is_down and move.reason == "placement_failed"
    shows(response, "↓ ned (målet)", "Anbringelsen fungerede ikke / barnet stak af")
    assert response.context["step"] == 2


def test_a_measure_recorded_with_its_end_records_both_moves(org, kit):
    case = org.case()
    today = timezone.localdate()
    start(case, kit.support, today - timedelta(days=90), org.cw1)
    with pytest.raises(ValidationError) as refused:
        start(
            case,
            kit.institution,
            today - timedelta(days=60),
            org.cw1,
            end_on=today - timedelta(days=20),
            end_reason="planned",
            planned_discharge_on=today - timedelta(days=20),
            intended_next_step=2,
        )
    assert refused.value.message_dict == {"movement_reason": [REASON_NEEDED % (2, 5)]}
    start(
        case,
        kit.institution,
        today - timedelta(days=60),
        org.cw1,
        end_on=today - timedelta(days=20),
        end_reason="planned",
        planned_discharge_on=today - timedelta(days=20),
        intended_next_step=2,
        movement_reason="short_term",
    )
    assert moves(case.child)[1:] == [
        (2, 5, today - timedelta(days=60), "short_term"),
        (5, 2, today - timedelta(days=20), "short_term"),
    ]


def test_an_unknown_reason_is_refused(org, kit):
    case = org.case()
    with pytest.raises(ValidationError):
        start(case, kit.support, timezone.localdate(), org.cw1, movement_reason="whim")
    assert not Episode.objects.exists() and not Movement.objects.exists()
    response = org.client(org.cw1).post(
        reverse("measures:episode_add", args=[case.pk]),
        {
            "intervention": kit.support.pk,
            "start_on": day(timezone.localdate()),
            "daily_cost": "100",
            "movement_reason": "whim",
        },
    )
    assert response.status_code == 200
    assert "movement_reason" in response.context["form"].errors
    assert not Episode.objects.exists()


def test_movements_follow_the_child_not_the_case(org, kit):
    """The panel lists the child's movements, with up and down visibly marked."""
    case = org.case()
    today = timezone.localdate()
    episode = start(case, kit.support, today - timedelta(days=10), org.cw1)
    services.end(episode, end_on=today, end_reason="planned", by=org.cw1)
    share_with_consent(case, org.psych, by=org.cw1)  # F4: so the psychologist reads it
    response = org.client(org.psych).get(reverse("cases:case", args=[case.pk]))
    page = text(response)
    moves = [e for e in response.context["timeline"] if e.kind == "Bevægelse på trappen"]
    assert len(moves) == 2  # onto the staircase and off it again
    assert "↑ op" in page and "↓ ned (målet)" in page
