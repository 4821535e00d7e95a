import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# The user behind imported rows that name nobody: cases with an empty caseworker cell, and the
# creator of imported episodes and follow-ups. Inactive, with no usable password.
IMPORT_USERNAME = "importeret"


def new_token() -> str:
    return secrets.token_hex(4)


class Installation(models.Model):
    """This database's token, part of the ids an export gives rows that were not imported.

    A row created in trappen has no `external_id`; the export names it
    `trappen-<token>-<primary key>` (docs/interchange.md, "Ids"). The token is drawn once per
    database, so those ids never collide with ids another database exported, and an import
    refuses ids carrying this database's own token: those rows are here already.
    """

    token = models.CharField(_("token"), max_length=16, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> "Installation":
        return cls.objects.order_by("pk").first() or cls.objects.create()
