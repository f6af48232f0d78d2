"""Time-based evaluation: fit on earlier months, score MAP@7 on a later one.

The held-out month and each rolling cross-validation fold are scored the same
way: the recommender is fitted on that month's own training months (recent
months plus, optionally, the same month a year before) and ranks every customer
in the month's gold features; customers who add nothing count as 0.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from santander_lake.config import Settings
from santander_lake.errors import InputError
from santander_lake.metrics import K, MapScore, map_at_k
from santander_lake.recommenders import Recommender
from santander_lake.schema import PRODUCTS
from santander_lake.truth import true_probabilities_path, truth_month

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonthEvaluation:
    """One recommender fitted on `training_months` and scored on `month`."""

    recommender: Recommender
    month: date
    training_months: tuple[date, ...]
    score: MapScore
    seconds: float


def read_gold(spark: SparkSession, settings: Settings) -> tuple[DataFrame, DataFrame]:
    """The gold features and labels tables; raises naming the path if one is missing."""
    tables = []
    for name in ("features", "labels"):
        path = settings.table_path("gold", name)
        try:
            tables.append(spark.read.format("delta").load(path))
        except Exception as error:
            raise InputError(f"gold table {path} cannot be read: run `gold` first") from error
    return tables[0], tables[1]


def label_months(labels: DataFrame) -> list[date]:
    """The months holding at least one addition, oldest first."""
    return sorted(row["month"] for row in labels.select("month").distinct().collect())


def shift_month(month: date, months: int) -> date:
    """The 28th of the month `months` after (or before, if negative) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 28)


def training_months(
    target: date, months_back: int, include_year_before: bool, available: Iterable[date]
) -> tuple[date, ...]:
    """The `months_back` months before `target` and, if asked, the month a year before,
    limited to the months that have labels; raises when none is left."""
    wanted = [shift_month(target, -n) for n in range(months_back, 0, -1)]
    if include_year_before:
        wanted.insert(0, shift_month(target, -12))

    present = set(available)
    months = tuple(sorted(m for m in set(wanted) if m in present))
    skipped = sorted(m for m in set(wanted) if m not in present)
    if skipped:
        logger.info("No labels for %s: left out of training for %s", skipped, target)
    if not months:
        raise InputError(f"no labelled training months before {target} in the gold labels")
    return months


def evaluate_month(
    recommender: Recommender,
    features: DataFrame,
    labels: DataFrame,
    month: date,
    months: tuple[date, ...],
) -> MonthEvaluation:
    """Fit `recommender` on `months`, rank `month`'s customers and score MAP@7.

    Reads the gold tables given, writes nothing; the recommender is left fitted.
    """
    started = time.perf_counter()
    in_training = F.col("month").isin(list(months))
    recommender.fit(features.filter(in_training), labels.filter(in_training))

    target = features.filter(F.col("month") == month)
    ranking = recommender.recommend(target, K)
    score = map_at_k(ranking, labels.filter(F.col("month") == month), target, K)
    seconds = time.perf_counter() - started
    logger.info(
        "%s on %s (trained on %d months): MAP@7 %.6f in %.1f s",
        recommender.name,
        month,
        len(months),
        score.map_at_k,
        seconds,
    )
    return MonthEvaluation(recommender, month, months, score, seconds)


def rolling_cv(
    make_recommender: Callable[[], Recommender],
    features: DataFrame,
    labels: DataFrame,
    folds: Iterable[date],
    months_back: int,
    include_year_before: bool,
) -> list[MonthEvaluation]:
    """One fresh recommender per fold month, each trained on the months before its fold."""
    available = label_months(labels)
    results = []
    for fold in folds:
        months = training_months(fold, months_back, include_year_before, available)
        results.append(evaluate_month(make_recommender(), features, labels, fold, months))
    return results


def truth_available(raw_dir: str | Path | None) -> bool:
    """Whether the generator's true probabilities are in `raw_dir`."""
    if raw_dir is None:
        return False
    try:
        true_probabilities_path(raw_dir)
    except InputError:
        return False
    return True


def oracle_ranking(spark: SparkSession, raw_dir: str | Path, month: date) -> DataFrame:
    """The best possible ranking: products by the generator's true probability.

    Reads `truth/probabilities.parquet` with Spark; returns customer_id, month,
    product, score, rank (top 7, ties by product code).
    """
    path = true_probabilities_path(raw_dir)
    wanted = truth_month(month)
    truth = spark.read.parquet(str(path)).where(F.col("fecha_dato") == wanted.isoformat())

    by_probability = Window.partitionBy("ncodpers").orderBy(
        F.col("probability").desc(), F.col("product")
    )
    names = F.create_map(*(F.lit(x) for p in PRODUCTS for x in (p.code, p.name)))
    return (
        truth.withColumn("rank", F.row_number().over(by_probability))
        .where(F.col("rank") <= K)
        .select(
            F.col("ncodpers").cast("bigint").alias("customer_id"),
            F.lit(wanted).alias("month"),
            names[F.col("product")].alias("product"),
            F.col("probability").cast("double").alias("score"),
            F.col("rank").cast("int").alias("rank"),
        )
    )


def oracle_score(
    spark: SparkSession, raw_dir: str | Path, features: DataFrame, labels: DataFrame, month: date
) -> MapScore:
    """MAP@7 of the oracle ranking on `month`, over the month's gold customers."""
    started = time.perf_counter()
    target = features.filter(F.col("month") == month)
    ranking = oracle_ranking(spark, raw_dir, month)
    score = map_at_k(ranking, labels.filter(F.col("month") == month), target, K)
    logger.info(
        "oracle on %s: MAP@7 %.6f in %.1f s", month, score.map_at_k, time.perf_counter() - started
    )
    return score
