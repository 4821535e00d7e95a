"""The interchange's two services: importing a Dataset into the database, all or nothing
(`importing`), and exporting the database as one (`exporting`). docs/interchange.md."""

from .exporting import export_dataset
from .importing import ImportSummary, import_dataset, max_file_bytes
from .models import IMPORT_USERNAME

__all__ = ["IMPORT_USERNAME", "ImportSummary", "export_dataset", "import_dataset", "max_file_bytes"]
