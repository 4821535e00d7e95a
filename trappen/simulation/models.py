"""The business case kept (F13 point 4): the plan as entered (investment and expected saving
per year, as KORA's table 2.4) and the booked accounts per function and year (imported)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    investment = models.DecimalField(_("investment, kr"), max_digits=14, decimal_places=0)
    expected_saving = models.DecimalField(
        _("expected saving on placements, kr"), max_digits=14, decimal_places=0
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("business-case plan year")


class BookedAccount(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    function = models.CharField(_("function"), max_length=20)
    amount = models.DecimalField(_("amount, kr"), max_digits=16, decimal_places=2)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "function"]
        constraints = [
            models.UniqueConstraint(fields=["year", "function"], name="booked_year_function")
        ]
        verbose_name = _("booked account")
