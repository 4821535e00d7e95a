"""The steering's read model: the database as one `core.dataset.Dataset` (`database.py`).

The key figures (trappen/evaluation), the CSV and Excel export (trappen/interchange) and the
API read the case data for analysis only through `dataset_from_database()`; the apps' models
stay the write side. No models of its own, so no Django app.
"""
