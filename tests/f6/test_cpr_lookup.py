"""F6 point 6 and point 10: looking a child up by CPR number (the notification form's lookup, the
registration form itself, the data protection officer's access-report lookup) leaves a trace, is
throttled, answers only what the task needs, and never shows the CPR number back.

Each test is named after the finding it reproduces (issue F6); each failed on the code before
the fix."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from trappen.access import policy
from trappen.access.policy import LookupAnswer
from trappen.audit.models import AuditEntry
from trappen.intake.models import Notification
from trappen.organisation.models import Profession

LOOKUP = "lookup"  # AuditAction.LOOKUP
UNKNOWN_CPR = "0303174321"
# "For mange opslag på CPR-numre på et minut. …" (Danish once .po-drafts/auth.po is merged)
THROTTLED = "Too many CPR lookups in a minute. Wait a minute and try again."


def lookups(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=before, action=LOOKUP).order_by("sequence"))


def last_sequence() -> int:
    entry = AuditEntry.objects.order_by("-sequence").first()
    return entry.sequence if entry else 0


def formatted(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


def shows_cpr(body: str, cpr: str) -> bool:
    return cpr in body or formatted(cpr) in body


def test_cpr_lookup_is_audited_and_throttled(org):
    case = org.case()
    cw = org.client(org.cw1)
    url = reverse("intake:lookup")
    before = last_sequence()

    known = cw.post(url, {"cpr": formatted(case.child.cpr)}, HTTP_HX_REQUEST="true")
    new = cw.post(url, {"cpr": UNKNOWN_CPR}, HTTP_HX_REQUEST="true")
    assert known.status_code == new.status_code == 200

    found, not_found = lookups(before)
    assert (found.actor, found.child_pk) == (org.cw1, case.child.pk)
    assert (not_found.actor, not_found.child_pk) == (org.cw1, None)
    for entry in (found, not_found):
        text = f"{entry.detail} {entry.object_pk} {entry.path}"
        assert not shows_cpr(text, case.child.cpr) and not shows_cpr(text, UNKNOWN_CPR)

    # Probing many numbers in a row is stopped, with a message, before the register is asked.
    limit = settings.TRAPPEN_CPR_LOOKUPS_PER_MINUTE
    for i in range(limit):
        cw.post(url, {"cpr": f"01011{i % 10}1234"}, HTTP_HX_REQUEST="true")
    refused = cw.post(url, {"cpr": case.child.cpr}, HTTP_HX_REQUEST="true")
    body = refused.content.decode()
    assert gettext(THROTTLED) in body
    assert case.child.district.name not in body and case.child.first_name not in body
    # Refused lookups do not each write an entry: at most one says the limit was reached.
    assert len(lookups(before)) <= limit + 1
    # Another caseworker is not held up by it.
    other = org.client(org.cw2).post(url, {"cpr": UNKNOWN_CPR}, HTTP_HX_REQUEST="true")
    assert gettext(THROTTLED) not in other.content.decode()


def test_cpr_lookup_answers_only_what_registering_needs(org):
    case = org.case()  # a north child with an open case
    url = reverse("intake:lookup")

    # Outside the caseworker's team: known or not, nothing more (no district, no open case).
    south = org.client(org.cw_south).post(url, {"cpr": case.child.cpr}, HTTP_HX_REQUEST="true")
    body = south.content.decode()
    assert south.status_code == 200
    assert case.child.district.name not in body
    assert case.child.first_name not in body and case.child.last_name not in body
    assert "åben sag" not in body.lower() and "open case" not in body.lower()

    # In the caseworker's own team: the child's name, to confirm it is the right child.
    north = org.client(org.cw1).post(url, {"cpr": case.child.cpr}, HTTP_HX_REQUEST="true")
    assert case.child.first_name in north.content.decode()


def test_registering_a_notification_cannot_probe_cpr_numbers_without_trace(org):
    child = org.child()
    cw = org.client(org.cw_south)
    before = last_sequence()
    # Only a CPR number: the form's errors tell whether the child is known.
    response = cw.post(reverse("intake:new"), {"cpr": child.cpr})
    assert response.status_code in (200, 400)
    (entry,) = lookups(before)
    assert (entry.actor, entry.child_pk) == (org.cw_south, child.pk)


def test_cpr_not_shown_again_after_validation_error(org):
    child = org.child()
    cw = org.client(org.cw1)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    # The registration form, refused for a missing content.
    response = cw.post(
        reverse("intake:new"),
        {"cpr": formatted(child.cpr), "received_at": now, "source": "school", "content": ""},
    )
    assert response.status_code in (200, 400)
    assert not Notification.objects.exists()
    assert not shows_cpr(response.content.decode(), child.cpr)

    # The data protection officer's access-report lookup, refused for a child not found.
    dpo = org.user("dora", Profession.DATA_PROTECTION, None)
    response = org.client(dpo).post(reverse("privacy:find"), {"cpr": UNKNOWN_CPR})
    assert response.status_code in (200, 400, 404)
    assert not shows_cpr(response.content.decode(), UNKNOWN_CPR)


def test_data_protection_officers_cpr_lookup_is_audited(org):
    child = org.child()
    dpo = org.user("dora", Profession.DATA_PROTECTION, None)
    client = org.client(dpo)
    before = last_sequence()
    found = client.post(reverse("privacy:find"), {"cpr": child.cpr})
    assert found.status_code == 302
    missing = client.post(reverse("privacy:find"), {"cpr": UNKNOWN_CPR})
    assert missing.status_code >= 200
    first, second = lookups(before)
    assert (first.actor, first.child_pk) == (dpo, child.pk)
    assert (second.actor, second.child_pk) == (dpo, None)
    for entry in (first, second):
        assert not shows_cpr(str(entry.detail), child.cpr)
        assert not shows_cpr(str(entry.detail), UNKNOWN_CPR)


def test_the_policy_decides_what_a_cpr_lookup_tells(org):
    """F7: one policy function answers every CPR lookup (the views only throttle and render)."""
    case = org.case()  # a north child with an open case
    cpr = case.child.cpr
    before = last_sequence()
    assert policy.look_up_child(org.cw1, cpr, "lookup") == LookupAnswer(True, case.child, case)
    assert policy.look_up_child(org.cw_south, cpr, "lookup") == LookupAnswer(known=True)
    assert policy.look_up_child(org.cw1, cpr, "notification") == LookupAnswer(known=True)
    assert policy.look_up_child(org.cw1, UNKNOWN_CPR, "lookup") == LookupAnswer(known=False)
    # The access report: a team leader who has never had the child is told what an unknown
    # number would tell; the child's own team leader gets the child.
    assert policy.look_up_child(org.leader_south, cpr, "access_report") == LookupAnswer(False)
    assert policy.look_up_child(org.leader, cpr, "access_report").child == case.child
    assert len(lookups(before)) == 6
    # Who may not ask is refused before the register is asked, and leaves no lookup entry.
    school = org.user("skole", Profession.SCHOOL, None)
    for user, form in ((school, "lookup"), (org.cw1, "access_report")):
        with pytest.raises(PermissionDenied):
            policy.look_up_child(user, cpr, form)
    assert len(lookups(before)) == 6
