"""The access report: everything the database holds about one child (GDPR article 15).

The report is found, not listed: starting from the child it follows every relation that points
at a row already found (cases, notifications, episodes, then journal entries, investigations,
plans, follow-ups, consents, ... and what points at those), so a model added later that refers
to a child or a case is in the report without a change here. Added to it: the audit history,
who has seen or changed the child's data (trappen.audit). The printable page shows the CPR
number masked; the JSON file, handed to the child or the custody holder, holds it in full.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trappen.audit.models import AuditAction, AuditEntry
from trappen.cases.models import Child
from trappen.organisation.models import Profession, User

# Apps whose rows are not the child's data: the log is reported separately, and the privacy
# app's own bookkeeping refers to children only to mark them.
SKIPPED_APPS = {"audit", "privacy"}
# Values never shown in full on the page (the JSON file has them).
MASKED = {("cases.child", "cpr")}


@dataclass
class Row:
    pk: Any
    values: dict[str, Any]  # field name → JSON value
    shown: list[str]  # column order, for the page
    sentence: str = ""  # the audit history's entry in plain words


@dataclass
class Section:
    label: str  # app_label.model
    title: str
    columns: list[tuple[str, str]]  # field name, verbose name
    rows: list[Row] = field(default_factory=list)

    @property
    def records(self) -> list[list[tuple[str, str]]]:
        """Each row as (column title, shown value) pairs: the page's tables, without the
        bookkeeping fields and empty values (the JSON file has them)."""
        return [
            [
                (title, value)
                for (name, title), value in zip(self.columns, r.shown, strict=True)
                if name not in HIDDEN_FIELDS and value != ""
            ]
            for r in self.rows
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.label,
            "title": str(self.title),
            "rows": [{"id": r.pk, **r.values} for r in self.rows],
        }


@dataclass
class AccessReport:
    child: Child
    generated_at: datetime
    sections: list[Section]
    audit: Section

    def as_json(self) -> dict[str, Any]:
        return {
            "report": "access",
            "child_id": self.child.pk,
            "generated_at": self.generated_at.isoformat(),
            "data": [s.as_json() for s in self.sections],
            "audit": self.audit.as_json()["rows"],
        }

    def count(self, label: str) -> int:
        return sum(len(s.rows) for s in self.sections if s.label == label)


def reverse_relations(model: type[models.Model]) -> Iterator[models.ForeignObjectRel]:
    """The relations of trappen's own models that point at `model` (the child's data)."""
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.many_to_many or not isinstance(related, type):
            continue
        if not related.__module__.startswith("trappen."):
            continue
        if related._meta.app_label in SKIPPED_APPS:
            continue
        yield rel


def collect(child: Child) -> dict[str, dict[Any, models.Model]]:
    """Every row of the child's data, by model label in the order first found, then by pk."""
    found: dict[str, dict[Any, models.Model]] = {"cases.child": {child.pk: child}}
    queue: list[models.Model] = [child]
    while queue:
        obj = queue.pop(0)
        for rel in reverse_relations(type(obj)):
            related = rel.related_model
            assert isinstance(related, type)
            label = related._meta.label_lower
            rows = related._base_manager.filter(**{rel.field.name: obj}).order_by("pk")
            for row in rows:
                seen = found.setdefault(label, {})
                if row.pk not in seen:
                    seen[row.pk] = row
                    queue.append(row)
    return {label: rows for label, rows in found.items() if rows}


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# The printable page is read by the citizen (F10 point 7): Danish words for the fields whose
# verbose name is only the field's name, and none of the bookkeeping (versions for lost
# updates, ids from an import, the caseworker's caseload). The JSON file keeps every field.
HIDDEN_FIELDS = {"version", "external_id", "caseload_at_assignment", "was_suggested"}
FIELD_LABELS = {
    "child": pgettext_lazy("access report", "child"),
    "case": pgettext_lazy("access report", "case"),
    "caseworker": pgettext_lazy("access report", "caseworker"),
    "created_at": pgettext_lazy("access report", "created"),
    "created_by": pgettext_lazy("access report", "created by"),
    "registered_by": pgettext_lazy("access report", "registered by"),
    "registered_at": pgettext_lazy("access report", "registered"),
    "recorded_by": pgettext_lazy("access report", "registered by"),
    "recorded_at": pgettext_lazy("access report", "registered"),
    "assessed_by": pgettext_lazy("access report", "assessed by"),
    "child_confirmed_by": pgettext_lazy("access report", "child confirmed by"),
    "reassessed_by": pgettext_lazy("access report", "reassessed by"),
    "receipt_sent_by": pgettext_lazy("access report", "receipt sent by"),
    "urgent_handled_by": pgettext_lazy("access report", "urgent action recorded by"),
    "assigned_by": pgettext_lazy("access report", "assigned by"),
    "assigned_at": pgettext_lazy("access report", "assigned"),
    "author": pgettext_lazy("access report", "written by"),
    "started_by": pgettext_lazy("access report", "started by"),
    "withdrawn_by": pgettext_lazy("access report", "withdrawn by"),
    "withdrawn_at": pgettext_lazy("access report", "withdrawn"),
    "episode": pgettext_lazy("access report", "measure"),
    "form": pgettext_lazy("access report", "form"),
    "journal_entry": pgettext_lazy("access report", "journal entry"),
    "plan_revision": pgettext_lazy("access report", "action plan version"),
    "investigation": pgettext_lazy("access report", "investigation"),
    "plan": pgettext_lazy("access report", "action plan"),
    "revision": pgettext_lazy("access report", "action plan version"),
    "number": pgettext_lazy("access report", "number"),
}
SECTION_TITLES = {
    "cases.caseassignment": pgettext_lazy("access report", "assignments to a caseworker"),
    "plans.actionplan": pgettext_lazy("access report", "action plans"),
    "plans.actionplanrevision": pgettext_lazy("access report", "action plan versions"),
    "plans.goal": pgettext_lazy("access report", "goals"),
}


def _section(label: str, rows: dict[Any, models.Model]) -> Section:
    first = next(iter(rows.values()))
    meta = first._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    section = Section(
        label,
        str(SECTION_TITLES.get(label, meta.verbose_name_plural)),
        [(f.name, str(FIELD_LABELS.get(f.name, f.verbose_name))) for f in fields],
    )
    for pk in sorted(rows):
        obj = rows[pk]
        values: dict[str, Any] = {}
        shown: list[str] = []
        for f in fields:
            if f.is_relation:
                target = getattr(obj, f.name)
                values[f.name] = None if target is None else {"id": target.pk, "text": str(target)}
                shown.append("" if target is None else str(target))
                continue
            raw = f.value_from_object(obj)
            values[f.name] = _json(raw)
            if (label, f.name) in MASKED and raw:
                shown.append(str(getattr(obj, "masked_cpr", "")))
            elif f.choices and raw not in (None, ""):
                shown.append(str(getattr(obj, f"get_{f.name}_display")()))
            else:
                shown.append(_shown(raw))
        section.rows.append(Row(pk, values, shown))
    return section


AUDIT_COLUMNS = [
    ("at", _("when")),
    ("actor", _("who")),
    ("profession", _("profession")),
    ("action", _("action")),
    ("object_type", _("object type")),
    ("object_id", _("object id")),
    ("source", _("source")),
]


def audit_history(child: Child) -> Section:
    """Who has seen or changed the child's data, oldest first."""
    section = Section(
        "audit.auditentry",
        str(_("Who has seen or changed the data")),
        [(name, str(title)) for name, title in AUDIT_COLUMNS],
    )
    actions = dict(AuditAction.choices)
    professions = dict(Profession.choices)
    entries = list(AuditEntry.objects.about_child(child.pk).order_by("id"))
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    names = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=actor_ids)}
    for entry in entries:
        name = names.get(entry.actor_id or 0, "")
        # A list page's one entry names other children too: only this child's objects.
        mine = [s for s in entry.shown() if s[2] == child.pk] or entry.shown()[:1]
        object_type = ", ".join(dict.fromkeys(t for t, _p, _c in mine))
        object_id = ", ".join(p for _t, p, _c in mine)
        values = {
            "at": entry.at.isoformat(),
            "actor": entry.actor_username,
            "name": name,
            "profession": entry.actor_profession,
            "action": entry.action,
            "object_type": object_type,
            "object_id": object_id,
            "source": entry.source,
        }
        shown = [
            _shown(entry.at),
            f"{name} ({entry.actor_username})" if name else entry.actor_username,
            str(professions.get(entry.actor_profession, entry.actor_profession)),
            str(actions.get(entry.action, entry.action)),
            object_type,
            object_id,
            entry.source,
        ]
        section.rows.append(Row(entry.pk, values, shown, _sentence(entry, name, professions, mine)))
    return section


# The audit history in plain words: "Henrik Prototypsen, socialrådgiver, så sagen 3. december
# 2026 kl. 10.15".
VERBS: dict[str, Any] = {
    AuditAction.READ: pgettext_lazy("access report action", "saw"),
    AuditAction.CREATE: pgettext_lazy("access report action", "created"),
    AuditAction.UPDATE: pgettext_lazy("access report action", "changed"),
    AuditAction.DELETE: pgettext_lazy("access report action", "deleted"),
    AuditAction.EXPORT: pgettext_lazy("access report action", "made a copy of"),
    AuditAction.DOWNLOAD: pgettext_lazy("access report action", "downloaded"),
    AuditAction.IMPORT: pgettext_lazy("access report action", "imported"),
    AuditAction.BREAK_GLASS: pgettext_lazy("access report action", "broke the glass to"),
    AuditAction.CONSENT: pgettext_lazy("access report action", "registered consent for"),
    AuditAction.RETENTION: pgettext_lazy("access report action", "anonymised"),
    AuditAction.LOOKUP: pgettext_lazy("access report action", "looked up"),
    AuditAction.EMAIL: pgettext_lazy("access report action", "sent an e-mail about"),
}
OBJECTS = {
    "cases.child": pgettext_lazy("access report", "the child's details"),
    "cases.case": pgettext_lazy("access report", "the case"),
    "cases.journalentry": pgettext_lazy("access report", "a journal entry"),
    "cases.caseassignment": pgettext_lazy("access report", "the assignment to a caseworker"),
    "cases.earlystep": pgettext_lazy("access report", "an early step"),
    "cases.complaint": pgettext_lazy("access report", "a complaint"),
    "intake.notification": pgettext_lazy("access report", "a notification"),
    "measures.episode": pgettext_lazy("access report", "a measure"),
    "followups.followup": pgettext_lazy("access report", "a follow-up"),
    "plans.actionplan": pgettext_lazy("access report", "the action plan"),
    "plans.actionplanrevision": pgettext_lazy("access report", "the action plan"),
    "plans.goal": pgettext_lazy("access report", "a goal of the action plan"),
    "investigations.childinvestigation": pgettext_lazy("access report", "an investigation"),
    "investigations.networkmapentry": pgettext_lazy("access report", "the network map"),
    "consent.consent": pgettext_lazy("access report", "a consent"),
}


SENTENCE = pgettext_lazy("access report", "%(who)s %(verb)s %(what)s on %(day)s at %(time)s")


def _object_words(object_type: str) -> str:
    if object_type in OBJECTS:
        return str(OBJECTS[object_type])
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return str(pgettext_lazy("access report", "the child's data"))
    return str(pgettext_lazy("access report", "the child's %(what)s")) % {
        "what": model._meta.verbose_name
    }


def _sentence(
    entry: AuditEntry,
    name: str,
    professions: dict[str, Any],
    mine: list[tuple[str, str, int | None]],
) -> str:
    who = name or entry.actor_username or str(pgettext_lazy("access report", "The system"))
    profession = str(professions.get(entry.actor_profession, "")).lower()
    if profession:
        who = f"{who}, {profession},"
    verb = str(VERBS.get(entry.action, entry.get_action_display().lower()))
    what = ", ".join(dict.fromkeys(_object_words(t) for t, _p, _c in mine))
    at = timezone.localtime(entry.at)
    return str(
        pgettext_lazy("access report", "%(who)s %(verb)s %(what)s on %(day)s at %(time)s")
    ) % {
        "who": who,
        "verb": verb,
        "what": what,
        "day": formats.date_format(at, "j. F Y"),
        "time": formats.time_format(at, "H.i"),
    }


def access_report(child: Child) -> AccessReport:
    """The report as it stands now (the caller audits that it was made: `record(EXPORT, …)`)."""
    sections = [_section(label, rows) for label, rows in collect(child).items()]
    return AccessReport(child, timezone.now(), sections, audit_history(child))
