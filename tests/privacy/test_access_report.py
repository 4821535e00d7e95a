"""The access report: complete, for the team leader and the data protection officer only,
audited, as a page and as JSON (also from the command line)."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse

from trappen.access.policy import may_get_access_report
from trappen.audit.models import AuditAction, AuditEntry
from trappen.organisation.models import Profession
from trappen.privacy.report import access_report

from .conftest import SECRETS, build_history

# The open case of `history` has no note on closure yet.
OPEN_SECRETS = [v for k, v in SECRETS.items() if k != "closure"]

# The kinds of rows the brief names, all present in `history`.
EXPECTED = {
    "cases.child": 1,
    "cases.case": 1,
    "intake.notification": 1,
    "cases.journalentry": 1,
    "cases.earlystep": 1,
    "investigations.childinvestigation": 1,
    "investigations.networkmapentry": 1,
    "plans.actionplan": 1,
    "plans.actionplanrevision": 1,
    "plans.goal": 1,
    "measures.episode": 1,
    "followups.followup": 1,
    "cases.complaint": 1,
    "consent.consent": 1,
}


def test_the_report_holds_every_kind_of_row_and_all_their_text(history):
    report = access_report(history.child)
    for label, n in EXPECTED.items():
        assert report.count(label) == n, label
    text = json.dumps(report.as_json(), ensure_ascii=False)
    for secret in OPEN_SECRETS:
        assert secret in text
    # The JSON has the CPR number in full: it is the child's own data.
    assert history.child.cpr in text


def test_every_model_that_points_at_a_child_or_case_is_reached(history):
    """A model added later with a foreign key to the child or a case is in the report without
    a change to it: the report follows relations instead of listing models."""
    reached = {s.label for s in access_report(history.child).sections}
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model.__module__.startswith("trappen.") or label.split(".")[0] in {
            "audit",
            "privacy",
        }:
            continue
        refers = any(
            isinstance(f, models.ForeignKey | models.OneToOneField)
            and f.related_model._meta.label_lower in {"cases.child", "cases.case"}
            for f in model._meta.concrete_fields
        )
        if (
            refers
            and model._base_manager.filter(
                **_pointing_at(model, history.child, history.case)
            ).exists()
        ):
            assert label in reached


def _pointing_at(model, child, case):
    from django.db.models import Q

    q = Q(pk__in=[])
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model._meta.label_lower == "cases.child":
            q |= Q(**{f.name: child})
        if f.is_relation and f.related_model._meta.label_lower == "cases.case":
            q |= Q(**{f.name: case})
    return {"pk__in": model._base_manager.filter(q).values("pk")}


def test_nothing_of_another_child_is_in_the_report(org, history):
    other = build_history(org, "0202151234")
    report = access_report(history.child)
    case_ids = {r.pk for s in report.sections if s.label == "cases.case" for r in s.rows}
    assert case_ids == {history.case.pk}
    assert other.case.pk not in case_ids
    assert report.count("cases.child") == 1


def test_the_audit_history_says_who_has_seen_the_child(org, history):
    client = org.client(org.cw2)
    assert client.get(reverse("cases:case", args=[history.case.pk])).status_code == 200
    rows = access_report(history.child).audit.rows
    readers = {r.values["actor"] for r in rows if r.values["action"] == AuditAction.READ}
    assert org.cw2.username in readers


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("leader", True),  # the team leader of the child's district
        ("dpo", True),
        ("cw1", False),  # the child's own caseworker: reads the case, not the full report
        ("cw2", False),
        ("psych", False),
        ("leader_south", False),
        ("analyst", False),
    ],
)
def test_who_may_get_the_report(org, history, dpo, who, allowed):
    user = dpo if who == "dpo" else getattr(org, who)
    assert may_get_access_report(user, history.child) is allowed
    client = org.client(user)
    for name in ("privacy:report", "privacy:report_json"):
        response = client.get(reverse(name, args=[history.child.pk]))
        assert response.status_code == (200 if allowed else 403), name


def test_an_administrator_and_a_superuser_get_no_report(org, history):
    admin = org.user("ada", Profession.ADMINISTRATOR, None)
    admin.is_superuser = True
    admin.save()
    assert not may_get_access_report(admin, history.child)


def test_the_team_leader_of_the_district_or_of_a_team_that_had_the_case(org, history):
    # The family moved to Sydby; the case stayed with Team Nord.
    history.child.district = org.d_south
    history.child.save()
    assert may_get_access_report(org.leader_south, history.child)
    assert may_get_access_report(org.leader, history.child)
    southern = build_history(org, "0202151234", district=org.d_south)
    assert not may_get_access_report(org.leader, southern.child)


def test_logged_out_users_are_sent_to_login(client, history):
    response = client.get(reverse("privacy:report", args=[history.child.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_getting_the_report_is_audited_once_without_content(org, history, dpo):
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    response = org.client(dpo).get(reverse("privacy:report_json", args=[history.child.pk]))
    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id")
    assert exports.count() == before + 1
    entry = exports.last()
    assert entry.child_pk == history.child.pk and entry.actor_username == dpo.username
    stored = json.dumps(entry.detail, ensure_ascii=False) + entry.path
    for secret in [*SECRETS.values(), history.child.cpr, "Testa", "Barnesen"]:
        assert secret not in stored
    assert response["Cache-Control"].find("no-store") >= 0
    assert history.child.cpr not in response["Content-Disposition"]


def test_the_json_download(org, history, dpo):
    response = org.client(dpo).get(reverse("privacy:report_json", args=[history.child.pk]))
    data = json.loads(response.content)
    assert data["child_id"] == history.child.pk
    models_ = {s["model"]: s for s in data["data"]}
    assert models_["cases.child"]["rows"][0]["cpr"] == history.child.cpr
    assert models_["cases.journalentry"]["rows"][0]["text"] == SECRETS["journal"]
    assert models_["cases.case"]["rows"][0]["caseworker"]["id"] == org.cw1.pk


def test_the_printable_page_masks_the_cpr_number(org, history, dpo):
    response = org.client(dpo).get(reverse("privacy:report", args=[history.child.pk]))
    html = response.content.decode()
    assert history.child.cpr not in html
    assert history.child.masked_cpr in html
    for secret in OPEN_SECRETS:
        assert secret in html
    assert reverse("privacy:report_json", args=[history.child.pk]) in html


def test_unknown_child_is_404(org, dpo):
    assert org.client(dpo).get(reverse("privacy:report", args=[999999])).status_code == 404


def test_the_command_writes_the_report_and_is_audited(history, tmp_path):
    target = tmp_path / "report.json"
    out = StringIO()
    call_command("access_report", str(history.child.pk), "--json", str(target), stdout=out)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {s["model"] for s in data["data"]} >= set(EXPECTED)
    assert history.child.cpr not in out.getvalue()
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id").last()
    assert entry.child_pk == history.child.pk
    with pytest.raises(CommandError, match="exists"):
        call_command("access_report", str(history.child.pk), "--json", str(target))
    with pytest.raises(CommandError, match="No child"):
        call_command("access_report", "999999")


def test_the_data_protection_officer_finds_a_child_by_cpr_number(org, history, dpo):
    client = org.client(dpo)
    url = reverse("privacy:find")
    assert client.get(url).status_code == 200
    response = client.post(url, {"cpr": "010115-1234"})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:report", args=[history.child.pk])
    assert "0101151234" not in response["Location"]


def test_unknown_and_out_of_scope_children_get_the_same_answer(org, history, dpo):
    southern = build_history(org, "0202151234", district=org.d_south)
    client = org.client(org.leader)
    unknown = client.post(reverse("privacy:find"), {"cpr": "0303151234"})
    outside = client.post(reverse("privacy:find"), {"cpr": southern.child.cpr})
    assert unknown.status_code == outside.status_code == 200
    assert unknown.context["form"].errors == outside.context["form"].errors
    own = client.post(reverse("privacy:find"), {"cpr": history.child.cpr})
    assert own.status_code == 302


@pytest.mark.parametrize("who", ["cw1", "psych", "analyst"])
def test_others_may_not_look_children_up(org, who):
    assert org.client(getattr(org, who)).get(reverse("privacy:find")).status_code == 403
