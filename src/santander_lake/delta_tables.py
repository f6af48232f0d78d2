"""Reading and month-by-month replacing of the lake's Delta tables."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

logger = logging.getLogger(__name__)


def table_exists(spark: SparkSession, path: str) -> bool:
    """True when `path` holds a Delta table."""
    return DeltaTable.isDeltaTable(spark, path)


def months_in(spark: SparkSession, path: str, column: str = "month") -> list[date]:
    """The distinct months of a Delta table, oldest first; empty when it does not exist."""
    if not table_exists(spark, path):
        return []
    rows = spark.read.format("delta").load(path).select(column).distinct().collect()
    return sorted(row[0] for row in rows)


def month_predicate(months: Iterable[date], column: str = "month") -> str:
    """A SQL predicate selecting exactly these months."""
    listed = ", ".join(f"DATE'{m.isoformat()}'" for m in sorted(set(months)))
    return f"{column} IN ({listed})"


def only_months(frame: DataFrame, months: Iterable[date], column: str = "month") -> DataFrame:
    """The rows of `frame` whose month is one of `months`."""
    return frame.where(F.col(column).isin(sorted(set(months))))


def replace_months(
    frame: DataFrame,
    path: str,
    months: Iterable[date],
    partition_by: str | None = "month",
) -> None:
    """Replace exactly `months` of the Delta table at `path` with `frame`; idempotent.

    Creates the table when it does not exist. Other months keep their files.
    """
    months = sorted(set(months))
    writer = frame.write.format("delta").mode("overwrite")
    if partition_by:
        writer = writer.partitionBy(partition_by)
    if table_exists(frame.sparkSession, path):
        writer = writer.option("replaceWhere", month_predicate(months))
    writer.save(path)
    logger.debug("Replaced %d months of %s", len(months), path)
