"""No lost updates: two people editing the same action plan, case or consent (F4, integrity)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tests.access.helpers import share_with_consent
from trappen.audit import log as audit_log
from trappen.cases import services as cases_services
from trappen.cases.models import Case, CaseAssignment, JournalEntry, Transfer
from trappen.investigations import services as investigations
from trappen.plans.models import ActionPlanRevision

from .test_flow import goals_post

GOAL = {"goal": "Mille møder i skole", "who": "Forældrene", "progress_sign": "Færre fraværsdage"}


def _goal(text: str) -> dict[str, str]:
    return GOAL | {"goal": text, "due_on": date(2030, 1, 1).isoformat()}


def test_the_second_editor_of_an_action_plan_sees_both_versions_and_loses_nothing(org):
    case = org.case()
    url = reverse("plans:revise", args=[case.pk])
    anna, leader = org.client(org.cw1), org.client(org.leader)
    # Both open the form on the empty plan; the form remembers what each started from.
    assert anna.get(url).context["form"]["based_on"].value() == 0
    assert leader.get(url).context["form"]["based_on"].value() == 0

    saved = anna.post(url, goals_post("Annas formål", _goal("Annas mål")))
    assert saved.status_code == 302
    clash = leader.post(url, goals_post("Lederens formål", _goal("Lederens mål")))

    # Nothing of the leader's is saved over Anna's revision, and nothing of theirs is lost.
    assert clash.status_code == 200
    assert list(ActionPlanRevision.objects.values_list("number", "purpose")) == [
        (1, "Annas formål")
    ]
    assert clash.context["conflict"].number == 1
    page = clash.content.decode()
    assert "Annas formål" in page and "Annas mål" in page  # the saved version
    assert "Lederens formål" in page and "Lederens mål" in page  # theirs, still in the form
    assert clash.context["form"]["based_on"].value() == "1"

    # Saving again is deliberate: it goes on top of Anna's revision.
    data = goals_post("Lederens formål", _goal("Lederens mål"), based_on=1)
    assert leader.post(url, data).status_code == 302
    assert list(ActionPlanRevision.objects.values_list("number", "purpose")) == [
        (2, "Lederens formål"),
        (1, "Annas formål"),
    ]


def test_a_revision_form_without_its_starting_point_is_refused(org):
    case = org.case()
    data = goals_post("Formål", _goal("Mål"))
    del data["based_on"]
    response = org.client(org.cw1).post(reverse("plans:revise", args=[case.pk]), data)
    assert response.status_code == 200
    assert not ActionPlanRevision.objects.exists()


# Cases and consent: the forms that change them carry the version they were rendered with.


def _today() -> str:
    return timezone.localdate().isoformat()


def _close_data(form_version: object, note: str) -> dict[str, str]:
    return {
        "closed_on": _today(),
        "reason": Case.ClosureReason.NO_NEED,
        "note": note,
        "version": str(form_version),
    }


def test_closing_a_case_someone_transferred_meanwhile_shows_both_and_changes_nothing(org):
    case = org.case()
    close_url = reverse("cases:close", args=[case.pk])
    transfer_url = reverse("cases:transfer", args=[case.pk])
    anna, leader = org.client(org.cw1), org.client(org.leader)
    # Both open their forms on the same case.
    seen = leader.get(close_url).context["form"]["version"].value()
    assert anna.get(transfer_url).context["form"]["version"].value() == seen == case.version

    handover = timezone.localdate() + timedelta(days=3)
    sent = anna.post(
        transfer_url,
        {
            "to_district": org.d_south.pk,
            "receiving_team_leader": org.leader_south.pk,
            "handover_meeting_on": handover.isoformat(),
            "version": str(seen),
        },
    )
    assert sent.status_code == 302
    clash = leader.post(close_url, _close_data(seen, "Lederens afslutningsnote"))

    # Nothing of the leader's is saved; the page shows the case now and the leader's input.
    assert clash.status_code == 200
    case.refresh_from_db()
    assert case.is_open and case.closure_note == ""
    assert Transfer.objects.get(case=case).is_pending
    assert clash.context["conflict"].pk == case.pk
    assert clash.context["pending_transfer"].to_team == org.south
    page = clash.content.decode()
    assert str(org.south) in page and str(org.leader_south) in page  # the case now
    assert str(case.caseworker) in page
    assert "Lederens afslutningsnote" in page  # theirs, kept in the form
    assert (gettext("Note"), "Lederens afslutningsnote") in clash.context["yours"]
    assert clash.context["last_change"].actor == org.cw1  # who changed the case
    assert clash.context["form"]["version"].value() == str(case.version)

    # Saving again is deliberate; here the case's own rule then refuses it (a pending transfer).
    again = leader.post(close_url, _close_data(case.version, "Lederens afslutningsnote"))
    assert again.status_code == 200 and "conflict" not in again.context
    assert again.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.is_open


def test_the_second_closer_does_not_overwrite_the_first_closure(org):
    case = org.case()
    url = reverse("cases:close", args=[case.pk])
    anna, leader = org.client(org.cw1), org.client(org.leader)
    version = anna.get(url).context["form"]["version"].value()
    assert leader.get(url).context["form"]["version"].value() == version

    assert anna.post(url, _close_data(version, "Annas note")).status_code == 302
    clash = leader.post(url, _close_data(version, "Lederens note"))

    # A closed case is no longer editable at all (the policy), so nothing is written over it.
    assert clash.status_code != 302
    case.refresh_from_db()
    assert (case.status, case.closure_note) == (Case.Status.CLOSED, "Annas note")


def test_a_change_without_conflict_saves_and_raises_the_version(org):
    case = org.case()
    before = case.version
    url = reverse("cases:close", args=[case.pk])
    assert org.client(org.cw1).post(url, _close_data(before, "")).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.version > before


def test_receiving_a_case_whose_status_changed_meanwhile_is_a_conflict_until_saved_again(org):
    case = org.case()
    cases_services.request_transfer(
        case,
        to_district=org.d_south,
        receiving_team_leader=org.leader_south,
        handover_meeting_on=timezone.localdate() + timedelta(days=2),
        by=org.cw1,
    )
    url = reverse("cases:receive", args=[case.pk])
    svend = org.client(org.leader_south)
    version = svend.get(url).context["form"]["version"].value()
    # Meanwhile the caseworker starts a child investigation: the case's status changes.
    investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    data = {"caseworker": org.cw_south.pk, "version": str(version)}
    clash = svend.post(url, data)
    assert clash.status_code == 200
    assert clash.context["conflict"].status == Case.Status.INVESTIGATION
    assert str(Case.Status.INVESTIGATION.label) in clash.content.decode()
    case.refresh_from_db()
    assert (case.team, case.caseworker) == (org.north, org.cw1)
    assert not CaseAssignment.objects.filter(case=case, caseworker=org.cw_south).exists()

    assert svend.post(url, data | {"version": str(case.version)}).status_code == 302
    case.refresh_from_db()
    assert (case.team, case.caseworker) == (org.south, org.cw_south)


def test_a_stale_version_on_the_service_changes_nothing(org):
    case = org.case()
    case.save(update_fields=["closure_note"])  # someone else's change
    with pytest.raises(cases_services.CaseConflict):
        cases_services.close(
            case,
            closed_on=timezone.localdate(),
            reason=Case.ClosureReason.NO_NEED,
            note="",
            version=case.version - 1,
        )
    case.refresh_from_db()
    assert case.is_open


def test_withdrawing_a_consent_someone_withdrew_meanwhile_shows_both_and_keeps_the_first(org):
    case = org.case()
    _sharing, consent = share_with_consent(case, org.psych, by=org.cw1)
    url = reverse("consent:withdraw", args=[consent.pk])
    anna, leader = org.client(org.cw1), org.client(org.leader)
    version = anna.get(url).context["form"]["version"].value()
    assert leader.get(url).context["form"]["version"].value() == version == consent.version

    yesterday = timezone.localdate() - timedelta(days=1)
    first = {"withdrawn_on": _today(), "version": str(version)}
    assert anna.post(url, first).status_code == 302
    clash = leader.post(url, {"withdrawn_on": yesterday.isoformat(), "version": str(version)})

    assert clash.status_code == 200
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (timezone.localdate(), org.cw1)
    assert clash.context["conflict"].pk == consent.pk
    assert clash.context["form"]["withdrawn_on"].value() == yesterday.isoformat()  # theirs
    assert (gettext("Withdrawn on"), yesterday.strftime("%d.%m.%Y")) in clash.context["yours"]
    page = clash.content.decode()
    assert timezone.localdate().strftime("%d.%m.%Y") in page  # the first withdrawal
    assert str(org.cw1) in page

    # Saving again is deliberate; a consent is withdrawn once, so it is refused, not reapplied.
    again = leader.post(
        url, {"withdrawn_on": yesterday.isoformat(), "version": str(consent.version)}
    )
    assert again.status_code == 200 and "conflict" not in again.context
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_a_consent_changed_meanwhile_is_withdrawn_only_on_a_deliberate_second_save(org):
    case = org.case()
    _sharing, consent = share_with_consent(case, org.psych, by=org.cw1)
    url = reverse("consent:withdraw", args=[consent.pk])
    leader = org.client(org.leader)
    version = leader.get(url).context["form"]["version"].value()
    # Someone corrects the consent's end date meanwhile (e.g. in the admin).
    consent.valid_to = timezone.localdate() + timedelta(days=30)
    consent.save()
    data = {"withdrawn_on": _today(), "version": str(version)}
    clash = leader.post(url, data)
    assert clash.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert clash.context["form"]["version"].value() == str(consent.version)

    again = leader.post(url, data | {"version": str(consent.version)})
    assert again.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_a_journal_entry_is_not_kept_when_its_audit_entry_cannot_be_written(org, monkeypatch):
    # Every multi-row change is one transaction: the entry and its audit entry, or neither.
    case = org.case()
    anna = org.client(org.cw1)
    assert anna.get(reverse("cases:case", args=[case.pk])).status_code == 200

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit_log, "append", broken)
    with pytest.raises(RuntimeError):
        anna.post(
            reverse("cases:journal_add", args=[case.pk]), {"heading": "note", "text": "Samtale"}
        )
    assert not JournalEntry.objects.filter(case=case).exists()
