import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Child


def new_secret() -> str:
    return secrets.token_hex(32)


class PseudonymSecret(models.Model):
    """The key of this database's pseudonyms (docs/privacy.md), drawn once.

    Never exported, never shown in the admin: whoever holds it can test a guessed id against a
    pseudonym. Setting PSEUDONYM_SECRET overrides it, so that several databases of one
    municipality give the same child the same pseudonym.
    """

    secret = models.CharField(max_length=128, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"pseudonym secret #{self.pk}"  # never the secret itself


class AnonymisedChild(models.Model):
    """A child whose data the retention job has anonymised (`trappen retention`)."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="+")
    anonymised_on = models.DateField(_("anonymised on"))
    last_closed_on = models.DateField(_("last case closed on"))

    class Meta:
        verbose_name = _("anonymised child")
        verbose_name_plural = _("anonymised children")
