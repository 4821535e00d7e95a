"""(b) Each form's view, posted hostile input by a user allowed to post it: never a server
error; a refusal re-renders the form with its errors, escapes what was typed and stores
nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.catalogue.models import Intervention
from trappen.intake import services as intake
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.measures.models import VisitationRequest
from trappen.meetings import services as meetings

from ..web.test_flow import goals_post
from .rows import row_counts
from .strategies import FUZZ, SCRIPT, hostile_value

# A request renders a whole page: fewer examples than the form-level test, which covers the
# fields themselves; the fixed edge cases below post every field regardless.
VIEW_FUZZ = settings(FUZZ, max_examples=12)


@dataclass
class Target:
    user: str  # the attribute of `org` who may post
    url: str
    data: dict[str, Any]
    fields: list[str]
    method: str = "post"
    partial: bool = False  # an HTMX helper that answers with a fragment and stores nothing


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _now_minute(hours: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _episode(org, case, intervention=None, cost="500"):  # type: ignore[no-untyped-def]
    return measures.start(
        case,
        intervention=intervention or org.intervention(2),
        start_on=timezone.localdate() - timedelta(days=30),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=Decimal(cost),
        by=org.cw1,
    )


def _institution(org) -> Intervention:  # type: ignore[no-untyped-def]
    return org.intervention(5, "residential_institution")


def notification_new(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "cpr": "0202164321",
        "first_name": "Ny",
        "last_name": "Barnesen",
        "district": org.d_north.pk,
        "received_at": _now_minute(-1),
        "source": "school",
        "notifier_name": "Lene Holm",
        "notifier_email": "lene@skole.example",
        "content": "Bekymring fra skolen.",
    }
    return Target("cw1", reverse("intake:new"), data, list(data))


def _notification(org):  # type: ignore[no-untyped-def]
    return intake.register(
        cpr="0303164321",
        first_name="Ny",
        last_name="Barnesen",
        district=org.d_north,
        received_at=timezone.now() - timedelta(hours=1),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )


def notification_lookup(org) -> Target:  # type: ignore[no-untyped-def]
    org.child("0505164321")
    url = reverse("intake:lookup")
    return Target("cw1", url, {"cpr": "050516-4321"}, ["cpr"], partial=True)


def notification_assess(org) -> Target:  # type: ignore[no-untyped-def]
    url = reverse("intake:assess", args=[_notification(org).pk])
    return Target(
        "cw1", url, {"urgent_action": "no", "note": "Ikke akut."}, ["urgent_action", "note"]
    )


def notification_assign(org) -> Target:  # type: ignore[no-untyped-def]
    url = reverse("intake:assign", args=[_notification(org).pk])
    return Target("leader", url, {"caseworker": org.cw2.pk}, ["caseworker"])


def notification_confirm_child(org) -> Target:  # type: ignore[no-untyped-def]
    from trappen.organisation.models import Profession

    school = org.user("skolefuzz", Profession.SCHOOL, None)
    notification = intake.register(
        cpr="0404164321", first_name="Ny", last_name="Skolebarn", district=org.d_north,
        received_at=timezone.now() - timedelta(hours=1), source="school", content="Bekymring",
        by=school,
    )  # fmt: skip
    url = reverse("intake:confirm_child", args=[notification.pk])
    data = {"first_name": "Ny", "last_name": "Barnesen", "district": org.d_north.pk}
    return Target("leader", url, data, list(data))


def journal_add(org) -> Target:  # type: ignore[no-untyped-def]
    url = reverse("cases:journal_add", args=[org.case().pk])
    return Target("cw1", url, {"heading": "Samtale", "text": "Tekst."}, ["heading", "text"])


def early_step_add(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "kind": "network_meeting",
        "held_on": _today(),
        "professions": ["caseworker", "school"],
        "talk_number": "",
        "note": "Møde.",
    }
    return Target("cw1", reverse("cases:early_step_add", args=[org.case().pk]), data, list(data))


def case_close(org) -> Target:  # type: ignore[no-untyped-def]
    data = {"closed_on": _today(), "reason": "no_need", "note": "Lukket."}
    return Target("cw1", reverse("cases:close", args=[org.case().pk]), data, list(data))


def case_transfer(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "to_district": org.d_south.pk,
        "receiving_team_leader": org.leader_south.pk,
        "handover_meeting_on": _today(3),
    }
    return Target("cw1", reverse("cases:transfer", args=[org.case().pk]), data, list(data))


def action_plan_revise(org) -> Target:  # type: ignore[no-untyped-def]
    goal = {"goal": "Mål", "who": "Anna", "progress_sign": "Tegn", "due_on": _today(90)}
    data = goals_post("Formål", goal)
    fields = ["purpose", "based_on", "goals-TOTAL_FORMS", "goals-0-goal", "goals-0-who"]
    fields += ["goals-0-progress_sign", "goals-0-due_on", "goals-0-DELETE"]
    return Target("cw1", reverse("plans:revise", args=[org.case().pk]), data, fields)


def investigation_start(org) -> Target:  # type: ignore[no-untyped-def]
    url = reverse("investigations:start", args=[org.case().pk])
    return Target("cw1", url, {"started_on": _today()}, ["started_on"])


def network_add(org) -> Target:  # type: ignore[no-untyped-def]
    inv = investigations.start(org.case(), started_on=timezone.localdate(), by=org.cw1)
    data = {"person": "Mormor", "relation": "mormor", "kind": "resource", "contact": "1234"}
    return Target("cw1", reverse("investigations:network_add", args=[inv.pk]), data, list(data))


def investigation_complete(org) -> Target:  # type: ignore[no-untyped-def]
    inv = investigations.start(org.case(), started_on=timezone.localdate(), by=org.cw1)
    inv.network.create(person="Mormor", relation="mormor", kind="resource")
    data = {"completed_on": _today(), "conclusion": "Behov for støtte."}
    return Target("cw1", reverse("investigations:complete", args=[inv.pk]), data, list(data))


def episode_add(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "intervention": _institution(org).pk,
        "start_on": _today(),
        "end_on": "",
        "end_reason": "",
        "provider": "",
        "daily_cost": "500",
        "movement_reason": "",
        "movement_note": "",
        "planned_discharge_on": _today(200),
        "intended_next_step": "3",
    }
    return Target("cw1", reverse("measures:episode_add", args=[org.case().pk]), data, list(data))


def episode_end(org) -> Target:  # type: ignore[no-untyped-def]
    episode = _episode(org, org.case())
    data = {"end_on": _today(), "end_reason": "planned", "movement_reason": "", "movement_note": ""}
    return Target("cw1", reverse("measures:episode_end", args=[episode.pk]), data, list(data))


def episode_exit_plan(org) -> Target:  # type: ignore[no-untyped-def]
    case = org.case()
    episode = measures.start(
        case,
        intervention=_institution(org),
        start_on=timezone.localdate(),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=Decimal(500),
        planned_discharge_on=timezone.localdate() + timedelta(days=100),
        intended_next_step=3,
        by=org.cw1,
    )
    data = {"planned_discharge_on": _today(150), "intended_next_step": "2"}
    return Target("cw1", reverse("measures:episode_exit_plan", args=[episode.pk]), data, list(data))


def visitation_decide(org) -> Target:  # type: ignore[no-untyped-def]
    case = org.case()
    org.client(org.cw1).post(
        reverse("measures:episode_add", args=[case.pk]),
        {
            "intervention": org.intervention(4, "foster_ordinary").pk,
            "start_on": _today(),
            "daily_cost": "1500",
            "consent": "with",
            "placement_reason": "child",
        },
    )
    request = VisitationRequest.objects.get(case=case)
    data = {"decision": "refuse", "note": "Netværket først."}
    return Target(
        "leader", reverse("measures:visitation_decide", args=[request.pk]), data, list(data)
    )


def followup_record(org) -> Target:  # type: ignore[no-untyped-def]
    episode = _episode(org, org.case())
    data = {
        "held_on": _today(),
        "form": "meeting",
        "child_conversation": "yes",
        "conversation_note": "Samtale.",
        "plan_review": "kept",
        "next_agreed_on": _today(30),
        "note": "",
    }
    return Target("cw1", reverse("followups:record", args=[episode.pk]), data, list(data))


def exception_approve(org) -> Target:  # type: ignore[no-untyped-def]
    episode = _episode(org, org.case(), org.intervention(4, "foster_ordinary"))
    data = {"kind": "childhood_foster", "reason": "Hjemgivelse udelukket."}
    return Target(
        "leader", reverse("followups:exception_approve", args=[episode.pk]), data, list(data)
    )


def consent_add(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "custody_holder": "Mor",
        "relation": "mother",
        "scope": "case",
        "profession": "psychologist",
        "recipient": "",
        "valid_from": _today(),
        "valid_to": "",
    }
    return Target("cw1", reverse("consent:add", args=[org.case().pk]), data, list(data))


def break_glass(org) -> Target:  # type: ignore[no-untyped-def]
    case = org.case(org.child("0404164321", org.d_south), caseworker=org.cw_south)
    data = {"reason": "Akut henvendelse fra politiet om barnet i nat."}
    return Target("cw1", reverse("consent:break_glass", args=[case.pk]), data, ["reason"])


def catalogue(org) -> Target:  # type: ignore[no-untyped-def]
    data = {"q": "", "age": "", "provider": "", "placement": "", "step": ""}
    return Target("cw1", reverse("catalogue:index"), data, list(data), method="get")


def steering(org) -> Target:  # type: ignore[no-untyped-def]
    data = {
        "start": _today(-60),
        "end": _today(-1),
        "group_by": "group",
        "compare_start": "",
        "compare_end": "",
        "treated": "",
        "control": "",
    }
    return Target("analyst", reverse("evaluation:index"), data, list(data), method="get")


TARGETS: list[Callable[..., Target]] = [
    notification_new,
    notification_lookup,
    notification_assess,
    notification_assign,
    notification_confirm_child,
    journal_add,
    early_step_add,
    case_close,
    case_transfer,
    action_plan_revise,
    investigation_start,
    network_add,
    investigation_complete,
    episode_add,
    episode_end,
    episode_exit_plan,
    visitation_decide,
    followup_record,
    exception_approve,
    consent_add,
    break_glass,
    catalogue,
    steering,
]


def _forms_in(response) -> list[Any]:  # type: ignore[no-untyped-def]
    found = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in value.values() if isinstance(value, dict) else []:
                if isinstance(item, BaseForm | BaseFormSet):
                    found.append(item)
    return found


def _has_errors(form: Any) -> bool:
    if isinstance(form, BaseFormSet):
        return bool(form.non_form_errors()) or any(f.errors for f in form.forms)
    return bool(form.errors)


def post_and_check(client: Client, target: Target, changes: dict[str, Any], htmx: bool) -> None:
    """Post in a savepoint that is rolled back: every post starts from the same database."""
    with transaction.atomic():
        _post_and_check(client, target, changes, htmx)
        transaction.set_rollback(True)


def _post_and_check(client: Client, target: Target, changes: dict[str, Any], htmx: bool) -> None:
    data = target.data | changes
    headers = {"HX-Request": "true"} if htmx else {}
    before = row_counts()
    response = getattr(client, target.method)(target.url, data, headers=headers)
    assert response.status_code != 500, (changes, response.content[-2000:])
    assert response.status_code in (200, 302, 400, 403), changes
    page = response.content.decode()
    assert SCRIPT not in page
    if target.partial:
        assert row_counts() == before, changes
        return
    if target.method == "get" or response.status_code == 302:
        return
    refused = any(_has_errors(f) for f in _forms_in(response))
    if refused or response.status_code == 403 or response.context.get("conflict"):
        assert row_counts() == before, changes
    else:
        # Only an accepted HTMX post answers 200 without errors: with the updated partial.
        assert htmx and response.status_code == 200, (changes, page[-2000:])


def _client(org, target: Target) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(getattr(org, target.user))
    return client


@pytest.mark.parametrize("build", TARGETS, ids=lambda b: b.__name__)
def test_hostile_post_is_never_a_server_error_and_a_refusal_stores_nothing(org, build):
    target = build(org)
    client = _client(org, target)

    @VIEW_FUZZ
    @given(
        changes=st.dictionaries(st.sampled_from(target.fields), hostile_value, min_size=1),
        htmx=st.booleans(),
    )
    def check(changes: dict[str, Any], htmx: bool) -> None:
        post_and_check(client, target, changes, htmx)

    check()


# The edges of the calendar, in every field: date arithmetic near them overflows.
EDGES = ["0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "a\x00b"]


@pytest.mark.parametrize("build", TARGETS, ids=lambda b: b.__name__)
def test_the_edges_of_the_calendar_and_nul_in_every_field_are_refused_or_stored_whole(org, build):
    target = build(org)
    client = _client(org, target)
    failures = []
    for field in target.fields:
        for value in EDGES:
            try:
                post_and_check(client, target, {field: value}, htmx=False)
            except AssertionError:
                failures.append((field, value))
    assert failures == []


@pytest.mark.parametrize("meeting", ["abc", "1.5", "²", "\x00", SCRIPT])
def test_closing_an_agreement_at_a_meeting_that_is_not_a_number_is_a_bad_request(org, meeting):
    first = timezone.localdate() + timedelta(days=1)
    made_at, *_later = meetings.plan(
        meetings.create_internal_series(org.north), first, first + timedelta(days=30)
    )
    agreement = meetings.add_agreement(made_at, who="Anna", what="Ring", due_on=first)
    client = _client(org, Target("cw1", "", {}, []))
    url = reverse("meetings:agreement_close", args=[agreement.pk])
    response = client.post(url, {"meeting": meeting})
    assert response.status_code == 400
    assert SCRIPT not in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.closed_at_id is None
    # Without a meeting it is closed where it was made.
    assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.closed_at_id == made_at.pk


def test_an_action_plan_based_on_a_revision_that_does_not_exist_is_no_server_error(org):
    target = action_plan_revise(org)
    # Found by the fuzzing: the first revision, posted as if revision 1 already existed.
    post_and_check(_client(org, target), target, {"based_on": "1"}, htmx=False)
