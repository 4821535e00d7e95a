"""Sent inside the import's transaction once every row is stored (`summary`: an
ImportSummary). The steering's cache listens: figures computed before are out of date."""

from django.dispatch import Signal

data_imported = Signal()
