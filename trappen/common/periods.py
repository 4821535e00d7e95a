"""Date-range filters shared by the apps' queries."""

from datetime import date

from django.db.models import Q


def active_on_q(day: date, prefix: str = "") -> Q:
    """Episodes active on `day` (through the relation `prefix`, e.g. "child__episodes__"):
    started on or before it, not ended by it; the ORM twin of core.staircase.EpisodeSpan.active_on
    (the end date is exclusive)."""
    return Q(**{f"{prefix}start_on__lte": day}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gt": day})
    )
