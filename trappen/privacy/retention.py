"""Retention: anonymise the data of children whose cases closed long enough ago (docs/privacy.md).

Anonymise, not delete: the steering pages and the evaluation compare periods years back
(årsbørn, spending, steps, follow-ups, complaints), so the rows stay with their dates, steps,
costs, teams and districts, while everything that names or describes a person goes: CPR
number, names, every free text, the providers' names, the network map's persons, custody
holders, the ids from other systems. Birth dates keep only the month.

Meeting records (minutes, agenda items, submissions, agreements, guests) hang on a team, not a
child, yet may name one: they lose their free text by age, when held before the cut-off.

A child is due when it has at least one case, none of its cases is open, and the latest one
closed before the cut-off. A child with an open case, or a case closed more recently, is left
alone entirely, older cases included: the caseworker may still need that history.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case, Child

from .models import AnonymisedChild
from .report import SKIPPED_APPS, reverse_relations

DEFAULT_YEARS = 5
BATCH = 500

# Anonymising blanks every text field (CharField, TextField) without choices of every model
# whose rows belong to a child (found by following relations, as the access report does), so
# a text field or model added later is covered without a change here. What is set otherwise:
ANONYMISE: dict[str, dict[str, Any]] = {
    "cases.child": {
        "cpr": None,  # unique: "" would collide
        # A full birth date identifies a child together with district and sex; the month is
        # enough for any age a figure could ask for.
        "birth_date": lambda: TruncMonth("birth_date"),
    },
    # The decision's content kept with a visitation request (purpose, reasons: free text).
    "measures.visitationrequest": {"decision_content": dict},
}
# Fields that stay although they are text: codes, never typed by a person. Every JSON field
# and every unique text field of the child's data must be in ANONYMISE or here (tested).
KEEP = {
    ("cases.earlystep", "professions"),  # profession codes
    ("meetings.agendaitem", "professions"),  # profession codes
    ("wellbeing.sdqmeasurement", "informant"),  # parent / teacher / self (a code)
    ("investigations.areaassessment", "area"),  # the ICS area's key (ics_areas.json)
    ("investigations.areaassessment", "framework"),  # the framework's key
    ("plans.goal", "areas"),  # the ICS area keys a goal links to
    # The SDQ answers are 0-2 per item number, the figures' data; never text a person typed.
    ("wellbeing.sdqmeasurement", "answers"),
    ("wellbeing.sdqmeasurement", "impact_answers"),
}
# Rows deleted outright: messages to staff about the case, and drafts of journal notes never
# saved (F10 point 2), of no use to any figure.
DELETE = {"notices.notice", "drafts.draft"}
# Meeting records hang on a team, not on a child, yet their free text may name one (minutes,
# a teacher's submission, an agenda item discussed without a case, an agreement, a guest).
# They are anonymised by age: a meeting held before the cut-off loses every free text, as a
# child's data does; its date, team, kinds, professions and staff participants stay.
MEETING_RECORDS: dict[str, str] = {  # model → lookup from it to the meeting's start
    "meetings.meeting": "starts_at",
    "meetings.agendaitem": "meeting__starts_at",
    "meetings.submission": "meeting__starts_at",
    "meetings.agreement": "made_at__starts_at",
    "meetings.participant": "meeting__starts_at",
    "drafts.draft": "meeting__starts_at",  # minutes being written, never saved
}

Log = Callable[[str], None]


def retention_years() -> int:
    """settings.RETENTION_YEARS: years after the last case closed (the municipality sets it)."""
    return int(getattr(settings, "RETENTION_YEARS", DEFAULT_YEARS))


def cutoff(today: date, years: int) -> date:
    """The day `years` before `today` (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_children(before: date) -> models.QuerySet[Child]:
    """Children with cases, none open, none closed without a date, the last closed before
    `before`, and not anonymised already."""
    closed = Case.Status.CLOSED
    return (
        Child.objects.annotate(
            n_cases=Count("cases"),
            n_open=Count("cases", filter=~Q(cases__status=closed) | Q(cases__closed_on=None)),
            last_closed=Max("cases__closed_on"),
        )
        .filter(n_cases__gt=0, n_open=0, last_closed__lt=before)
        .exclude(pk__in=AnonymisedChild.objects.values("child_id"))
        .order_by("pk")
    )


@dataclass
class RetentionSummary:
    years: int
    cutoff: date
    dry_run: bool
    children: int = 0
    cases: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # model → rows anonymised
    deleted: dict[str, int] = field(default_factory=dict)  # model → rows deleted

    def detail(self) -> dict[str, Any]:
        """What the audit entry keeps: counts only."""
        return {
            "years": self.years,
            "cutoff": self.cutoff.isoformat(),
            "children": self.children,
            "cases": self.cases,
            "anonymised": self.rows,
            "deleted": self.deleted,
        }

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        out = [
            f"Cases closed before {self.cutoff} ({self.years} years): {self.children} children "
            f"with {self.cases} cases {verb} anonymised."
        ]
        out += [f"  {label}: {n} rows" for label, n in self.rows.items() if n]
        out += [f"  {label}: {n} rows deleted" for label, n in self.deleted.items() if n]
        return out


def _relations(model: type[models.Model]) -> Iterator[models.ForeignObjectRel]:
    """The access report's relations, and the hidden ones (`related_name="+"`, e.g. a notice's
    case) that the report need not show but retention must still reach."""
    yield from reverse_relations(model)
    for rel in model._meta.get_fields(include_hidden=True):
        if not (isinstance(rel, models.ForeignObjectRel) and rel.hidden) or rel.many_to_many:
            continue
        related = rel.related_model
        if not isinstance(related, type) or not related.__module__.startswith("trappen."):
            continue
        if related._meta.app_label in SKIPPED_APPS:
            continue
        yield rel


def child_data_models() -> dict[str, tuple[type[models.Model], str]]:
    """Every model whose rows are one child's data: label → (model, lookup from it to the
    child), the shortest path first."""
    out: dict[str, tuple[type[models.Model], str]] = {"cases.child": (Child, "pk")}
    queue: list[tuple[type[models.Model], str]] = [(Child, "")]
    while queue:
        model, path = queue.pop(0)
        for rel in _relations(model):
            related = rel.related_model
            assert isinstance(related, type)
            label = related._meta.label_lower
            if label not in out:
                lookup = rel.field.name + (f"__{path}" if path else "")
                out[label] = (related, lookup)
                queue.append((related, lookup))
    return out


def is_free_text(f: models.Field) -> bool:
    return isinstance(f, models.CharField | models.TextField) and not f.choices


def unique_fields(model: type[models.Model]) -> set[str]:
    """Fields a blank would make collide: unique ones, and those of unconditional
    UniqueConstraints (a constraint that skips blank values, like external_id's, is fine)."""
    out = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            out.update(constraint.fields)
    return out


def changes_for(label: str, model: type[models.Model]) -> dict[str, Any]:
    """What anonymising sets on `model`'s rows: ANONYMISE's fields, and "" for free text."""
    explicit = ANONYMISE.get(label, {})
    unique = unique_fields(model)
    out = {
        f.name: ""
        for f in model._meta.concrete_fields
        if is_free_text(f) and f.name not in unique and (label, f.name) not in KEEP
    }
    out.update(explicit)
    return out


def _anonymise(child_ids: list[int], summary: RetentionSummary) -> None:
    for label, (model, lookup) in child_data_models().items():
        rows = model._base_manager.filter(**{f"{lookup}__in": child_ids})
        if label in DELETE:
            n, _by_model = rows.delete()
            summary.deleted[label] = summary.deleted.get(label, 0) + n
            continue
        changes = changes_for(label, model)
        if not changes:
            continue
        values = {name: (v() if callable(v) else v) for name, v in changes.items()}
        # update(): one statement per model, no per-row audit entries; the run writes one.
        summary.rows[label] = summary.rows.get(label, 0) + rows.update(**values)


def _anonymise_meetings(before: date, summary: RetentionSummary) -> None:
    """Blank the free text of meeting records from before `before` (not done already)."""
    from django.apps import apps

    start = timezone.make_aware(datetime.combine(before, time.min))
    for label, lookup in MEETING_RECORDS.items():
        model = apps.get_model(label)
        changes = changes_for(label, model)
        # Rows with some text left: a second run finds nothing more.
        has_text = Q()
        for name in changes:
            has_text |= ~Q(**{name: ""})
        rows = model._base_manager.filter(has_text, **{f"{lookup}__lt": start})
        n = rows.update(**changes)
        summary.rows[label] = summary.rows.get(label, 0) + n


def run_retention(
    *, years: int | None = None, dry_run: bool = False, today: date | None = None, log: Log
) -> RetentionSummary:
    """Anonymise every due child's data in one transaction and audit the run (counts only).
    A dry run does the same and rolls it back, so its counts are exact."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValueError("the retention period must be at least one year")
    today = today or timezone.localdate()
    summary = RetentionSummary(years, cutoff(today, years), dry_run)
    with transaction.atomic():
        # last_closed is due_children's annotation, which its QuerySet[Child] type cannot name.
        due = list(due_children(summary.cutoff).values_list("pk", "last_closed"))  # type: ignore[misc]
        summary.children = len(due)
        summary.cases = Case.objects.filter(child_id__in=[pk for pk, _ in due]).count()
        log(f"{len(due)} children due (last case closed before {summary.cutoff}).")
        for start in range(0, len(due), BATCH):
            batch = due[start : start + BATCH]
            ids = [pk for pk, _ in batch]
            _anonymise(ids, summary)
            AnonymisedChild.objects.bulk_create(
                AnonymisedChild(child_id=pk, anonymised_on=today, last_closed_on=last)
                for pk, last in batch
            )
            log(f"  {start + len(batch)} of {len(due)} children anonymised")
        _anonymise_meetings(summary.cutoff, summary)
        if dry_run:
            transaction.set_rollback(True)
        else:
            record(AuditAction.RETENTION, detail=summary.detail())
    return summary
