"""A light scikit-learn model: gradient-boosted trees fitted on the driver.

The training rows (one per added product) are few, a small share of all
customer-months, so they are collected, capped at `max_rows`; scoring runs on
the executors in pandas batches.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from sklearn.ensemble import HistGradientBoostingClassifier

from santander_lake.errors import InputError
from santander_lake.recommenders.base import (
    Recommender,
    feature_columns,
    scores_from_pandas,
    training_rows,
)
from santander_lake.schema import PRODUCT_NAMES

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {"max_iter": 60, "learning_rate": 0.1, "max_depth": 4}


class SklearnRecommender(Recommender):
    """Multi-class HistGradientBoostingClassifier over the added product."""

    name = "sklearn"

    def __init__(
        self, params: dict[str, Any] | None = None, max_rows: int = 200_000, seed: int = 0
    ) -> None:
        self.params = {**DEFAULT_PARAMS, **(params or {})}
        self.max_rows = max_rows
        self.seed = seed
        self.columns: list[str] = []
        self.model: HistGradientBoostingClassifier | None = None

    def fit(self, features: DataFrame, labels: DataFrame) -> SklearnRecommender:
        """Collect at most `max_rows` training rows and fit on the driver."""
        started = time.perf_counter()
        self.columns = feature_columns(features)
        rows = training_rows(features, labels)
        count = rows.count()
        if count == 0:
            raise InputError("sklearn: no training rows (features and labels share no months)")
        if count > self.max_rows:
            rows = rows.sample(fraction=self.max_rows / count, seed=self.seed)

        frame = rows.select(*self.columns, "product").toPandas()
        # The binning of HistGradientBoosting fails on a column with a single value.
        self.columns = [c for c in self.columns if frame[c].nunique(dropna=True) > 1]
        model = HistGradientBoostingClassifier(random_state=self.seed, **self.params)
        self.model = model.fit(frame[self.columns].astype("float64"), frame["product"])
        logger.info(
            "sklearn fitted on %d rows, %d classes in %.1f s",
            len(frame),
            len(model.classes_),
            time.perf_counter() - started,
        )
        return self

    def score(self, prepared: DataFrame) -> DataFrame:
        """Class probabilities spread over all 24 products (0 for unseen ones)."""
        if self.model is None:
            raise InputError("sklearn: score called before fit")
        model = self.model
        positions = [PRODUCT_NAMES.index(p) for p in model.classes_]

        def predict(batch: pd.DataFrame) -> np.ndarray:
            scores = np.zeros((len(batch), len(PRODUCT_NAMES)))
            if len(batch):
                scores[:, positions] = model.predict_proba(batch)
            return scores

        return scores_from_pandas(prepared, self.columns, predict)
