"""Stable salted pseudonyms, and the pseudonymised form of an interchange Dataset (docs/privacy.md).

A pseudonym is an HMAC-SHA256 of (kind, key) under the installation's secret, truncated to 80
bits and written as "P-" and 16 base32 letters. The same key always gets the same pseudonym in
one installation; another secret gives unrelated pseudonyms; without the secret a pseudonym
cannot be traced back to its key, nor two pseudonyms of different kinds linked.
"""

import base64
import hashlib
import hmac
from datetime import date

import polars as pl

from .dataset import Dataset

PREFIX = "P-"
LENGTH = 16  # base32 letters: 80 bits, so collisions need ~10^12 keys to become likely
PATTERN = rf"{PREFIX}[A-Z2-7]{{{LENGTH}}}"

# Which columns of each file hold an id of which kind. A reference uses the kind of the file
# it points into, so references stay consistent across files.
ID_COLUMNS: dict[str, dict[str, str]] = {
    "children": {"child_id": "child"},
    "cases": {"case_id": "case", "child_id": "child", "caseworker": "caseworker"},
    "episodes": {"episode_id": "episode", "child_id": "child"},
    "followups": {"followup_id": "followup", "child_id": "child", "episode_id": "episode"},
    "complaints": {"complaint_id": "complaint", "child_id": "child"},
    "sdq": {"sdq_id": "sdq", "child_id": "child"},
}


def pseudonym(secret: bytes, kind: str, key: str) -> str:
    """The pseudonym of `key` (an id of the given `kind`: "child", "case", ...) under `secret`."""
    if not secret:
        raise ValueError("a pseudonym needs a non-empty secret")
    # The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    message = kind.encode() + b"\x00" + key.encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest[:10]).decode("ascii")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def pseudonymise_dataset(ds: Dataset, secret: bytes) -> Dataset:
    """`ds` with every id (and caseworker name) replaced by its pseudonym and birth dates
    coarsened to the first of the month. Districts, teams, dates, steps and costs stay: the
    evaluation's figures are the same as on `ds` (only the caseload's keys are pseudonyms)."""

    cache: dict[tuple[str, str], str] = {}

    def column(frame: pl.DataFrame, name: str, kind: str) -> pl.Expr:
        mapping = {}
        for key in frame[name].drop_nulls().unique().to_list():
            if (kind, key) not in cache:
                cache[kind, key] = pseudonym(secret, kind, key)
            mapping[key] = cache[kind, key]
        return pl.col(name).replace_strict(mapping, default=None, return_dtype=pl.String)

    frames: dict[str, pl.DataFrame] = {}
    for table, columns in ID_COLUMNS.items():
        frame: pl.DataFrame = getattr(ds, table)
        frames[table] = frame.with_columns(
            column(frame, name, kind).alias(name) for name, kind in columns.items()
        )
    # A full birth date identifies a child together with district and sex (a quasi-identifier);
    # the month is enough for any age the figures could ask for.
    frames["children"] = frames["children"].with_columns(pl.col("birth_date").dt.truncate("1mo"))
    return Dataset(districts=ds.districts, **frames)
