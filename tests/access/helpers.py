"""Build consent and sharing the way a caseworker does, through the services."""

from datetime import timedelta

from django.utils import timezone

from trappen.cases.models import Case
from trappen.consent import services
from trappen.consent.models import Consent, Relation, Scope, Sharing
from trappen.organisation.models import User


def consent_for(
    case: Case, user: User, *, by: User, scope: str = Scope.CASE_INFORMATION
) -> Consent:
    return services.register_consent(
        case,
        by=by,
        custody_holder="Mor Barnesen",
        relation=Relation.MOTHER,
        scope=scope,
        profession="",
        recipient=user,
        valid_from=timezone.localdate() - timedelta(days=10),
        valid_to=None,
    )


def share_with_consent(case: Case, user: User, *, by: User) -> tuple[Sharing, Consent]:
    consent = consent_for(case, user, by=by)
    return services.share(case, user=user, by=by), consent
