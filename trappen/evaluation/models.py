from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationSlot(models.Model):
    """One of the few evaluations that may run at once, across every worker process.

    A worker takes a free slot (no lease, or a lease run out) with one conditional UPDATE, so two
    workers never hold the same slot; it gives the slot back when its evaluation ends, and a slot
    a crashed worker held frees itself when its lease runs out (trappen/evaluation/limits.py).
    """

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    token = models.CharField(_("holder"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation slot")
        verbose_name_plural = _("evaluation slots")

    def __str__(self) -> str:
        return f"{self.number}: {self.token or '-'}"


class CachedFigures(models.Model):
    """One entry of the steering's shared cache: the figures of one query and data version
    (pickled), or the data version itself (trappen/evaluation/limits.py).

    Not Django's database cache: that unpickles whatever its table holds, so whoever can write
    the database could run code in the application (and read its keys). Each value here carries
    an HMAC under the secret key, which lives outside the database, and a value whose HMAC does
    not match is never unpickled.
    """

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    value = models.BinaryField(_("value"))
    signature = models.CharField(_("signature"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("cached figures")
        verbose_name_plural = _("cached figures")

    def __str__(self) -> str:
        return self.key
