"""`santander-lake status`: which months the bronze tables hold, from the ingestion log."""

from __future__ import annotations

import argparse
import sys

from santander_lake.config import Settings
from santander_lake.ingest_log import IngestRecord, read_ingestions
from santander_lake.spark import get_spark

COLUMNS = ("table", "month", "rows", "bad_lines", "sha256", "ingested_at")


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("status", help="show the months loaded into bronze")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    records = read_ingestions(get_spark(settings), settings)
    sys.stdout.write(format_status(records, settings.lake_root))
    return 0


def format_status(records: list[IngestRecord], lake_root: str) -> str:
    """A plain-text table of the loaded months, or a line saying nothing is loaded."""
    if not records:
        return f"No months ingested yet in {lake_root}/bronze.\n"

    cells = [COLUMNS] + [
        (
            r.table,
            r.month.isoformat(),
            f"{r.rows:,}",
            f"{r.bad_lines:,}",
            r.source_sha256[:12],
            r.ingested_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return "\n".join(lines) + "\n"
