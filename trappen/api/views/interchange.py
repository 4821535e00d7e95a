"""Writing the CSV interchange tables (scope write:interchange): the same files, checks, report
and transaction as `trappen import` (docs/interchange.md), all or nothing.

The tables come as CSV text per table in a JSON body (`/interchange/import`, at most what
Django reads into memory, DATA_UPLOAD_MAX_MEMORY_SIZE) or as files of a multipart form
(`/interchange/import-files`, each up to TRAPPEN_IMPORT_MAX_FILE_MB). They are written to a
temporary folder and read by `read_dataset` exactly as the command reads a folder. An import
writes one IMPORT entry in the import's own transaction; a dry run stores and logs nothing.
"""

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from trappen.audit import log
from trappen.audit.models import AuditAction
from trappen.core.dataset import SCHEMA
from trappen.core.interchange import InterchangeError, file_name, read_dataset
from trappen.interchange.services import ImportSummary, import_dataset, max_file_bytes

from ..auth import requires, token_of
from ..models import Scope
from ..schemas import (
    RATE_LIMITED,
    Error,
    ImportIn,
    ImportOut,
    ImportRefused,
    ValidationError,
)

router = Router(tags=["interchange"])

# 400: the tables' problems (ImportRefused), or a body that is not JSON at all (Error).
RESPONSES = {
    200: ImportOut,
    400: ImportRefused | Error,
    401: Error,
    403: Error,
    413: Error,
    422: ValidationError,
    **RATE_LIMITED,
}
CHUNK = 2**20


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


@contextmanager
def folder_of(
    texts: Mapping[str, str | None], files: Mapping[str, UploadedFile | None]
) -> Iterator[Path]:
    """A temporary folder holding each table given as `<table>.csv`, as `trappen import` reads
    a folder; a table left out is a file missing (which the checks report where it matters)."""
    with tempfile.TemporaryDirectory(prefix="trappen-api-") as name:
        folder = Path(name)
        for table, text in texts.items():
            if text is not None:
                (folder / file_name(table)).write_bytes(text.encode("utf-8", "surrogatepass"))
        for table, upload in files.items():
            if upload is not None:
                with (folder / file_name(table)).open("wb") as out:
                    for chunk in upload.chunks(CHUNK):
                        out.write(chunk)
        yield folder


def run_import(request: HttpRequest, folder: Path, *, dry_run: bool, confirm_costs: bool) -> Status:
    try:
        ds = read_dataset(folder, max_bytes=max_file_bytes())
        try:
            with transaction.atomic():
                summary = _import(request, ds, dry_run=dry_run, confirm_costs=confirm_costs)
        except _DryRun as done:
            summary = done.summary
    except InterchangeError as error:
        problems = [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "message": p.message,
                "confirmable": p.confirmable,
            }
            for p in error.problems
        ]
        report = [*error.report(), f"{error.count} problem(s): nothing was imported."]
        return Status(400, {"count": error.count, "problems": problems, "report": report})
    return Status(
        200,
        {
            "imported": not dry_run,
            "dry_run": dry_run,
            "rows": summary.rows,
            "report": summary.lines(),
        },
    )


def _import(request: HttpRequest, ds: Any, *, dry_run: bool, confirm_costs: bool) -> ImportSummary:
    """Store `ds` (in the caller's transaction) and write its one IMPORT entry; a dry run
    raises _DryRun so that the transaction rolls back and nothing is logged."""
    ctx = log.current()
    if ctx is not None:
        ctx.bulk = {}  # per-row entries become counts in the one summary
    try:
        summary = import_dataset(ds, confirm_costs=confirm_costs)
        saved = (ctx.bulk if ctx is not None else None) or {}
    finally:
        if ctx is not None:
            ctx.bulk = None
    if dry_run:
        raise _DryRun(summary)
    log.record(
        AuditAction.IMPORT,
        user=request.user,
        detail={
            "rows": {file_name(t): n for t, n in summary.rows.items()},
            "saved": saved,
            "source": "api",
            "api_token": token_of(request).pk,
        },
    )
    return summary


@router.post("/interchange/import", response=RESPONSES, url_name="interchange_import")
@requires(Scope.WRITE_INTERCHANGE)
def interchange_import(request: HttpRequest, body: ImportIn) -> Status:
    """The six tables as CSV text in a JSON body; all or nothing, with `trappen import`'s
    report naming file, line and column of every problem."""
    texts = body.tables.model_dump()
    with folder_of(texts, {}) as folder:
        return run_import(request, folder, dry_run=body.dry_run, confirm_costs=body.confirm_costs)


@router.post("/interchange/import-files", response=RESPONSES, url_name="interchange_import_files")
@requires(Scope.WRITE_INTERCHANGE)
def interchange_import_files(
    request: HttpRequest,
    districts: File[UploadedFile | None] = None,
    children: File[UploadedFile | None] = None,
    cases: File[UploadedFile | None] = None,
    episodes: File[UploadedFile | None] = None,
    followups: File[UploadedFile | None] = None,
    complaints: File[UploadedFile | None] = None,
    sdq: File[UploadedFile | None] = None,
    dry_run: Form[bool] = False,
    confirm_costs: Form[bool] = False,
) -> Status:
    """The six tables as files of a multipart form (`districts`, `children`, …), for files
    larger than a JSON body may be; otherwise as `/interchange/import`."""
    files = {
        "districts": districts,
        "children": children,
        "cases": cases,
        "episodes": episodes,
        "followups": followups,
        "complaints": complaints,
        "sdq": sdq,
    }
    assert set(files) == set(SCHEMA)
    with folder_of({}, files) as folder:
        return run_import(request, folder, dry_run=dry_run, confirm_costs=confirm_costs)
