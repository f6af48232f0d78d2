"""Kaggle's MAP@7, in plain Python for small cases and in Spark for whole months.

AP@k = (1 / min(m, k)) * sum over ranks r <= k of P(r) * rel(r), where m is the
number of products the customer added; a customer who added nothing scores 0
and still counts in the mean. Each hit's term belongs to one product, so the
score splits exactly into per-product contributions that sum to the total.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

logger = logging.getLogger(__name__)

K = 7
KEYS = ("customer_id", "month")


def average_precision_at_k(actual: Collection[str], predicted: Sequence[str], k: int = K) -> float:
    """AP@k of one customer: 0 when nothing was added; repeated predictions score once."""
    if not actual:
        return 0.0

    hits = 0
    total = 0.0
    seen: set[str] = set()
    for rank, product in enumerate(predicted[:k], start=1):
        if product in actual and product not in seen:
            hits += 1
            total += hits / rank
        seen.add(product)
    return total / min(len(actual), k)


def mean_average_precision_at_k(
    actual: Mapping[object, Collection[str]],
    predicted: Mapping[object, Sequence[str]],
    customers: Iterable[object],
    k: int = K,
) -> float:
    """MAP@k over `customers`; those missing from `actual` or `predicted` score 0."""
    scores = [
        average_precision_at_k(actual.get(c, ()), predicted.get(c, ()), k) for c in customers
    ]
    return sum(scores) / len(scores) if scores else 0.0


@dataclass(frozen=True)
class MapScore:
    """MAP@k of one evaluation and its split by product (contributions sum to `map_at_k`)."""

    map_at_k: float
    customers: int
    customers_with_additions: int
    per_product: dict[str, float] = field(default_factory=dict)


def map_at_k(ranking: DataFrame, labels: DataFrame, customers: DataFrame, k: int = K) -> MapScore:
    """MAP@k of a ranking, computed in Spark; only per-product sums reach the driver.

    `ranking`: customer_id, month, product, rank (1 = best, unique per customer).
    `labels`: customer_id, month, product, one row per added product.
    `customers`: customer_id, month of everyone in the mean (all of the month's
    customers, whether they added anything or not). Reads nothing else, writes nothing.
    """
    population = customers.select(*KEYS).distinct()
    added = labels.select(*KEYS, "product").join(population, list(KEYS), "left_semi")
    additions = added.groupBy(*KEYS).agg(F.count("*").alias("m"))

    # Only customers who added something can score, which keeps the window small.
    hits = (
        ranking.filter(F.col("rank") <= k)
        .select(*KEYS, "product", "rank")
        .join(additions, list(KEYS))
        .join(added.withColumn("hit", F.lit(1)), [*KEYS, "product"], "left")
        .withColumn("hit", F.coalesce("hit", F.lit(0)))
    )
    by_rank = Window.partitionBy(*KEYS).orderBy("rank").rowsBetween(Window.unboundedPreceding, 0)
    terms = (
        hits.withColumn("hits_so_far", F.sum("hit").over(by_rank))
        .filter(F.col("hit") == 1)
        .withColumn("term", F.col("hits_so_far") / F.col("rank") / F.least("m", F.lit(k)))
    )

    sums = {
        row["product"]: row["total"]
        for row in terms.groupBy("product").agg(F.sum("term").alias("total")).collect()
    }
    counted = population.count()
    with_additions = additions.count()
    per_product = {p: s / counted for p, s in sums.items()} if counted else {}
    score = sum(per_product.values())
    logger.info(
        "MAP@%d = %.6f over %d customers (%d with additions)",
        k,
        score,
        counted,
        with_additions,
    )
    return MapScore(score, counted, with_additions, per_product)
