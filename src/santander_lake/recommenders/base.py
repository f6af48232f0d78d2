"""The recommender interface and the Spark plumbing every implementation shares.

A recommender is fitted on gold features and labels of chosen months, then
scores each customer-month with one number per product (in `PRODUCT_NAMES`
order). Ranking is common: products owned last month are dropped, the rest are
sorted by score inside each row (no shuffle) and the best k kept.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    IntegerType,
    NumericType,
    StructField,
    StructType,
)

from santander_lake.errors import InputError
from santander_lake.schema import PRODUCT_NAMES

logger = logging.getLogger(__name__)

KEYS = ("customer_id", "month")
OWNED_PREFIX = "owned_lag1_"
OWNED = "owned"
SCORES = "scores"

PredictFn = Callable[[pd.DataFrame], np.ndarray]


def feature_columns(features: DataFrame) -> list[str]:
    """Every gold feature column: all but the keys; raises if one is not numeric."""
    columns = []
    for column in features.schema.fields:
        if column.name in KEYS:
            continue
        if not isinstance(column.dataType, NumericType):
            raise InputError(
                f"gold features column {column.name!r} is {column.dataType.simpleString()}, "
                "expected a numeric type"
            )
        columns.append(column.name)

    missing = [f"{OWNED_PREFIX}{p}" for p in PRODUCT_NAMES if f"{OWNED_PREFIX}{p}" not in columns]
    if missing:
        raise InputError(f"gold features lack the ownership columns {', '.join(missing)}")
    return columns


def training_rows(features: DataFrame, labels: DataFrame) -> DataFrame:
    """One row per (customer, month, added product): the features with a `product` column."""
    added = labels.select(*KEYS, "product")
    return features.join(added, list(KEYS))


def with_owned(features: DataFrame) -> DataFrame:
    """Add `owned`: last month's ownership as 0/1 per product; absent customers own nothing."""
    flags = [F.coalesce(F.col(f"{OWNED_PREFIX}{p}").cast("int"), F.lit(0)) for p in PRODUCT_NAMES]
    return features.withColumn(OWNED, F.array(*flags))


def rank_products(scored: DataFrame, k: int = 7) -> DataFrame:
    """The k best products not owned last month, one row each: customer_id, month,
    product, score, rank (1 = best). Ties go to the earlier product in the schema.
    """
    entries = F.arrays_zip(
        F.array(*[F.lit(p) for p in PRODUCT_NAMES]).alias("product"),
        F.col(SCORES).alias("score"),
        F.col(OWNED).alias("owned"),
        F.sequence(F.lit(0), F.lit(len(PRODUCT_NAMES) - 1)).alias("position"),
    )
    candidates = F.filter(entries, lambda e: e["owned"] == 0)
    best_first = F.array_sort(candidates, _higher_score_first)

    return scored.select(
        *KEYS, F.posexplode(F.slice(best_first, 1, k)).alias("index", "entry")
    ).select(
        *KEYS,
        F.col("entry.product").alias("product"),
        F.col("entry.score").alias("score"),
        (F.col("index") + 1).alias("rank"),
    )


def _higher_score_first(left: Column, right: Column) -> Column:
    return (
        F.when(left["score"] > right["score"], -1)
        .when(left["score"] < right["score"], 1)
        .otherwise(left["position"] - right["position"])
    )


def scores_from_pandas(prepared: DataFrame, columns: list[str], predict: PredictFn) -> DataFrame:
    """Score rows in pandas batches: `predict` maps a feature frame to an (n, 24) array.

    Keeps the keys and `owned`; the model travels to the executors with `predict`.
    """
    key_fields = [prepared.schema[name] for name in KEYS]
    output = StructType(
        [
            *key_fields,
            StructField(OWNED, ArrayType(IntegerType())),
            StructField(SCORES, ArrayType(DoubleType())),
        ]
    )

    def score_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            scores = predict(batch[columns].astype("float64"))
            result = batch[[*KEYS, OWNED]].copy()
            result[SCORES] = list(scores)
            yield result

    return prepared.select(*KEYS, OWNED, *columns).mapInPandas(score_batches, output)


class Recommender(ABC):
    """Fit on chosen months, then rank the 24 products for each customer of a month."""

    name: str = "recommender"

    @abstractmethod
    def fit(self, features: DataFrame, labels: DataFrame) -> Recommender:
        """Learn from gold features and labels (already limited to the training months)."""

    @abstractmethod
    def score(self, prepared: DataFrame) -> DataFrame:
        """Keys, `owned` and `scores` (one per product, PRODUCT_NAMES order) per row of
        `prepared` (gold features with `owned` added)."""

    def recommend(self, features: DataFrame, k: int = 7) -> DataFrame:
        """Rank the k best products each customer-month does not own; see rank_products."""
        return rank_products(self.score(with_owned(features)), k)
