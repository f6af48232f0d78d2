"""Distributed XGBoost (`xgboost.spark`): one softprob model over the added product.

Training rows are one per (customer, month, added product); the label is the
product's index among the products added in training (contiguous 0..K-1, the
mapping kept in `classes`). Scoring uses the native booster in pandas batches,
so a booster loaded back from MLflow scores exactly like a freshly fitted one.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from xgboost import Booster
from xgboost.spark import SparkXGBClassifier

from santander_lake.errors import InputError
from santander_lake.recommenders.base import (
    Recommender,
    feature_columns,
    scores_from_pandas,
    training_rows,
)
from santander_lake.schema import PRODUCT_NAMES

logger = logging.getLogger(__name__)

LABEL = "label"
DEFAULT_PARAMS: dict[str, Any] = {
    "max_depth": 6,
    "learning_rate": 0.1,
    "n_estimators": 120,
    "min_child_weight": 1.0,
    "subsample": 0.9,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
}


class XGBoostSparkRecommender(Recommender):
    """SparkXGBClassifier with `num_workers` workers; products owned last month never ranked."""

    name = "xgboost"

    def __init__(
        self, params: dict[str, Any] | None = None, num_workers: int = 1, seed: int = 0
    ) -> None:
        self.params = {**DEFAULT_PARAMS, **(params or {})}
        self.num_workers = num_workers
        self.seed = seed
        self.columns: list[str] = []
        self.classes: list[str] = []
        self.booster: Booster | None = None

    @classmethod
    def from_booster(
        cls, booster: Booster, columns: list[str], classes: list[str]
    ) -> XGBoostSparkRecommender:
        """A ready-to-score recommender from a saved booster and its logged mappings."""
        recommender = cls()
        recommender.booster = booster
        recommender.columns = list(columns)
        recommender.classes = list(classes)
        return recommender

    def fit(self, features: DataFrame, labels: DataFrame) -> XGBoostSparkRecommender:
        """Fit on the training rows of `features` x `labels`; reads them twice, writes nothing."""
        started = time.perf_counter()
        self.columns = feature_columns(features)
        rows = training_rows(features, labels)
        added = {row["product"] for row in rows.select("product").distinct().collect()}
        self.classes = [p for p in PRODUCT_NAMES if p in added]
        if len(self.classes) < 2:
            raise InputError(
                f"xgboost: training labels hold {len(self.classes)} distinct products, need 2"
            )

        index = F.array_position(F.array(*[F.lit(p) for p in self.classes]), F.col("product"))
        data = rows.select(*self.columns, (index - 1).cast("int").alias(LABEL))
        classifier = SparkXGBClassifier(
            features_col=self.columns,
            label_col=LABEL,
            num_workers=self.num_workers,
            random_state=self.seed,
            verbose=False,
            **self.params,
        )
        self.booster = classifier.fit(data).get_booster()
        logger.info(
            "xgboost fitted: %d classes, %d features, %d workers in %.1f s",
            len(self.classes),
            len(self.columns),
            self.num_workers,
            time.perf_counter() - started,
        )
        return self

    def score(self, prepared: DataFrame) -> DataFrame:
        """Class probabilities placed at their products' positions (0 for unseen products)."""
        if self.booster is None:
            raise InputError("xgboost: score called before fit")
        booster = self.booster.copy()
        booster.set_param({"nthread": 1})
        positions = [PRODUCT_NAMES.index(p) for p in self.classes]

        def predict(batch: pd.DataFrame) -> np.ndarray:
            scores = np.zeros((len(batch), len(PRODUCT_NAMES)))
            if len(batch):
                values = batch.to_numpy(dtype=np.float32)
                probabilities = booster.inplace_predict(values, validate_features=False)
                if probabilities.ndim == 1:
                    probabilities = np.column_stack([1 - probabilities, probabilities])
                scores[:, positions] = probabilities
            return scores

        return scores_from_pandas(prepared, self.columns, predict)

    def feature_importance(self) -> dict[str, float]:
        """Total gain per feature column, largest first; features never split on are left out."""
        if self.booster is None:
            raise InputError("xgboost: no booster yet")
        gains = self.booster.get_score(importance_type="total_gain")
        named = {self._feature_name(key): float(value) for key, value in gains.items()}
        return dict(sorted(named.items(), key=lambda item: -item[1]))

    def _feature_name(self, key: str) -> str:
        if key in self.columns:
            return key
        if key.startswith("f") and key[1:].isdigit() and int(key[1:]) < len(self.columns):
            return self.columns[int(key[1:])]
        return key
