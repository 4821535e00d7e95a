"""The case file: the case page composed in one place from what each app contributes.

Each app's `casefile.py` registers its timeline events and its panel (see `registry`); this
app discovers those modules when Django starts, and `compose()` builds the page once.
"""
