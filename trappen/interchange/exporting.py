"""Exporting the database as a Dataset: the six tables of the interchange format."""

from trappen.core.dataset import Dataset
from trappen.core.pseudonym import pseudonymise_dataset
from trappen.privacy.pseudonyms import installation_secret
from trappen.steering_data.database import dataset_from_database


def export_dataset(*, pseudonymise: bool = False) -> Dataset:
    """The six tables of the interchange format from the database (the steering's read model,
    `steering_data.database`). `pseudonymise`: ids and caseworkers replaced by this
    installation's pseudonyms, birth dates coarsened to the month (docs/privacy.md)."""
    ds = dataset_from_database(steering=False)
    if pseudonymise:
        return pseudonymise_dataset(ds, installation_secret())
    return ds
