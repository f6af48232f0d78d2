"""The per-month quality summary of silver: rows, nulls, nulled values, quarantined rows."""

from __future__ import annotations

import logging
from collections import defaultdict

from pyspark.sql import Column, DataFrame, Row
from pyspark.sql import functions as F

from santander_lake.translate import SILVER_COLUMNS

logger = logging.getLogger(__name__)

BRONZE_ROWS = "bronze_rows"
SILVER_ROWS = "silver_rows"
QUARANTINED = "quarantined"
NULLS = "nulls"
NULLED_INVALID = "nulled_invalid"

QUALITY_COLUMNS = ("month", "measure", "column", "reason", "rows")


def summarize_quality(staged: DataFrame) -> DataFrame:
    """Long table `month, measure, column, reason, rows` from staged silver rows.

    Measures: bronze_rows and silver_rows; quarantined rows by reason; nulls per silver
    column and values nulled as invalid by column and reason (both over accepted rows).
    """
    accepted_flag = F.col("_quarantine_reason").isNull()
    accepted = staged.where(accepted_flag)

    row_counts = staged.groupBy("month").agg(
        F.count(F.lit(1)).alias(BRONZE_ROWS),
        F.count(F.when(accepted_flag, 1)).alias(SILVER_ROWS),
    )
    rows = row_counts.unpivot("month", [BRONZE_ROWS, SILVER_ROWS], "measure", "rows").select(
        "month", "measure", _none("column"), _none("reason"), "rows"
    )

    quarantined = (
        staged.where(~accepted_flag)
        .groupBy("month", F.col("_quarantine_reason").alias("reason"))
        .count()
        .select("month", F.lit(QUARANTINED).alias("measure"), _none("column"), "reason", "count")
    )

    null_counts = accepted.groupBy("month").agg(
        *[F.count_if(F.col(name).isNull()).alias(name) for name in SILVER_COLUMNS[1:]]
    )
    nulls = null_counts.unpivot("month", list(SILVER_COLUMNS[1:]), "column", "rows").select(
        "month", F.lit(NULLS).alias("measure"), "column", _none("reason"), "rows"
    )

    invalid = (
        accepted.select("month", F.explode("_invalid").alias("invalid"))
        .withColumn("parts", F.split("invalid", ":"))
        .groupBy("month", F.col("parts")[0].alias("column"), F.col("parts")[1].alias("reason"))
        .count()
        .select("month", F.lit(NULLED_INVALID).alias("measure"), "column", "reason", "count")
    )

    union = rows.unionAll(quarantined).unionAll(nulls).unionAll(invalid)
    return union.toDF(*QUALITY_COLUMNS).withColumn("rows", F.col("rows").cast("bigint"))


def log_quality(summary: list[Row]) -> None:
    """One INFO line per month from the collected summary; quarantined rows also as WARNING."""
    by_month: dict = defaultdict(lambda: defaultdict(dict))
    for row in summary:
        if row["measure"] == NULLS:
            continue
        key = row["reason"] if row["column"] is None else f"{row['column']}:{row['reason']}"
        by_month[row["month"]][row["measure"]][key] = row["rows"]

    for month in sorted(by_month):
        measures = by_month[month]
        quarantined = measures.get(QUARANTINED, {})
        invalid = measures.get(NULLED_INVALID, {})
        logger.info(
            "Silver %s: %s bronze rows -> %s silver rows, %s quarantined, %s values nulled "
            "as invalid %s",
            month,
            f"{measures[BRONZE_ROWS][None]:,}",
            f"{measures[SILVER_ROWS][None]:,}",
            f"{sum(quarantined.values()):,}",
            f"{sum(invalid.values()):,}",
            dict(sorted(invalid.items())),
        )
        if quarantined:
            logger.warning("Silver %s quarantined rows by reason: %s", month, quarantined)


def _none(name: str) -> Column:
    return F.lit(None).cast("string").alias(name)
