"""Spreadsheets in: files read into tables (``tables``), kept between preview and confirmation (``pending``),
and the actors' columns (``actors``). The names other apps use are here."""

from clusters.imports.actors import (
    ACTOR_FORMAT,
    COLUMNS,
    ActorResource,
    ImportReport,
    ImportRow,
    report_from_result,
    template_dataset,
)
from clusters.imports.pending import (
    PENDING_DIR,
    forget_pending_file,
    keep_pending_file,
    pending_file,
    read_pending_file,
    sweep_pending_files,
)
from clusters.imports.tables import ImportFileError, Table, TableFormat, cell_too_long, preview_text, read_table

__all__ = [
    "ACTOR_FORMAT",
    "COLUMNS",
    "PENDING_DIR",
    "ActorResource",
    "ImportFileError",
    "ImportReport",
    "ImportRow",
    "Table",
    "TableFormat",
    "cell_too_long",
    "forget_pending_file",
    "keep_pending_file",
    "pending_file",
    "preview_text",
    "read_pending_file",
    "read_table",
    "report_from_result",
    "sweep_pending_files",
    "template_dataset",
]
