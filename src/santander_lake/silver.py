"""Silver: bronze months cleaned into `silver/customer_month`, with quarantine and quality.

Two engines produce the same rows: `sql` (Spark SQL over temp views) and `dataframe`
(the PySpark API). Writing, quarantine and quality are shared, so the engines differ
only in how they clean.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import reduce

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from santander_lake.config import Settings
from santander_lake.delta_tables import months_in, only_months, replace_months, table_exists
from santander_lake.errors import ConfigError, InputError
from santander_lake.quality import log_quality, summarize_quality
from santander_lake.schema import PRODUCT_CODES, TRAIN_COLUMNS
from santander_lake.silver_dataframe import stage_dataframe
from santander_lake.silver_sql import stage_sql
from santander_lake.translate import SILVER_COLUMNS

logger = logging.getLogger(__name__)

SQL = "sql"
DATAFRAME = "dataframe"
ENGINES: tuple[str, ...] = (SQL, DATAFRAME)

BRONZE_TABLES = ("train", "test")
BRONZE_METADATA = ("_month", "_source_file", "_source_line", "_raw_line", "_parse_error")
QUARANTINE_COLUMNS = ("month", "source_file", "source_line", "raw_line", "reason", "detail")


def silver_path(settings: Settings, name: str = "customer_month") -> str:
    """Where a silver table lives: `customer_month`, `quarantine` or `quality`."""
    return settings.table_path("silver", name)


def default_engine(settings: Settings, stage: str) -> str:
    """The engine named by the `<stage>.engine` setting, `sql` when unset."""
    engine = getattr(settings, stage).get("engine", SQL)
    return check_engine(engine)


def check_engine(engine: str) -> str:
    """Return `engine` when it is one of ENGINES, else raise ConfigError."""
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    return engine


def bronze_months(spark: SparkSession, settings: Settings) -> list[date]:
    """Every month held by bronze train or test, oldest first."""
    months: set[date] = set()
    for table in BRONZE_TABLES:
        months.update(months_in(spark, settings.table_path("bronze", table), "_month"))
    return sorted(months)


def build_silver(
    spark: SparkSession,
    settings: Settings,
    months: Sequence[date] | None = None,
    engine: str | None = None,
) -> list[date]:
    """Rebuild silver for `months` (all bronze months when None) from bronze; idempotent.

    Reads `bronze/train` and `bronze/test`; replaces exactly those months of
    `silver/customer_month`, `silver/quarantine` and `silver/quality` and leaves every
    other month untouched. For each month, bronze rows = silver rows + quarantined rows.
    Returns the months written.
    """
    engine = check_engine(engine or default_engine(settings, "silver"))
    available = bronze_months(spark, settings)
    if not available:
        raise InputError(f"no bronze months under {settings.table_path('bronze', '')}")
    months = sorted(set(months or available))
    missing = [m.isoformat() for m in months if m not in available]
    if missing:
        raise InputError(f"bronze holds no rows for month(s) {', '.join(missing)}")

    started = time.perf_counter()
    stage: Callable[[DataFrame], DataFrame] = (
        (lambda bronze: stage_sql(spark, bronze)) if engine == SQL else stage_dataframe
    )
    staged = stage(read_bronze(spark, settings, months)).persist()
    try:
        _write_outputs(settings, staged, months)
    finally:
        staged.unpersist()

    logger.info(
        "Silver (%s engine) rebuilt %d month(s) %s..%s in %.1f s",
        engine,
        len(months),
        months[0],
        months[-1],
        time.perf_counter() - started,
    )
    return months


def read_bronze(spark: SparkSession, settings: Settings, months: Sequence[date]) -> DataFrame:
    """Bronze train and test rows of `months` with one column set; test products are null."""
    frames = []
    for table in BRONZE_TABLES:
        path = settings.table_path("bronze", table)
        if not table_exists(spark, path):
            continue
        frame = only_months(spark.read.format("delta").load(path), months, "_month")
        for code in PRODUCT_CODES:
            if code not in frame.columns:
                frame = frame.withColumn(code, F.lit(None).cast("string"))
        frames.append(frame.select(*TRAIN_COLUMNS, *BRONZE_METADATA))
    return reduce(DataFrame.unionByName, frames)


def _write_outputs(settings: Settings, staged: DataFrame, months: list[date]) -> None:
    accepted = staged.where(F.col("_quarantine_reason").isNull())
    replace_months(accepted.select(*SILVER_COLUMNS), silver_path(settings), months)

    quarantine = staged.where(F.col("_quarantine_reason").isNotNull()).select(
        "month",
        F.col("_source_file").alias("source_file"),
        F.col("_source_line").alias("source_line"),
        F.col("_raw_line").alias("raw_line"),
        F.col("_quarantine_reason").alias("reason"),
        F.col("_quarantine_detail").alias("detail"),
    )
    replace_months(quarantine, silver_path(settings, "quarantine"), months, partition_by=None)

    # The summary is a few hundred rows: collect it once, log it and write it from memory.
    summary = summarize_quality(staged)
    rows = summary.collect()
    log_quality(rows)
    quality = staged.sparkSession.createDataFrame(rows, summary.schema)
    replace_months(quality, silver_path(settings, "quality"), months, partition_by=None)
