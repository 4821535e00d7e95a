"""Emptying the database before the demo is built: everything but what migrations load."""

import time

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models

from .constants import Log, quiet

# Apps whose tables migrations load (the staircase, the catalogue, the deadline rules): kept.
# The audit log is append-only: the demo's wipe (itself audited) leaves it as it is.
KEEP_APPS = {"catalogue", "rules", "audit"}
# Reference data that migrations load in apps that otherwise hold case data.
KEEP_MODELS = {"followups.cadenceruleset", "followups.cadencerule"}


def wiped_models() -> list[type[models.Model]]:
    """Every model with case, organisation or user data, referencing models first.

    That is every model of the product's apps except the tables migrations load (KEEP_APPS),
    plus sessions and the admin log, which point at users.
    """
    todo = [
        m
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("trappen.")
        and m._meta.app_label not in KEEP_APPS
        and m._meta.label_lower not in KEEP_MODELS
    ] + [Session, LogEntry]
    ordered: list[type[models.Model]] = []
    while todo:
        free = [
            m
            for m in todo
            if not any(
                f.related_model is m
                for other in todo
                if other is not m
                for f in other._meta.concrete_fields
                if f.is_relation
            )
        ]
        batch = free or todo[:1]  # a cycle: its cascades or protections decide
        ordered += batch
        todo = [m for m in todo if m not in batch]
    return ordered


def wipe(log: Log | None = None) -> None:
    """Delete all case data, the organisation and every user; keep catalogue and rules."""
    started = time.perf_counter()
    deleted = 0
    for model in wiped_models():
        deleted += model._base_manager.all().delete()[0]
    (log or quiet)(f"  Wiped {deleted} rows ({time.perf_counter() - started:.1f} s)")
