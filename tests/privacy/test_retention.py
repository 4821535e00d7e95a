"""`trappen retention`: children whose cases all closed before the period are anonymised, in one
transaction, audited; the figures stay; everything else is left alone."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import override_settings
from django.utils import timezone

from trappen.audit.models import AuditAction, AuditEntry
from trappen.cases.models import Case, Child
from trappen.interchange.services import export_dataset
from trappen.measures.models import Episode
from trappen.privacy import retention
from trappen.privacy.models import AnonymisedChild
from trappen.privacy.report import access_report, collect
from trappen.privacy.retention import (
    ANONYMISE,
    KEEP,
    changes_for,
    child_data_models,
    cutoff,
    run_retention,
    unique_fields,
)

from .conftest import SECRETS, build_history


def years_ago(n: int, days: int = 0) -> date:
    return cutoff(timezone.localdate(), n) - timedelta(days=days)


def run(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def report_text(child: Child) -> str:
    return json.dumps(access_report(child).as_json()["data"], ensure_ascii=False)


@pytest.fixture
def old(org):
    """Closed six years ago: due under the default five years."""
    return build_history(org, "0101151234", closed_on=years_ago(6))


@pytest.fixture
def recent(org):
    """Closed four years ago: not due."""
    return build_history(org, "0202151234", closed_on=years_ago(4))


def test_an_old_closed_case_is_anonymised(org, old):
    before = old.child.birth_date
    out = run()
    child = Child.objects.get(pk=old.child.pk)
    assert (child.cpr, child.first_name, child.last_name) == (None, "", "")
    assert child.birth_date == before.replace(day=1)
    text = report_text(child)
    for secret in [*SECRETS.values(), "0101151234", "Testa", "Barnesen"]:
        assert secret not in text
    assert "1 children with 1 cases were anonymised" in out
    assert AnonymisedChild.objects.filter(child=child).exists()


def test_dates_steps_costs_and_reasons_stay(org, old):
    case_before = Case.objects.values().get(pk=old.case.pk)
    episode_before = Episode.objects.values().get(pk=old.episode.pk)
    run()
    case_after = Case.objects.values().get(pk=old.case.pk)
    episode_after = Episode.objects.values().get(pk=old.episode.pk)
    for name in ("opened_on", "closed_on", "status", "closure_reason", "team_id", "caseworker_id"):
        assert case_after[name] == case_before[name]
    for name in ("intervention_id", "start_on", "end_on", "end_reason", "daily_cost"):
        assert episode_after[name] == episode_before[name]
    assert episode_after["provider"] == ""


def test_the_steering_figures_are_the_same_after(org, old, recent):
    period = ["--from", str(years_ago(7)), "--to", str(years_ago(3))]

    def figures() -> dict:
        out = StringIO()
        call_command("evaluate", "db", *period, "--json", stdout=out)
        return json.loads(out.getvalue())

    before_figures, before_data = figures(), export_dataset()
    run()
    assert figures() == before_figures
    after = export_dataset()
    for table in ("cases", "episodes", "followups", "complaints", "districts"):
        assert getattr(after, table).equals(getattr(before_data, table)), table
    assert after.children.drop("birth_date").equals(before_data.children.drop("birth_date"))


def test_recent_cases_and_children_with_an_open_case_are_left_alone(org, old, recent):
    # A third child: an old closed case, but a case open now.
    reopened = build_history(org, "0303151234", closed_on=years_ago(8))
    org.case(reopened.child)
    # A fourth: an old closed case and one closed recently.
    twice = build_history(org, "0404151234", closed_on=years_ago(9))
    later = org.case(twice.child)
    Case.objects.filter(pk=later.pk).update(
        status=Case.Status.CLOSED, closed_on=years_ago(1), opened_on=years_ago(2)
    )
    run()
    assert Child.objects.get(pk=old.child.pk).cpr is None
    for kept in (recent, reopened, twice):
        child = Child.objects.get(pk=kept.child.pk)
        assert child.cpr is not None and child.first_name == "Testa"
        text = report_text(child)
        for secret in SECRETS.values():
            assert secret in text
    assert AnonymisedChild.objects.count() == 1


def test_a_child_whose_case_closed_without_a_date_is_not_due(org):
    h = build_history(org, closed_on=years_ago(6))
    Case.objects.filter(pk=h.case.pk).update(closed_on=None)
    run()
    assert Child.objects.get(pk=h.child.pk).cpr is not None


def test_a_dry_run_changes_nothing_and_counts_exactly(org, old, recent):
    entries = AuditEntry.objects.count()
    dry = run("--dry-run")
    assert Child.objects.get(pk=old.child.pk).cpr == "0101151234"
    assert AnonymisedChild.objects.count() == 0
    assert AuditEntry.objects.count() == entries
    assert "Dry run" in dry and "1 children with 1 cases would be anonymised" in dry
    real = run()
    # The same per-model counts, dry or not.
    count_lines = [line for line in dry.splitlines() if line.startswith("  ") and "rows" in line]
    assert count_lines and all(line in real for line in count_lines)


def test_the_period_comes_from_the_option_or_the_setting(org, old, recent):
    run("--years", "7")
    assert Child.objects.get(pk=old.child.pk).cpr is not None
    with override_settings(RETENTION_YEARS=3):
        run()
    assert Child.objects.get(pk=old.child.pk).cpr is None
    assert Child.objects.get(pk=recent.child.pk).cpr is None
    with pytest.raises(CommandError, match="at least one year"):
        run("--years", "0")


def test_the_run_is_audited_with_counts_only(org, old):
    run()
    entry = AuditEntry.objects.filter(action=AuditAction.RETENTION).get()
    assert entry.detail["children"] == 1 and entry.detail["cases"] == 1
    assert entry.detail["anonymised"]["cases.journalentry"] == 1
    assert entry.detail["years"] == 5
    stored = json.dumps(entry.detail, ensure_ascii=False)
    for secret in [*SECRETS.values(), "0101151234", "Testa", "Barnesen"]:
        assert secret not in stored


def test_a_second_run_finds_nothing_more(org, old):
    run()
    out = run()
    assert "0 children with 0 cases were anonymised" in out
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION).count() == 2


def test_all_or_nothing(org, old, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(retention, "record", failing)
    with pytest.raises(RuntimeError):
        run_retention(log=lambda _text: None)
    child = Child.objects.get(pk=old.child.pk)
    assert child.cpr == "0101151234"
    assert SECRETS["journal"] in report_text(child)
    assert AnonymisedChild.objects.count() == 0


def test_every_model_of_a_childs_data_is_covered(org, old):
    """The models anonymised are those the access report finds rows of: all of them."""
    assert set(collect(old.child)) <= set(child_data_models())


def test_fields_free_text_cannot_cover_are_decided_on_purpose():
    """A JSON field or a unique text field added to a child's data must be put in ANONYMISE
    (with what to set) or KEEP (why it is no personal data): blanking cannot decide it."""
    for label, (model, _lookup) in child_data_models().items():
        unique = unique_fields(model)
        for f in model._meta.concrete_fields:
            undecided = isinstance(f, models.JSONField) or (
                isinstance(f, models.CharField | models.TextField) and f.name in unique
            )
            if undecided:
                decided = f.name in ANONYMISE.get(label, {}) or (label, f.name) in KEEP
                assert decided, f"{label}.{f.name}"


def test_free_text_of_every_model_is_blanked():
    changes = {label: changes_for(label, m) for label, (m, _) in child_data_models().items()}
    assert changes["cases.journalentry"]["text"] == ""
    assert changes["investigations.networkmapentry"]["person"] == ""
    assert changes["consent.consent"]["custody_holder"] == ""
    assert changes["cases.child"]["cpr"] is None
    assert "sex" not in changes["cases.child"] and "status" not in changes["cases.case"]


def test_progress_and_summary_are_printed(org, old, recent):
    out = run()
    assert "1 children due" in out
    assert "1 of 1 children anonymised" in out
    assert "cases.child: 1 rows" in out
