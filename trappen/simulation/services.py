"""Writes of the business case: a plan year entered or changed, booked accounts imported (all
or nothing: an import replaces the years it names, in one transaction), each audited."""

from decimal import Decimal
from typing import Any

from django.db import transaction

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.core.accounts import Booked
from trappen.simulation.models import BookedAccount, PlanYear


def save_plan_year(
    user: Any, *, year: int, investment: Decimal, expected_saving: Decimal, note: str = ""
) -> PlanYear:
    with transaction.atomic():
        row, _created = PlanYear.objects.update_or_create(
            year=year,
            defaults={
                "investment": investment,
                "expected_saving": expected_saving,
                "note": note,
                "entered_by": user,
            },
        )
        record(AuditAction.UPDATE, obj=row, detail={"business_case_year": year})
    return row


def import_accounts(user: Any, rows: list[Booked]) -> int:
    years = sorted({r.year for r in rows})
    with transaction.atomic():
        BookedAccount.objects.filter(year__in=years).delete()
        BookedAccount.objects.bulk_create(
            BookedAccount(
                year=r.year, function=r.function, amount=Decimal(str(r.amount)), imported_by=user
            )
            for r in rows
        )
        record(AuditAction.IMPORT, detail={"booked_accounts": len(rows), "years": years})
    return len(rows)
