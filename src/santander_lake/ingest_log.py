"""The ingestion log: one Delta row per (table, month) saying what bronze holds and from what."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql.types import (
    DateType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from santander_lake.config import Settings

LOG_SCHEMA = StructType(
    [
        StructField("table", StringType(), False),
        StructField("month", DateType(), False),
        StructField("rows", LongType(), False),
        StructField("bad_lines", LongType(), False),
        StructField("source_file", StringType(), False),
        StructField("source_sha256", StringType(), False),
        StructField("bronze_version", LongType(), False),
        StructField("ingested_at", TimestampType(), False),
        StructField("seconds", DoubleType(), False),
    ]
)


@dataclass(frozen=True)
class IngestRecord:
    """What one month's ingestion wrote: counts, source, checksum, Delta version, time."""

    table: str
    month: date
    rows: int
    bad_lines: int
    source_file: str
    source_sha256: str
    bronze_version: int
    ingested_at: datetime
    seconds: float


def log_path(settings: Settings) -> str:
    """Where the ingestion log table lives: `<lake>/bronze/_ingest_log`."""
    return settings.table_path("bronze", "_ingest_log")


def record_ingestion(spark: SparkSession, settings: Settings, record: IngestRecord) -> None:
    """Replace the log row of (table, month) with `record`, in one commit. Idempotent."""
    update = spark.createDataFrame([tuple(asdict(record).values())], LOG_SCHEMA)
    same_key = f"table = '{record.table}' AND month = DATE'{record.month.isoformat()}'"
    update.write.format("delta").mode("overwrite").option("replaceWhere", same_key).save(
        log_path(settings)
    )


def read_ingestions(spark: SparkSession, settings: Settings) -> list[IngestRecord]:
    """Every logged (table, month), ordered by table then month; empty before any ingest."""
    path = log_path(settings)
    if not DeltaTable.isDeltaTable(spark, path):
        return []
    rows = spark.read.format("delta").load(path).orderBy("table", "month").collect()
    return [IngestRecord(**{f.name: row[f.name] for f in LOG_SCHEMA.fields}) for row in rows]
