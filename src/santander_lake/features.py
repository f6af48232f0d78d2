"""Gold: point-in-time features and added-product labels per (customer, month) from silver.

A feature row for month M uses silver month M for attributes and months M-1..M-5 for
product ownership, so a silver month affects gold months M..M+5 only; rebuilding
those months and no others keeps gold incremental. Both engines (`sql`, `dataframe`)
produce identical tables.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date

from pyspark.sql import DataFrame, SparkSession

from santander_lake.config import Settings
from santander_lake.delta_tables import months_in, only_months, replace_months
from santander_lake.errors import InputError
from santander_lake.features_dataframe import (
    features_dataframe,
    history_dataframe,
    labels_dataframe,
)
from santander_lake.features_sql import features_sql, history_sql, labels_sql
from santander_lake.gold_columns import FEATURE_COLUMNS, LABEL_COLUMNS, MAX_LAG
from santander_lake.silver import SQL, check_engine, default_engine, silver_path

logger = logging.getLogger(__name__)


def gold_path(settings: Settings, name: str) -> str:
    """Where a gold table lives: `features` or `labels`."""
    return settings.table_path("gold", name)


def months_apart(later: date, earlier: date) -> int:
    """Whole calendar months from `earlier` to `later`."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def affected_months(changed: Sequence[date], available: Sequence[date]) -> list[date]:
    """The months of `available` whose gold rows read any of the `changed` silver months."""
    return [m for m in available if any(0 <= months_apart(m, c) <= MAX_LAG for c in changed)]


def build_gold(
    spark: SparkSession,
    settings: Settings,
    changed: Sequence[date] | None = None,
    engine: str | None = None,
) -> list[date]:
    """Rebuild the gold months that depend on silver months `changed` (all when None).

    Reads `silver/customer_month` for those months and the MAX_LAG months before them;
    replaces exactly those months of `gold/features` and `gold/labels`, leaving the
    others untouched. Idempotent. Returns the months written.
    """
    engine = check_engine(engine or default_engine(settings, "gold"))
    available = months_in(spark, silver_path(settings))
    if not available:
        raise InputError(f"no silver months in {silver_path(settings)}: run silver first")
    missing = [m.isoformat() for m in changed or () if m not in available]
    if missing:
        raise InputError(f"silver holds no rows for month(s) {', '.join(missing)}")
    targets = list(available) if not changed else affected_months(changed, available)
    inputs = [m for m in available if any(0 <= months_apart(t, m) <= MAX_LAG for t in targets)]

    started = time.perf_counter()
    silver = only_months(spark.read.format("delta").load(silver_path(settings)), inputs)
    history = _history(spark, silver, engine).persist()
    try:
        features, labels = _features_and_labels(spark, history, engine)
        replace_months(
            only_months(features, targets).select(*FEATURE_COLUMNS),
            gold_path(settings, "features"),
            targets,
        )
        replace_months(
            only_months(labels, targets).select(*LABEL_COLUMNS),
            gold_path(settings, "labels"),
            targets,
        )
    finally:
        history.unpersist()

    logger.info(
        "Gold (%s engine) rebuilt %d month(s) %s..%s from %d silver month(s) in %.1f s",
        engine,
        len(targets),
        targets[0],
        targets[-1],
        len(inputs),
        time.perf_counter() - started,
    )
    return targets


def _history(spark: SparkSession, silver: DataFrame, engine: str) -> DataFrame:
    return history_sql(spark, silver) if engine == SQL else history_dataframe(silver)


def _features_and_labels(
    spark: SparkSession, history: DataFrame, engine: str
) -> tuple[DataFrame, DataFrame]:
    if engine == SQL:
        return features_sql(spark, history), labels_sql(spark, history)
    return features_dataframe(history), labels_dataframe(history)
