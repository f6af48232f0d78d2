"""Bronze: each monthly snapshot of the raw Kaggle files, recorded exactly as it came.

`<lake>/bronze/train` and `<lake>/bronze/test` hold every raw field as its text
(padding kept), partitioned by `_month`, with the source file, line number and
ingestion time; lines that do not parse stay in the table with their raw text and
the reason. A month is replaced in one Delta commit, so a rerun never duplicates
and a killed run leaves the table as it was.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from santander_lake.config import Settings
from santander_lake.errors import InputError
from santander_lake.ingest_log import IngestRecord, read_ingestions, record_ingestion
from santander_lake.rawfile import locate, open_raw_file
from santander_lake.schema import TEST_COLUMNS, TEST_FILE, TRAIN_COLUMNS, TRAIN_FILE
from santander_lake.staging import StagedFile, month_rows, staged_file

logger = logging.getLogger(__name__)

METADATA_COLUMNS: tuple[str, ...] = (
    "_month",
    "_source_file",
    "_source_line",
    "_ingested_at",
    "_raw_line",
    "_parse_error",
)


@dataclass(frozen=True)
class RawKind:
    """One kind of raw file and the bronze table it lands in."""

    table: str
    file_name: str
    columns: tuple[str, ...]


TRAIN = RawKind("train", TRAIN_FILE, TRAIN_COLUMNS)
TEST = RawKind("test", TEST_FILE, TEST_COLUMNS)


def bronze_path(settings: Settings, kind: RawKind) -> str:
    """Where the bronze table of `kind` lives: `<lake>/bronze/<train|test>`."""
    return settings.table_path("bronze", kind.table)


def ingest_month(
    spark: SparkSession, settings: Settings, raw_dir: str | Path, month: date
) -> IngestRecord:
    """Ingest one month of `train_ver2.csv` (or `.zip`) in `raw_dir` into bronze/train.

    Replaces that month's partition in one commit and upserts its ingestion log
    row. Idempotent. Raises `InputError` before writing for a missing or empty
    file, a wrong header or a month the file does not hold.
    """
    staged = _stage(spark, settings, raw_dir, TRAIN)
    return _write_month(spark, settings, staged, TRAIN, month)


def ingest_all(
    spark: SparkSession, settings: Settings, raw_dir: str | Path, force: bool = False
) -> list[IngestRecord]:
    """Ingest every month of the train file in date order, one commit per month.

    Months already logged from the same file checksum are skipped unless
    `force`, so a rerun after a crash completes the remaining months. Idempotent.
    """
    staged = _stage(spark, settings, raw_dir, TRAIN)
    done = {
        r.month
        for r in read_ingestions(spark, settings)
        if r.table == TRAIN.table and r.source_sha256 == staged.raw.sha256
    }

    months = sorted(span.month for span in staged.months)
    records = []
    for number, month in enumerate(months, start=1):
        if month in done and not force:
            logger.info(
                "Month %s (%d/%d) already ingested from this file", month, number, len(months)
            )
            continue
        logger.info("Ingesting month %s (%d/%d)", month, number, len(months))
        records.append(_write_month(spark, settings, staged, TRAIN, month))
    return records


def ingest_test(
    spark: SparkSession, settings: Settings, raw_dir: str | Path
) -> list[IngestRecord]:
    """Ingest `test_ver2.csv` (or `.zip`) into bronze/test, one commit per month it holds.

    Idempotent; raises `InputError` before writing for a missing, empty or
    wrongly headed file.
    """
    staged = _stage(spark, settings, raw_dir, TEST)
    return [
        _write_month(spark, settings, staged, TEST, span.month)
        for span in sorted(staged.months, key=lambda s: s.month)
    ]


def parse_month(text: str) -> date:
    """A `YYYY-MM-DD` month argument as a date; `InputError` if it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"month {text!r} is not a date like 2015-03-28") from None


def _stage(
    spark: SparkSession, settings: Settings, raw_dir: str | Path, kind: RawKind
) -> StagedFile:
    source = locate(raw_dir, kind.file_name)
    raw = open_raw_file(settings.lake_root, source, kind.columns)
    staged = staged_file(spark, settings.lake_root, raw, kind.columns)
    if not staged.months:
        raise InputError(f"{source}: the file holds a header but no data lines")
    return staged


def _write_month(
    spark: SparkSession, settings: Settings, staged: StagedFile, kind: RawKind, month: date
) -> IngestRecord:
    """Replace `month` in the bronze table with the staged rows, then log it."""
    span = staged.span(month)
    if span is None:
        held = ", ".join(sorted(s.month.isoformat() for s in staged.months))
        raise InputError(f"{staged.raw.source}: no rows for month {month}; the file holds {held}")

    started = time.perf_counter()
    ingested_at = datetime.now(UTC)
    path = bronze_path(settings, kind)
    rows = month_rows(spark, staged, month).select(
        *kind.columns,
        "_month",
        F.lit(str(staged.raw.source)).alias("_source_file"),
        "_source_line",
        F.lit(ingested_at).alias("_ingested_at"),
        "_raw_line",
        "_parse_error",
    )
    (
        rows.write.format("delta")
        .mode("overwrite")
        .option("replaceWhere", f"_month = DATE'{month.isoformat()}'")
        .partitionBy("_month")
        .save(path)
    )
    version = DeltaTable.forPath(spark, path).history(1).collect()[0]["version"]

    seconds = time.perf_counter() - started
    record = IngestRecord(
        table=kind.table,
        month=month,
        rows=span.rows,
        bad_lines=span.bad_lines,
        source_file=str(staged.raw.source),
        source_sha256=staged.raw.sha256,
        bronze_version=version,
        ingested_at=ingested_at,
        seconds=round(seconds, 3),
    )
    record_ingestion(spark, settings, record)

    logger.info(
        "Ingested %s month %s: %d rows, %d bad lines in %.1f s (version %d)",
        kind.table,
        month,
        span.rows,
        span.bad_lines,
        seconds,
        version,
    )
    if span.bad_lines:
        logger.warning(
            "%s month %s: %d lines did not parse; kept in bronze with _parse_error",
            staged.raw.source,
            month,
            span.bad_lines,
        )
    return record
