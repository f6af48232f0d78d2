"""The baseline: rank products by how often they were added in the training months."""

from __future__ import annotations

import logging

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from santander_lake.errors import InputError
from santander_lake.recommenders.base import SCORES, Recommender
from santander_lake.schema import PRODUCT_NAMES

logger = logging.getLogger(__name__)


class PopularityRecommender(Recommender):
    """Everyone gets the same ranking: share of all additions, owned products skipped."""

    name = "popularity"

    def __init__(self) -> None:
        self.shares: dict[str, float] = {}

    def fit(self, features: DataFrame, labels: DataFrame) -> PopularityRecommender:
        """Count additions per product in `labels`; `features` is not needed."""
        counts = {
            row["product"]: row["n"]
            for row in labels.groupBy("product").agg(F.count("*").alias("n")).collect()
        }
        total = sum(counts.values())
        if total == 0:
            raise InputError("popularity: the training labels hold no additions")

        self.shares = {p: counts.get(p, 0) / total for p in PRODUCT_NAMES}
        logger.info("Popularity fitted on %d additions", total)
        return self

    def score(self, prepared: DataFrame) -> DataFrame:
        """The same share vector on every row."""
        shares = F.array(*[F.lit(self.shares.get(p, 0.0)) for p in PRODUCT_NAMES])
        return prepared.withColumn(SCORES, shares.cast("array<double>"))
