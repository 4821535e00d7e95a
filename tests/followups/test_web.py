"""Recording follow-ups, exceptions, due lists and the calendar feed, through the web."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.cases.models import JournalEntry
from trappen.followups import services
from trappen.followups.models import CalendarFeed, FollowUp, FollowUpException
from trappen.plans import services as plans

TODAY = timezone.localdate


def post_followup(client, episode, **overrides):
    data = {
        "held_on": TODAY().isoformat(),
        "form": "meeting",
        "child_conversation": "yes",
        "conversation_note": "Mads fortalte om skolen.",
        "plan_review": "kept",
        "next_agreed_on": (TODAY() + timedelta(days=42)).isoformat(),
        "note": "",
        # Barnets Lov § 95, stk. 3: the first follow-up decides the rhythm to come.
        "rhythm": "3m",
        "rhythm_justification": "Hver tredje måned passer til forløbet.",
        "child_wishes": "Mads vil gerne ses på skolen.",
    }
    data.update(overrides)
    return client.post(reverse("followups:record", args=[episode.pk]), data)


def test_recording_a_follow_up_writes_the_child_conversation_to_the_journal(org, episode_of):
    episode = episode_of("institution", days_ago=20)
    plans.revise(
        episode.case,
        purpose="Tryghed",
        goals=[
            {
                "goal": "Går i skole",
                "who": "Mor",
                "progress_sign": "Fremmøde",
                "due_on": TODAY() + timedelta(days=90),
            }
        ],
        by=org.cw1,
    )
    goal = episode.case.action_plan.current().goals.get()
    # F9: every goal of the plan is rated at the follow-up (goal attainment, -2 … +2).
    refused = post_followup(org.client(org.cw1), episode)
    assert refused.status_code == 200 and not FollowUp.objects.exists()
    assert "Giv målet en vurdering på skalaen." in refused.content.decode()
    response = post_followup(org.client(org.cw1), episode, **{f"goal_{goal.pk}": "1"})
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.goal_ratings.get().rating == 1
    assert follow_up.plan_revision.number == 1
    assert follow_up.journal_entry.heading == JournalEntry.Heading.CHILD_CONVERSATION
    assert follow_up.journal_entry.text == "Mads fortalte om skolen."
    page = org.client(org.cw1).get(reverse("cases:case", args=[episode.case_id])).content.decode()
    assert "Børnesamtale" in page and "Seneste opfølgninger" in page


def test_goals_changed_leads_on_to_revising_the_plan(org, episode_of):
    episode = episode_of("preventive", days_ago=40)
    response = post_followup(org.client(org.cw1), episode, plan_review="changed")
    assert response.url == reverse("plans:revise", args=[episode.case_id])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"held_on": "2000-01-01"},
            "En opfølgning kan ikke holdes, før foranstaltningen startede.",
        ),
        (
            {"held_on": (TODAY() + timedelta(days=3)).isoformat()},
            "Datoen kan ikke ligge i fremtiden.",
        ),
        ({"conversation_note": ""}, "Skriv journalnotatet om børnesamtalen."),
        ({"next_agreed_on": TODAY().isoformat()}, "Næste opfølgning skal ligge efter denne."),
    ],
)
def test_bad_follow_ups_are_refused_and_nothing_is_saved(org, episode_of, overrides, message):
    episode = episode_of("institution", days_ago=20)
    response = post_followup(org.client(org.cw1), episode, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FollowUp.objects.exists() and not JournalEntry.objects.exists()


def test_only_the_case_team_may_record(org, episode_of):
    episode = episode_of("institution")
    assert post_followup(org.client(org.cw2), episode).status_code == 403  # same team, not owner
    assert post_followup(org.client(org.cw_south), episode).status_code == 404


def test_exceptions_need_the_team_leader_and_a_reason(org, episode_of):
    episode = episode_of("foster_family", placement_type="foster_ordinary")
    url = reverse("followups:exception_approve", args=[episode.pk])
    org.client(org.cw1).post(url, {"kind": "childhood_foster", "reason": "Hjemgivelse udelukket"})
    assert not FollowUpException.objects.exists()
    leader = org.client(org.leader)
    response = leader.post(url, {"kind": "childhood_foster", "reason": ""}, follow=True)
    assert not FollowUpException.objects.exists()
    assert "Dette felt er påkrævet." in response.content.decode()
    leader.post(url, {"kind": "childhood_foster", "reason": "Hjemgivelse udelukket"})
    exception = FollowUpException.objects.get()
    assert exception.approved_by == org.leader
    page = leader.get(reverse("cases:case", args=[episode.case_id])).content.decode()
    assert "Hjemgivelse udelukket" in page
    assert (
        org.client(org.cw1)
        .post(reverse("followups:exception_withdraw", args=[exception.pk]))
        .status_code
        == 403
    )
    leader.post(reverse("followups:exception_withdraw", args=[exception.pk]))
    exception.refresh_from_db()
    assert exception.withdrawn_on == TODAY()


def test_due_lists_for_caseworker_and_team_leader(org, episode_of):
    overdue = episode_of("institution", days_ago=70)  # nothing held: overdue
    soon = episode_of("institution", days_ago=5, case=org.case(org.child("0202164321")))
    page = org.client(org.cw1).get(reverse("followups:my_due"))
    due = page.context["due"]
    assert [r.episode for r in due.overdue] == [overdue]
    assert [r.episode for r in due.soon] == [soon]
    assert org.client(org.cw1).get(reverse("dashboards:my_home")).status_code == 200
    team = org.client(org.leader).get(reverse("followups:team_due"))
    tally = team.context["overview"].by_caseworker[org.cw1]
    assert tally.episodes == 2 and tally.overdue_model == 1
    assert tally.model_compliance == 0.0
    assert org.client(org.cw1).get(reverse("followups:team_due")).status_code == 403


def test_calendar_feed_is_private_and_names_no_child(org, episode_of):
    episode = episode_of("institution", days_ago=5)
    client = org.client(org.cw1)
    url = client.post(reverse("followups:calendar_token")).context["feed_url"]  # shown this once
    assert CalendarFeed.objects.filter(user=org.cw1).exists()
    anonymous = org.client(org.analyst)
    anonymous.logout()
    response = anonymous.get(url)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
    due = (episode.start_on + timedelta(days=14)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{due}" in body
    assert episode.child.first_name not in body and episode.child.cpr[:6] not in body
    client.post(reverse("followups:calendar_token"))
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("followups:calendar_feed", args=["guess"])).status_code == 404


def test_follow_ups_appear_on_the_case_timeline(org, episode_of):
    episode = episode_of("institution", days_ago=20)
    post_followup(org.client(org.cw1), episode)
    page = org.client(org.cw1).get(reverse("cases:case", args=[episode.case_id]))
    kinds = [e.kind for e in page.context["timeline"]]
    assert "Opfølgning" in kinds


def test_team_leader_sees_the_overdue_measures_by_caseworker(org, episode_of):
    late = episode_of("institution", days_ago=70)
    page = org.client(org.leader).get(reverse("followups:team_due"))
    assert [r.episode for r in page.context["overview"].overdue] == [late]
    assert "Overskredet, pr. socialrådgiver" in page.content.decode()


def test_an_approved_exception_shows_what_it_changed_in_the_rhythm(org, episode_of):
    # F10 point 6 a: a far-away foster placement, its 2-week point missed; today's phone
    # follow-up counts for the model only once the team leader approves the exception.
    episode = episode_of("foster_family", days_ago=30, placement_type="foster_ordinary")
    FollowUp.objects.create(
        episode=episode,
        case=episode.case,
        held_on=TODAY(),
        form="phone",
        child_conversation=False,
        plan_review="kept",
        recorded_by=org.cw1,
    )
    missed, new = episode.start_on + timedelta(days=14), TODAY() + timedelta(days=42)
    page = org.client(org.leader).get(reverse("cases:case", args=[episode.case_id]))
    assert [d.due for d in page.context["deadlines"] if d.kind == "follow_up"] == [missed]
    response = org.client(org.leader).post(
        reverse("followups:exception_approve", args=[episode.pk]),
        {"kind": "far_away", "reason": "Anbragt i Aalborg, 120 km væk"},
        follow=True,
    )
    change = f"Næste opfølgning efter modellen: {danish(missed)} (overskredet) → {danish(new)}"
    assert f"Undtagelsen er godkendt. {change}" in [str(m) for m in response.context["messages"]]
    page = org.client(org.cw1).get(reverse("cases:case", args=[episode.case_id]))
    assert change in page.content.decode()
    # The case page's open deadlines follow the new rhythm.
    assert [d.due for d in page.context["deadlines"] if d.kind == "follow_up"] == [new]


def test_an_exception_that_moved_nothing_yet_says_what_counts_from_now_on(org, episode_of):
    episode = episode_of("foster_family", days_ago=5, placement_type="foster_ordinary")
    response = org.client(org.leader).post(
        reverse("followups:exception_approve", args=[episode.pk]),
        {"kind": "far_away", "reason": "Anbragt i Aalborg, 120 km væk"},
        follow=True,
    )
    due = danish(episode.start_on + timedelta(days=14))
    assert (
        f"Næste opfølgning efter modellen: {due} (uændret indtil videre). Fra "
        f"{danish(TODAY())} tæller en opfølgning pr. telefon eller mail også efter modellen."
    ) in response.content.decode()


def danish(day):
    months = "januar februar marts april maj juni juli august september oktober november december"
    return f"{day.day}. {months.split()[day.month - 1]} {day.year}"


def test_what_the_exceptions_changed_costs_the_case_page_no_query_per_exception(
    org, episode_of, django_assert_max_num_queries
):
    case = org.case()
    first = episode_of("foster_family", days_ago=30, placement_type="foster_ordinary", case=case)
    second = episode_of("institution", days_ago=30, placement_type="foster_ordinary", case=case)
    services.approve_exception(first, kind="far_away", reason="120 km væk", by=org.leader)
    client, url = org.client(org.leader), reverse("cases:case", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    queries = len(one)  # now: the next request clears the connection's query log
    services.approve_exception(second, kind="far_away", reason="90 km væk", by=org.leader)
    services.approve_exception(second, kind="boarding_school", reason="Efterskole", by=org.leader)
    client.get(url)
    with django_assert_max_num_queries(queries):
        page = client.get(url).content.decode()
    assert page.count("Næste opfølgning efter modellen:") == 3


def test_a_withdrawn_exception_does_not_say_phone_or_mail_counts(org, episode_of):
    # Withdrawn before any phone or mail follow-up was held under it: it moved nothing, and
    # from now on such follow-ups do not count; the case page must not say they do.
    episode = episode_of("foster_family", days_ago=5, placement_type="foster_ordinary")
    leader = org.client(org.leader)
    leader.post(
        reverse("followups:exception_approve", args=[episode.pk]),
        {"kind": "far_away", "reason": "Anbragt i Aalborg, 120 km væk"},
        follow=True,  # the approval's own confirmation is read here, not on the page below
    )
    exception = FollowUpException.objects.get(episode=episode)
    leader.post(reverse("followups:exception_withdraw", args=[exception.pk]), follow=True)
    exception.refresh_from_db()
    assert exception.withdrawn_on is not None
    page = leader.get(reverse("cases:case", args=[episode.case_id])).content.decode()
    due = danish(episode.start_on + timedelta(days=14))
    assert f"Næste opfølgning efter modellen: {due} (uændret)." in page
    assert "tæller en opfølgning pr. telefon eller mail også" not in page


def test_no_exception_is_approved_for_a_measure_that_has_ended(org, episode_of):
    # An exception counts from its approval on: for a measure that ended before today it
    # changes nothing, and its confirmation would name a follow-up "overdue" that no longer
    # falls due. A stale case page's form (the measure ended since) is refused.
    episode = episode_of("foster_family", days_ago=60, placement_type="foster_ordinary")
    episode.end_on, episode.end_reason = TODAY() - timedelta(days=3), "other"
    episode.save()
    response = org.client(org.leader).post(
        reverse("followups:exception_approve", args=[episode.pk]),
        {"kind": "far_away", "reason": "Anbragt i Aalborg, 120 km væk"},
        follow=True,
    )
    assert not FollowUpException.objects.filter(episode=episode).exists()
    refused = "Indsatsen er afsluttet: der er ingen undtagelse at godkende."
    assert [str(m) for m in response.context["messages"]] == [refused]
