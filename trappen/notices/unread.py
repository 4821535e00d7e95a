"""The count of a user's unread messages, which the navigation shows on every page.

Counted in the same query that loads the request's user (`security.backends`), so a page
asks no second time; the context processor falls back to its own count when the user came
another way."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Notice

ATTRIBUTE = "unread_notice_count"


def with_unread_count(users: QuerySet) -> QuerySet:
    """`users`, each with its count of unread messages as `unread_notice_count`."""
    unread = (
        Notice.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return users.annotate(**{ATTRIBUTE: Coalesce(Subquery(unread, output_field=IntegerField()), 0)})
