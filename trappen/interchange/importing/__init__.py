"""Importing a Dataset into the database, all or nothing.

The files' own rules are checked by `core.interchange.read_dataset`; `checks` adds what only
the database can tell, then `writes` stores every row with `bulk_create`, all in one
transaction. The mapping from files to models is in docs/interchange.md.
"""

from django.db import transaction

from trappen.core.dataset import Dataset

from ..signals import data_imported
from .checks import Log
from .summary import ImportSummary, max_file_bytes
from .writes import Importer

__all__ = ["ImportSummary", "import_dataset", "max_file_bytes"]


def _quiet(_text: str) -> None:
    pass


def import_dataset(
    ds: Dataset, *, log: Log | None = None, confirm_costs: bool = False
) -> ImportSummary:
    """Store `ds` in the database, all or nothing; InterchangeError lists what stands in the way.

    Nothing is stored when any problem is found: the checks run before the first row is
    written, and everything runs in one transaction. A daily cost outside its plausible range
    is a problem (`confirmable`) unless `confirm_costs`; then the summary lists it.
    """
    with transaction.atomic():
        summary = Importer(ds, log or _quiet, confirm_costs).run()
        data_imported.send(sender=Importer, summary=summary)
        return summary
