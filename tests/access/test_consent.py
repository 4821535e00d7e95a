"""Consent: registered, shown and withdrawn from the case page; sharing is effective only while
a consent covers it; `may_share` and `may_discuss_by_name` answer for F5's meetings."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from trappen.access import policy
from trappen.consent import services
from trappen.consent.models import Consent, Relation, Scope, Sharing
from trappen.organisation.models import Profession

from .helpers import consent_for, share_with_consent


def day(d):  # type: ignore[no-untyped-def]
    return d.strftime("%Y-%m-%d")


@pytest.fixture
def case(org):
    return org.case()


def consent_post(org, case, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "custody_holder": "Mette Barnesen",
        "relation": Relation.MOTHER,
        "scope": Scope.CASE_INFORMATION,
        "profession": "",
        "recipient": org.psych.pk,
        "valid_from": day(timezone.localdate()),
        "valid_to": "",
        **overrides,
    }
    return org.client(org.cw1).post(reverse("consent:add", args=[case.pk]), data)


def test_caseworker_registers_consent_and_the_case_page_shows_it(org, case):
    response = consent_post(org, case)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.custody_holder, consent.recipient, consent.registered_by) == (
        "Mette Barnesen",
        org.psych,
        org.cw1,
    )
    page = org.client(org.cw1).get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Mette Barnesen" in page
    assert reverse("consent:withdraw", args=[consent.pk]) in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"custody_holder": "   "}, "custody_holder"),
        ({"recipient": "", "profession": ""}, "profession"),
        ({"profession": Profession.PSYCHOLOGIST}, "profession"),  # and a person: not both
        ({"valid_to": "2000-01-01"}, "valid_to"),
        ({"valid_from": "2026-02-30"}, "valid_from"),
    ],
)
def test_invalid_consent_is_refused_with_a_message_and_nothing_stored(org, case, overrides, field):
    response = consent_post(org, case, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Consent.objects.exists()


def test_withdrawal_before_the_start_is_refused(org, case):
    consent = consent_for(case, org.psych, by=org.cw1)
    too_early = consent.valid_from - timedelta(days=1)
    response = org.client(org.cw1).post(
        reverse("consent:withdraw", args=[consent.pk]), {"withdrawn_on": day(too_early)}
    )
    assert response.status_code == 200
    assert gettext("A consent cannot be withdrawn before it starts.") in str(
        response.context["form"].errors
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_is_kept_and_ends_the_psychologists_access(org, case):
    sharing, consent = share_with_consent(case, org.psych, by=org.cw1)
    psych = org.client(org.psych)
    assert psych.get(reverse("cases:case", args=[case.pk])).status_code == 200
    response = org.client(org.cw1).post(
        reverse("consent:withdraw", args=[consent.pk]),
        {"withdrawn_on": day(timezone.localdate())},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (timezone.localdate(), org.cw1)
    assert Consent.objects.count() == 1  # withdrawn, never deleted
    assert Sharing.objects.get().ended_at is None  # the sharing stays, but is not effective
    assert psych.get(reverse("cases:case", args=[case.pk])).status_code == 403
    assert list(policy.visible_cases(org.psych)) == []
    # A second withdrawal is told, not applied again.
    with pytest.raises(ValidationError):
        services.withdraw_consent(consent, on=timezone.localdate(), by=org.leader)


def test_sharing_without_consent_gives_no_access(org, case):
    services.share(case, user=org.psych, by=org.cw1)
    assert org.client(org.psych).get(reverse("cases:case", args=[case.pk])).status_code == 403
    consent_for(case, org.psych, by=org.cw1)
    assert org.client(org.psych).get(reverse("cases:case", args=[case.pk])).status_code == 200


def test_consent_without_sharing_gives_no_access(org, case):
    consent_for(case, org.psych, by=org.cw1)
    assert org.client(org.psych).get(reverse("cases:case", args=[case.pk])).status_code == 403


def test_consent_for_named_discussion_does_not_open_the_case(org, case):
    services.share(case, user=org.psych, by=org.cw1)
    consent_for(case, org.psych, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    assert org.client(org.psych).get(reverse("cases:case", args=[case.pk])).status_code == 403
    assert policy.may_discuss_by_name(case, org.psych)
    assert not policy.may_share(case, org.psych, Scope.CASE_INFORMATION)


def test_may_share_by_profession_and_dates(org, case):
    today = timezone.localdate()
    services.register_consent(
        case,
        by=org.cw1,
        custody_holder="Far",
        relation=Relation.FATHER,
        scope=Scope.NAMED_DISCUSSION,
        profession=Profession.SCHOOL,
        recipient=None,
        valid_from=today,
        valid_to=today + timedelta(days=30),
    )
    assert policy.may_discuss_by_name(case, Profession.SCHOOL)
    assert not policy.may_discuss_by_name(case, Profession.HEALTH_VISITOR)
    assert not policy.may_discuss_by_name(case, Profession.SCHOOL, on=today - timedelta(days=1))
    assert not policy.may_discuss_by_name(case, Profession.SCHOOL, on=today + timedelta(days=31))
    # A named consent covers that person only, not their colleagues.
    consent_for(case, org.psych, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    other = org.user("pia", Profession.PSYCHOLOGIST, org.north)
    assert policy.may_discuss_by_name(case, org.psych)
    assert not policy.may_discuss_by_name(case, other)


def test_only_the_caseworker_and_team_leader_manage_consent(org, case):
    share_with_consent(case, org.psych, by=org.cw1)
    for user, status in [(org.cw2, 403), (org.psych, 403), (org.cw_south, 404)]:
        response = org.client(user).get(reverse("consent:add", args=[case.pk]))
        assert response.status_code == status, user
    assert org.client(org.leader).get(reverse("consent:add", args=[case.pk])).status_code == 200


def test_the_case_page_says_when_there_is_no_valid_consent(org, case):
    response = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 200
    assert (
        gettext(
            "No valid consent: the case may not be shared, nor the child discussed by name. "
            "Anonymous sparring is possible."
        )
        in response.content.decode()
    )


def test_consent_changes_are_audited_without_names(org, case):
    pytest.importorskip("trappen.audit.log")
    from trappen.audit.models import AuditAction, AuditEntry

    sharing, consent = share_with_consent(case, org.psych, by=org.cw1)
    services.withdraw_consent(consent, on=timezone.localdate(), by=org.leader)
    entries = list(AuditEntry.objects.filter(action=AuditAction.CONSENT).order_by("id"))
    assert [e.detail["change"] for e in entries] == ["registered", "shared", "withdrawn"]
    for entry in entries:
        assert "Mor Barnesen" not in str(entry.detail) and case.child.cpr not in str(entry.detail)
