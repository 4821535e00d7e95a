"""The investigation tiers and their clock (Barnets Lov §§ 18-20, LBK nr 282 af 17/03/2025)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trappen.intake.models import Notification
from trappen.investigations import services
from trappen.investigations.models import ChildInvestigation

from ..web.test_flow import day

CPH = ZoneInfo("Europe/Copenhagen")


def notify(org, case, when: datetime) -> Notification:  # type: ignore[no-untyped-def]
    return Notification.objects.create(
        child=case.child,
        case=case,
        received_at=when,
        source="school",
        content="Bekymring",
        registered_by=org.cw1,
        assessment_deadline=when + timedelta(hours=24),
    )


@pytest.fixture
def case_opened_10_january(org):  # type: ignore[no-untyped-def]
    case = org.case()
    case.opened_on = date(2025, 1, 10)
    case.save()
    notify(org, case, datetime(2025, 1, 10, 9, 0, tzinfo=CPH))
    return case


def test_the_deadline_runs_from_the_first_notification(org, case_opened_10_january):
    """§ 20, stk. 3: "senest 4 måneder efter at kommunalbestyrelsen bliver opmærksom på, at et
    barn eller en ung kan have behov for særlig støtte". A notification received 10 January and
    an investigation started 1 March: deadline 10 May (not 1 July)."""
    inv = services.start(case_opened_10_january, started_on=date(2025, 3, 1), by=org.cw1)
    assert (inv.aware_on, inv.deadline) == (date(2025, 1, 10), date(2025, 5, 10))


def test_another_day_of_awareness_needs_a_reason_and_moves_the_deadline(
    org, case_opened_10_january
):
    """The day of awareness is recorded and editable with a reason."""
    with pytest.raises(ValidationError):
        services.start(
            case_opened_10_january,
            started_on=date(2025, 3, 1),
            by=org.cw1,
            aware_on=date(2025, 2, 1),
        )
    inv = services.start(
        case_opened_10_january,
        started_on=date(2025, 3, 1),
        by=org.cw1,
        aware_on=date(2025, 2, 1),
        aware_on_reason="Underretningen af 10.1. gjaldt en anden bekymring",
    )
    assert inv.deadline == date(2025, 6, 1)
    with pytest.raises(ValidationError):
        services.set_awareness(inv, aware_on=date(2025, 1, 10), reason=" ")
    services.set_awareness(inv, aware_on=date(2025, 1, 10), reason="Rettet efter gennemsyn")
    inv.refresh_from_db()
    assert inv.deadline == date(2025, 5, 10)


def test_past_the_deadline_a_foreloebig_vurdering_is_shown_red_until_it_exists(
    org, case_opened_10_january
):
    """§ 20, stk. 3: "Hvis undersøgelsen undtagelsesvis ikke kan afsluttes inden 4 måneder,
    skal kommunalbestyrelsen udarbejde en foreløbig vurdering"."""
    inv = services.start(case_opened_10_january, started_on=date(2025, 3, 1), by=org.cw1)
    anna = org.client(org.cw1)
    page = anna.get(reverse("investigations:investigation", args=[inv.pk]))
    assert page.context["preliminary_due"]  # today is long past 10 May 2025
    case_page = anna.get(reverse("cases:case", args=[case_opened_10_january.pk])).content.decode()
    assert 'id="investigations"' in case_page and 'class="flag red"' in case_page
    response = anna.post(
        reverse("investigations:preliminary", args=[inv.pk]),
        {
            "made_on": day(timezone.localdate()),
            "text": "Barnet trives i skolen; hjemmet uafklaret.",
        },
    )
    assert response.status_code == 302
    inv.refresh_from_db()
    assert inv.preliminary_on == timezone.localdate()
    assert not anna.get(reverse("investigations:investigation", args=[inv.pk])).context[
        "preliminary_due"
    ]


def test_screening_and_afdaekning_are_steps_with_a_decision_and_no_four_months(
    org, case_opened_10_january
):
    """§ 18 (screening) and § 19 (afdækning): steps of the case with their decision and date;
    the 4-month deadline is the børnefaglig undersøgelse's (§ 20)."""
    case = case_opened_10_january
    anna = org.client(org.cw1)
    response = anna.post(
        reverse("investigations:start", args=[case.pk]),
        {"tier": "afdaekning", "started_on": day(date(2025, 1, 12))},
    )
    assert response.status_code == 302
    step = ChildInvestigation.objects.get(case=case, tier="afdaekning")
    assert step.deadline is None and not step.preliminary_due()
    # No network map needed to conclude an afdækning.
    services.complete(step, completed_on=date(2025, 2, 20), conclusion="Støtte efter § 32")
    step.refresh_from_db()
    assert step.completed_on == date(2025, 2, 20)
    with pytest.raises(ValidationError):
        inv = services.start(case, started_on=date(2025, 3, 1), by=org.cw1)
        services.complete(inv, completed_on=date(2025, 4, 1), conclusion="x")  # no network map


def test_the_timeline_names_each_tier_by_its_own_word(org, case_opened_10_january):
    """The case's timeline tells an afdækning (§ 19) from a børnefaglig undersøgelse (§ 20):
    each step under its own word, not every step as "Børnefaglig undersøgelse"."""
    case = case_opened_10_january
    afdaekning = services.start(case, started_on=date(2025, 1, 12), by=org.cw1, tier="afdaekning")
    services.complete(afdaekning, completed_on=date(2025, 2, 20), conclusion="Støtte efter § 32")
    services.start(case, started_on=date(2025, 3, 1), by=org.cw1)
    response = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    kinds = [e.kind for e in response.context["timeline"]]
    assert kinds.count("Afdækning") == 2  # started and completed
    assert kinds.count("Børnefaglig undersøgelse") == 1
