"""Bad input is refused with a clear Danish message, and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases import services as cases
from trappen.cases.models import Case, CaseAssignment, Child, EarlyStep, Transfer
from trappen.intake import services as intake
from trappen.intake.models import Notification
from trappen.investigations import services as investigations
from trappen.investigations.models import ChildInvestigation, NetworkMapEntry
from trappen.measures import services as measures
from trappen.measures.models import Episode
from trappen.notices.models import Notice
from trappen.organisation.models import District
from trappen.plans.models import ActionPlanRevision, Goal

from .test_flow import day, goals_post, local_minute, shows, text

REQUIRED = "Dette felt er påkrævet."


def rows(*models) -> list[int]:  # type: ignore[no-untyped-def]
    return [m.objects.count() for m in models]


def future_cpr() -> str:
    """A CPR number whose date of birth is a year from now (7th digit 4: the 2000s)."""
    born = timezone.localdate() + timedelta(days=366)
    assert born.year <= 2036
    return f"{born:%d%m%y}4321"


NEW_CHILD = {
    "first_name": "Ny",
    "last_name": "Barnesen",
    "source": "school",
    "notifier_name": "Lene Holm",
    "notifier_email": "lene@skole.example",
    "content": "Bekymring fra skolen.",
}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"cpr": "12345"}, "cpr", "Et CPR-nummer har 10 cifre, fx 010203-1234.", id="cpr-short"
        ),
        pytest.param(
            {"cpr": "0101aa1234"},
            "cpr",
            "Et CPR-nummer har 10 cifre, fx 010203-1234.",
            id="cpr-letters",
        ),
        pytest.param(
            {"cpr": "3102991234"},
            "cpr",
            "CPR-nummeret indeholder ikke en gyldig fødselsdato.",
            id="cpr-31-february",
        ),
        pytest.param(
            {"cpr": "future"},
            "cpr",
            "Fødselsdatoen i CPR-nummeret ligger i fremtiden.",
            id="cpr-born-in-future",
        ),
        pytest.param(
            {"received_at": "tomorrow"},
            "received_at",
            "Tidspunktet kan ikke ligge i fremtiden.",
            id="received-in-future",
        ),
        pytest.param(
            {"district": ""},
            "district",
            "Skal udfyldes for et barn, der ikke er kendt i forvejen.",
            id="new-child-without-district",
        ),
        pytest.param(
            {"first_name": ""},
            "first_name",
            "Skal udfyldes for et barn, der ikke er kendt i forvejen.",
            id="new-child-without-name",
        ),
    ],
)
def test_notification_for_a_new_child_is_refused(org, fields, field, message):
    data = NEW_CHILD | {
        "cpr": "0202164321",
        "district": org.d_north.pk,
        "received_at": local_minute(-timedelta(hours=1)),
    }
    data |= fields
    if data["cpr"] == "future":
        data["cpr"] = future_cpr()
    if data["received_at"] == "tomorrow":
        data["received_at"] = local_minute(timedelta(days=1))
    before = rows(Child, Notification, Notice)
    response = org.client(org.cw1).post(reverse("intake:new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    shows(response, message)
    assert rows(Child, Notification, Notice) == before


def test_episode_cannot_end_before_it_starts(org):
    case = org.case()
    today = timezone.localdate()
    client = org.client(org.cw1)
    data = {
        "intervention": org.intervention(1).pk,
        "start_on": day(today),
        "end_on": day(today - timedelta(days=1)),
        "end_reason": "planned",
        "daily_cost": "900",
    }
    response = client.post(reverse("measures:episode_add", args=[case.pk]), data)
    assert response.status_code == 200
    shows(response, "En foranstaltning kan ikke slutte, før den starter.")
    assert not Episode.objects.exists()

    # Ending a running measure before its start is refused the same way.
    episode = measures.start(
        case,
        intervention=org.intervention(1),
        start_on=today,
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=900,
        by=org.cw1,
    )
    response = client.post(
        reverse("measures:episode_end", args=[episode.pk]),
        {"end_on": day(today - timedelta(days=3)), "end_reason": "planned"},
    )
    assert response.status_code == 200
    shows(response, "En foranstaltning kan ikke slutte, før den starter.")
    episode.refresh_from_db()
    assert episode.end_on is None and episode.end_reason == ""


def test_investigation_cannot_complete_without_a_network_map(org):
    case = org.case()
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    response = org.client(org.cw1).post(
        reverse("investigations:complete", args=[inv.pk]),
        {"completed_on": day(timezone.localdate()), "conclusion": "Intet behov."},
    )
    assert response.status_code == 400
    shows(
        response,
        "Netværkskortet skal udarbejdes med familien, før undersøgelsen kan afsluttes.",
    )
    inv.refresh_from_db()
    assert inv.completed_on is None and inv.conclusion == ""


def _new_notification(org) -> Notification:  # type: ignore[no-untyped-def]
    return intake.register(
        cpr="0202164321",
        first_name="Ny",
        last_name="Barnesen",
        district=org.d_north,
        received_at=timezone.now() - timedelta(hours=1),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )


def test_case_cannot_be_assigned_to_a_caseworker_of_another_team(org):
    notification = _new_notification(org)
    before = rows(Case, CaseAssignment, Notice)
    response = org.client(org.leader).post(
        reverse("intake:assign", args=[notification.pk]), {"caseworker": org.cw_south.pk}
    )
    assert response.status_code == 400
    shows(
        response,
        "Sagen kan kun fordeles til en socialrådgiver i distriktets team (Team Nord).",
    )
    assert rows(Case, CaseAssignment, Notice) == before
    notification.refresh_from_db()
    assert notification.case is None


def test_transferred_case_cannot_be_received_by_a_caseworker_of_another_team(org):
    case = org.case()
    cases.request_transfer(
        case,
        to_district=org.d_south,
        receiving_team_leader=org.leader_south,
        handover_meeting_on=timezone.localdate(),
        by=org.cw1,
    )
    response = org.client(org.leader_south).post(
        reverse("cases:receive", args=[case.pk]), {"caseworker": org.cw2.pk}
    )
    assert response.status_code == 200
    shows(response, "Sagen kan kun fordeles til en socialrådgiver i distriktets team (Team Syd).")
    case.refresh_from_db()
    assert (case.team, case.caseworker) == (org.north, org.cw1)
    assert Transfer.objects.get(case=case).is_pending


def test_no_measure_can_start_on_a_closed_case(org):
    case = org.case()
    client = org.client(org.cw1)
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        {"closed_on": day(timezone.localdate()), "reason": "no_need"},
    )
    assert response.status_code == 302
    data = {
        "intervention": org.intervention(1).pk,
        "start_on": day(timezone.localdate()),
        "daily_cost": "900",
    }
    assert client.get(reverse("measures:episode_add", args=[case.pk])).status_code == 403
    assert client.post(reverse("measures:episode_add", args=[case.pk]), data).status_code == 403
    leader = org.client(org.leader)
    assert leader.post(reverse("measures:episode_add", args=[case.pk]), data).status_code == 403
    assert not Episode.objects.exists()
    # The case page no longer offers the action.
    response = client.get(reverse("cases:case", args=[case.pk]))
    assert reverse("measures:episode_add", args=[case.pk]) not in text(response)


def test_case_with_an_active_measure_cannot_close(org):
    case = org.case()
    measures.start(
        case,
        intervention=org.intervention(2),
        start_on=timezone.localdate() - timedelta(days=10),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=1200,
        by=org.cw1,
    )
    response = org.client(org.cw1).post(
        reverse("cases:close", args=[case.pk]),
        {"closed_on": day(timezone.localdate()), "reason": "no_need", "note": ""},
    )
    assert response.status_code == 200
    shows(response, "Afslut sagens aktive foranstaltninger, før sagen lukkes.")
    case.refresh_from_db()
    assert case.is_open and case.closed_on is None and case.closure_reason == ""


def test_psychologist_talk_needs_its_talk_number(org):
    case = org.case()
    response = org.client(org.cw1).post(
        reverse("cases:early_step_add", args=[case.pk]),
        {
            "kind": "psychologist_talk",
            "held_on": day(timezone.localdate()),
            "professions": ["psychologist"],
            "talk_number": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["talk_number"] == [
        "Angiv, hvilken af de 1-5 afklarende samtaler det er."
    ]
    shows(response, "Angiv, hvilken af de 1-5 afklarende samtaler det er.")
    assert not EarlyStep.objects.exists()


def test_transfer_to_a_district_of_the_same_team_is_refused(org):
    case = org.case()
    other_north = District.objects.create(
        municipality=org.municipality, name="Nordmark", team=org.north, group=org.d_north.group
    )
    response = org.client(org.cw1).post(
        reverse("cases:transfer", args=[case.pk]),
        {
            "to_district": other_north.pk,
            "receiving_team_leader": org.leader.pk,
            "handover_meeting_on": day(timezone.localdate() + timedelta(days=2)),
        },
    )
    assert response.status_code == 200
    shows(response, "Det nye distrikt hører under samme team; sagen skal ikke flyttes.")
    assert not Transfer.objects.exists()
    case.refresh_from_db()
    assert case.team == org.north


def test_action_plan_with_only_empty_goals_is_refused(org):
    """The form as the browser sends it: the purpose filled in, every goal left blank."""
    case = org.case()
    client = org.client(org.cw1)
    blank = client.get(reverse("plans:revise", args=[case.pk])).context["goals"]
    data = goals_post("Tryg hverdag")
    data["goals-TOTAL_FORMS"] = str(blank.total_form_count())
    response = client.post(reverse("plans:revise", args=[case.pk]), data)
    assert response.status_code == 200
    shows(response, "Planen skal have mindst ét mål.")
    assert rows(ActionPlanRevision, Goal) == [0, 0]


@pytest.mark.parametrize(
    "goals",
    [
        pytest.param([], id="no-goal-forms"),
        pytest.param(
            [
                {
                    "goal": "Mål",
                    "who": "Forældrene",
                    "progress_sign": "Det ses",
                    "due_on": "2030-01-01",
                    "DELETE": "on",
                }
            ],
            id="only-goal-deleted",
        ),
    ],
)
def test_action_plan_without_goals_says_a_goal_is_needed(org, goals):
    case = org.case()
    response = org.client(org.cw1).post(
        reverse("plans:revise", args=[case.pk]), goals_post("Tryg hverdag", *goals)
    )
    assert response.status_code == 200
    assert rows(ActionPlanRevision, Goal) == [0, 0]
    shows(response, "Planen skal have mindst ét mål.")


def test_network_entry_without_a_person_is_refused_via_htmx(org):
    case = org.case()
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    response = org.client(org.cw1).post(
        reverse("investigations:network_add", args=[inv.pk]),
        {"person": "", "relation": "mor", "kind": "resource"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    shows(response, REQUIRED)
    assert not NetworkMapEntry.objects.exists()


def test_network_entry_without_a_person_is_refused_without_htmx(org):
    case = org.case()
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    response = org.client(org.cw1).post(
        reverse("investigations:network_add", args=[inv.pk]),
        {"person": "", "relation": "mor", "kind": "resource"},
        follow=True,
    )
    assert not NetworkMapEntry.objects.exists()
    shows(response, REQUIRED)


def _south(org, meeting_in_days: int, leader: str = "leader_south") -> dict[str, object]:
    return {
        "to_district": org.d_south.pk,
        "receiving_team_leader": getattr(org, leader).pk,
        "handover_meeting_on": day(timezone.localdate() + timedelta(days=meeting_in_days)),
    }


@pytest.mark.parametrize(
    ("url_name", "build", "message"),
    [
        pytest.param(
            "cases:close",
            lambda org, case: {
                "closed_on": day(case.opened_on - timedelta(days=1)),
                "reason": "no_need",
            },
            "En sag kan ikke lukkes, før den er oprettet.",
            id="close-before-opened",
        ),
        pytest.param(
            "cases:close",
            lambda org, case: {
                "closed_on": day(timezone.localdate() + timedelta(days=1)),
                "reason": "no_need",
            },
            "Datoen kan ikke ligge i fremtiden.",
            id="close-in-future",
        ),
        pytest.param(
            "investigations:start",
            lambda org, case: {"started_on": day(case.opened_on - timedelta(days=1))},
            "Undersøgelsen kan ikke starte, før sagen er oprettet.",
            id="investigation-before-case",
        ),
        pytest.param(
            "cases:transfer",
            lambda org, case: _south(org, 3, leader="leader"),
            "Den modtagende teamleder skal være leder af det nye distrikts team (Team Syd).",
            id="transfer-wrong-leader",
        ),
        pytest.param(
            "cases:transfer",
            lambda org, case: _south(org, -1),
            "Overleveringsmødet kan ikke ligge i fortiden.",
            id="transfer-meeting-in-past",
        ),
    ],
)
def test_case_actions_refuse_impossible_dates_and_people(org, url_name, build, message):
    case = org.case()
    before = rows(Transfer, Episode, ChildInvestigation)
    response = org.client(org.cw1).post(reverse(url_name, args=[case.pk]), build(org, case))
    assert response.status_code == 200
    shows(response, message)
    case.refresh_from_db()
    assert case.is_open and case.status == "clarification" and case.closed_on is None
    assert rows(Transfer, Episode, ChildInvestigation) == before


def test_case_with_a_pending_transfer_cannot_close(org):
    case = org.case()
    cases.request_transfer(
        case,
        to_district=org.d_south,
        receiving_team_leader=org.leader_south,
        handover_meeting_on=timezone.localdate() + timedelta(days=2),
        by=org.cw1,
    )
    response = org.client(org.cw1).post(
        reverse("cases:close", args=[case.pk]),
        {"closed_on": day(timezone.localdate()), "reason": "no_need"},
    )
    case.refresh_from_db()
    pending = Transfer.objects.filter(case=case, completed_at__isnull=True).exists()
    # Either the closure is refused, or closing withdraws the transfer: never both.
    assert not (pending and not case.is_open)
    assert response.status_code == 200 or not pending
    # In no case may the receiving team take over a closed case.
    org.client(org.leader_south).post(
        reverse("cases:receive", args=[case.pk]), {"caseworker": org.cw_south.pk}
    )
    case.refresh_from_db()
    assert case.is_open or case.team == org.north


def test_network_map_of_a_completed_investigation_cannot_change(org):
    case = org.case()
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    NetworkMapEntry.objects.create(investigation=inv, person="Mor", relation="mor", kind="resource")
    investigations.complete(inv, completed_on=timezone.localdate(), conclusion="Afsluttet.")
    response = org.client(org.cw1).post(
        reverse("investigations:network_add", args=[inv.pk]),
        {"person": "Ny person", "relation": "nabo", "kind": "concern"},
        HTTP_HX_REQUEST="true",
    )
    assert list(inv.network.values_list("person", flat=True)) == ["Mor"]
    assert response.status_code in (400, 403)
