"""Helpers for the intake tests: a notifier's organisation and the professionals' form."""

from typing import Any

from trappen.organisation.models import Organisation, User


def organisation(org: Any, kind: str = "school", name: str = "Nordby Skole") -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        municipality=org.municipality, name=name, defaults={"kind": kind, "district": org.d_north}
    )
    return found


def works_at(user: User, place: Organisation, role: str = "Lærer") -> User:
    user.organisation = place
    user.job_title = role
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["organisation", "job_title", "email"])
    return user


def notifier_fields(user: User) -> dict[str, Any]:
    """What the professionals' form posts about the notifier (its prefilled values)."""
    return {
        "kind": "notification",
        "notifier_organisation": user.organisation_id or "",
        "notifier_name": user.get_full_name(),
        "notifier_role": user.job_title or "Lærer",
        "notifier_phone": "",
        "notifier_email": user.email or "sender@example.org",
    }
